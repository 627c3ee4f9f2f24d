// The only module that touches decimal.js. Everything else sees Money, Rate and strings.
//
// Why a clone: the global Decimal has 20 significant digits, which silently loses cents on
// large sums. 40 digits with half-to-even rounding is exact for every amount this ledger accepts.
import { Decimal as GlobalDecimal } from 'decimal.js';
import currencyCodes from 'currency-codes';

const Exact = GlobalDecimal.clone({ precision: 40, rounding: GlobalDecimal.ROUND_HALF_EVEN });
type Exact = InstanceType<typeof Exact>;

/** The largest amount one command may carry, in major units. */
export const AMOUNT_MAX = '1000000000';

/**
 * ISO 4217 codes that are not money one can be paid in: precious metals, bond-market units,
 * SDRs, the testing code and "no currency". ISO lists their minor units as "N.A.".
 */
const NOT_PAYABLE = new Set([
  'XAG',
  'XAU',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XPD',
  'XPT',
  'XSU',
  'XTS',
  'XUA',
  'XXX',
]);

const MINOR_UNITS: ReadonlyMap<string, number> = new Map(
  currencyCodes.data.filter((c) => !NOT_PAYABLE.has(c.code)).map((c) => [c.code, c.digits]),
);

export function isKnownCurrency(code: string): boolean {
  return MINOR_UNITS.has(code);
}

/** Digits after the decimal point for a currency: USD 2, JPY 0, KWD 3. */
export function minorUnitsOf(currency: string): number {
  const digits = MINOR_UNITS.get(currency);
  if (digits === undefined) throw new Error(`unknown currency ${currency}`);
  return digits;
}

const PLAIN_DECIMAL = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,12})?$/;

/**
 * Why an amount string is not acceptable for a currency, or null when it is.
 * Acceptable: a plain positive decimal, at most AMOUNT_MAX, with no more decimals than
 * the currency has minor units. No sign, exponent, spaces or thousands separators.
 */
export function amountProblem(text: string, currency: string): string | null {
  // A plain decimal with a minus sign is well formed, only not positive: say that, not that it is malformed.
  if (text.startsWith('-') && PLAIN_DECIMAL.test(text.slice(1))) return 'must be greater than zero';
  const plain = PLAIN_DECIMAL.exec(text);
  if (plain === null) return 'must be a plain decimal string such as "12.50"';
  // every event's amounts are checked with it when the log is read: digits, not a decimal
  const whole = BigInt(plain[1]!);
  const decimals = (plain[2] ?? '.').slice(1).replace(/0+$/, ''); // "12.50" has one decimal, as a number
  if (whole === 0n && decimals === '') return 'must be greater than zero';
  if (whole > AMOUNT_MAX_UNITS || (whole === AMOUNT_MAX_UNITS && decimals !== ''))
    return `must be at most ${AMOUNT_MAX}`;
  if (!isKnownCurrency(currency)) return null; // the currency field reports its own problem
  const allowed = minorUnitsOf(currency);
  if (decimals.length > allowed) return `has more than ${allowed} decimals, the minor units of ${currency}`;
  return null;
}

const AMOUNT_MAX_UNITS = BigInt(AMOUNT_MAX);

/**
 * n / d rounded half to even to an integer, exactly (d not zero): the one rounding of a ledger line.
 * BigInt division truncates towards zero and its remainder takes the sign of n.
 */
function divideHalfEven(n: bigint, d: bigint): bigint {
  if (d < 0n) [n, d] = [-n, -d];
  const q = n / d;
  const r = n % d;
  const twice = 2n * (r < 0n ? -r : r);
  if (twice > d || (twice === d && q % 2n !== 0n)) return q + (n < 0n ? -1n : 1n);
  return q;
}

const POWERS_OF_TEN: bigint[] = [];

function tenTo(digits: number): bigint {
  return (POWERS_OF_TEN[digits] ??= 10n ** BigInt(digits));
}

/** A plain decimal string as units × 10^-scale: "0.05" → { units: 5n, scale: 2 }. */
function scaled(text: string): { units: bigint; scale: number } {
  const point = text.indexOf('.');
  if (point < 0) return { units: BigInt(text), scale: 0 };
  return { units: BigInt(text.slice(0, point) + text.slice(point + 1)), scale: text.length - point - 1 };
}

/**
 * An exact amount of one currency, held as an integer count of its minor units, so that sums and
 * comparisons are integer arithmetic and only a rate, a share or a conversion rounds (half to even,
 * once). Immutable.
 */
export class Money {
  private constructor(
    private readonly minor: bigint,
    readonly currency: string,
    private readonly digits: number,
  ) {}

  /** Parses an amount already checked by amountProblem. Throws on anything else. */
  static of(text: string, currency: string): Money {
    const problem = amountProblem(text, currency);
    if (problem !== null) throw new Error(`invalid amount ${JSON.stringify(text)} ${currency}: ${problem}`);
    return new Money(minorUnitsOfAmount(text, currency), currency, minorUnitsOf(currency));
  }

  /**
   * Parses an amount this ledger wrote itself (a line, a total): may be zero or negative,
   * with at most the currency's minor units. Throws on anything else.
   */
  static parse(text: string, currency: string): Money {
    return new Money(minorUnitsOfAmount(text, currency), currency, minorUnitsOf(currency));
  }

  static zero(currency: string): Money {
    return new Money(0n, currency, minorUnitsOf(currency));
  }

  /** From an integer count of minor units (cents for USD, yen for JPY, fils for KWD). */
  static fromMinorUnits(minor: bigint | string, currency: string): Money {
    if (typeof minor === 'string' && !/^-?[0-9]+$/.test(minor))
      throw new Error(`minor units must be an integer, got ${minor}`);
    return new Money(BigInt(minor), currency, minorUnitsOf(currency));
  }

  /** Integer count of minor units, as a string (exact; may exceed 2^53). */
  toMinorUnits(): string {
    return this.minor.toString();
  }

  /** Integer count of minor units: what a row stores. */
  get minorUnits(): bigint {
    return this.minor;
  }

  /** As JSON, an amount is its text fixed to the minor units (a bigint has no JSON). */
  toJSON(): string {
    return this.toString();
  }

  /** base × rate, rounded half to even to the currency's minor units: one ledger line. */
  timesRate(rate: Rate): Money {
    return this.with(divideHalfEven(this.minor * rate.units, tenTo(rate.scale)));
  }

  /**
   * This amount × part / whole, rounded half to even to the minor units: the share of a line
   * that a refund of `part` out of a sale of `whole` reverses.
   */
  share(part: Money, whole: Money): Money {
    part.assertSameCurrency(whole);
    if (whole.minor === 0n) throw new Error('share of a zero whole');
    return this.with(divideHalfEven(this.minor * part.minor, whole.minor));
  }

  /**
   * This amount in another currency at a rate the plan fixes (units of `to` per unit of this one),
   * rounded half to even to the minor units of `to`: a volume in the plan's reporting currency.
   */
  convertedAt(rate: string, to: string): Money {
    if (exchangeRateProblem(rate) !== null) throw new Error(`invalid exchange rate ${JSON.stringify(rate)}`);
    const { units, scale } = scaled(rate);
    const digits = minorUnitsOf(to);
    const exact = divideHalfEven(this.minor * units * tenTo(digits), tenTo(this.digits + scale));
    return new Money(exact, to, digits);
  }

  /** Whether this amount is more than `ratio` × `base`, exactly (no rounding); the ratio as ratioProblem accepts. */
  isMoreThan(ratio: string, base: Money): boolean {
    this.assertSameCurrency(base);
    const { units, scale } = scaled(ratio);
    return this.minor * tenTo(scale) > base.minor * units;
  }

  /** The smaller of two amounts of one currency. */
  min(other: Money): Money {
    return this.compare(other) <= 0 ? this : other;
  }

  /** The larger of two amounts of one currency. */
  max(other: Money): Money {
    return this.compare(other) >= 0 ? this : other;
  }

  minus(other: Money): Money {
    this.assertSameCurrency(other);
    return this.with(this.minor - other.minor);
  }

  compare(other: Money): number {
    this.assertSameCurrency(other);
    return this.minor < other.minor ? -1 : this.minor > other.minor ? 1 : 0;
  }

  plus(other: Money): Money {
    this.assertSameCurrency(other);
    return this.with(this.minor + other.minor);
  }

  negated(): Money {
    return this.with(-this.minor);
  }

  isZero(): boolean {
    return this.minor === 0n;
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.minor === other.minor;
  }

  /** Fixed to the currency's minor units: "12.50", "1500", "0.125". */
  toString(): string {
    const negative = this.minor < 0n;
    const digits = (negative ? -this.minor : this.minor).toString();
    if (this.digits === 0) return negative ? `-${digits}` : digits;
    const padded = digits.padStart(this.digits + 1, '0');
    const cut = padded.length - this.digits;
    return `${negative ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
  }

  private with(minor: bigint): Money {
    return new Money(minor, this.currency, this.digits);
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) throw new Error(`currency mismatch: ${this.currency} and ${other.currency}`);
  }
}

const RATE_TEXT = /^(0|[1-9][0-9]*)(\.[0-9]{1,10})?$/;

/** A commission rate: a non-negative decimal fraction, "0.05" for five per cent. */
export class Rate {
  private constructor(
    /** The rate as units × 10^-scale: "0.05" is 5 × 10^-2. */
    readonly units: bigint,
    readonly scale: number,
    private readonly text: string,
  ) {}

  static problem(text: string): string | null {
    if (!RATE_TEXT.test(text)) return 'must be a decimal string such as "0.05"';
    if (new Exact(text).gt(1)) return 'must be at most 1';
    return null;
  }

  static of(text: string): Rate {
    const problem = Rate.problem(text);
    if (problem !== null) throw new Error(`invalid rate ${JSON.stringify(text)}: ${problem}`);
    const { units, scale } = scaled(text);
    return new Rate(units, scale, text);
  }

  /** As the plan wrote it: "0.20" stays "0.20". */
  toString(): string {
    return this.text;
  }
}

const LEDGER_AMOUNT = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

const RATIO_TEXT = /^(0|[1-9][0-9]{0,5})(\.[0-9]{1,6})?$/;

/** An exchange rate a plan fixes: a positive decimal string, at most 12 digits either side of the point. */
export function exchangeRateProblem(text: string): string | null {
  if (!/^(0|[1-9][0-9]{0,11})(\.[0-9]{1,12})?$/.test(text) || new Exact(text).isZero())
    return 'must be a positive decimal string such as "1.08"';
  return null;
}

/** Why a ratio of two amounts ("1.5": one and a half times) is not acceptable, or null. */
export function ratioProblem(text: string): string | null {
  if (!RATIO_TEXT.test(text)) return 'must be a decimal string such as "1.5", at most 6 decimals';
  if (new Exact(text).lte(0)) return 'must be greater than zero';
  return null;
}

/** Whether `amount` is more than `ratio` × `base`, compared exactly (no rounding). */
export function exceedsRatio(amount: Money, base: Money, ratio: string): boolean {
  return amount.isMoreThan(ratio, base);
}

/**
 * The integer count of minor units of an amount this ledger wrote itself ("-12.50" USD → -1250n),
 * by moving the decimal point: the writer's hot path, where a round trip through a decimal costs
 * more than the insert. Throws on what Money.parse would refuse.
 */
export function minorUnitsOfAmount(text: string, currency: string): bigint {
  const m = LEDGER_AMOUNT.exec(text);
  if (m === null) throw new Error(`not a decimal amount: ${JSON.stringify(text)}`);
  const digits = minorUnitsOf(currency);
  const fraction = m[3] ?? '';
  if (fraction.length > digits) throw new Error(`${text} has more decimals than ${currency} allows`);
  const minor = BigInt(m[2]! + fraction.padEnd(digits, '0'));
  return m[1] === '-' ? -minor : minor;
}

/** Normalises an accepted amount to the currency's minor units: "10" USD → "10.00". */
export function normalizeAmount(text: string, currency: string): string {
  return Money.of(text, currency).toString();
}

/**
 * An exact fraction used to weight money: `units × 10^-scale`. Survival probabilities arrive as
 * binary floating point and are fixed to `PROBABILITY_DECIMALS` here, once; discount factors are
 * computed with decimal.js to `FACTOR_DECIMALS`. Weights are not money and are never shown as money.
 */
export class Weight {
  private constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  /** A probability (0 to 1) fixed to 12 decimals, half away from zero. */
  static ofProbability(p: number): Weight {
    if (!(p >= 0 && p <= 1)) throw new Error(`not a probability: ${p}`);
    return new Weight(BigInt(Math.round(p * 10 ** PROBABILITY_DECIMALS)), PROBABILITY_DECIMALS);
  }

  /** (1 + annualRate)^(-months / 12): the monthly discount factor of an effective annual rate. */
  static discount(annualRate: string, months: number): Weight {
    const factor = new Exact(1).plus(annualRate).pow(new Exact(-months).div(12));
    return Weight.fromExact(factor);
  }

  /** ω / (1 + r − ω): the multiple of a year's income that a stream persisting at ω each year is worth. */
  static persistenceMultiple(annualRate: string, persistence: string): Weight {
    const omega = new Exact(persistence);
    return Weight.fromExact(omega.div(new Exact(1).plus(annualRate).minus(omega)));
  }

  private static fromExact(value: Exact): Weight {
    const scaled = value.times(new Exact(10).pow(FACTOR_DECIMALS)).toDecimalPlaces(0, Exact.ROUND_HALF_EVEN);
    return new Weight(BigInt(scaled.toFixed(0)), FACTOR_DECIMALS);
  }
}

export const PROBABILITY_DECIMALS = 12;
export const FACTOR_DECIMALS = 18;

/**
 * An expected amount: money weighted by probabilities and discount factors, kept exact
 * (`units × 10^-scale` minor units) and rounded half to even to the currency's minor units
 * only when shown (`toMoney`). Sums of many weighted lines therefore round once, not per line.
 */
export class ExpectedMoney {
  /** `units × 10^-scale` minor units of `currency`. */
  constructor(
    private readonly units: bigint,
    private readonly scale: number,
    readonly currency: string,
  ) {}

  static zero(currency: string): ExpectedMoney {
    minorUnitsOf(currency);
    return new ExpectedMoney(0n, 0, currency);
  }

  /** An exact amount of minor units (a sum of ledger lines) times a weight. */
  static weighted(minorUnits: bigint, weight: Weight, currency: string): ExpectedMoney {
    return new ExpectedMoney(minorUnits * weight.units, weight.scale, currency);
  }

  static ofMoney(money: Money): ExpectedMoney {
    return new ExpectedMoney(BigInt(money.toMinorUnits()), 0, money.currency);
  }

  plus(other: ExpectedMoney): ExpectedMoney {
    if (other.currency !== this.currency) throw new Error(`currency mismatch: ${this.currency} and ${other.currency}`);
    const scale = Math.max(this.scale, other.scale);
    return new ExpectedMoney(this.at(scale) + other.at(scale), scale, this.currency);
  }

  times(weight: Weight): ExpectedMoney {
    return new ExpectedMoney(this.units * weight.units, this.scale + weight.scale, this.currency);
  }

  compare(other: ExpectedMoney): number {
    const scale = Math.max(this.scale, other.scale);
    const [a, b] = [this.at(scale), other.at(scale)];
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Rounded half to even to the currency's minor units: the one rounding an expected amount gets. */
  toMoney(): Money {
    const divisor = 10n ** BigInt(this.scale);
    const negative = this.units < 0n;
    const magnitude = negative ? -this.units : this.units;
    let quotient = magnitude / divisor;
    const twice = (magnitude % divisor) * 2n;
    if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
    return Money.fromMinorUnits(negative ? -quotient : quotient, this.currency);
  }

  toString(): string {
    return this.toMoney().toString();
  }

  private at(scale: number): bigint {
    return this.units * 10n ** BigInt(scale - this.scale);
  }
}

/** A running sum of minor units × probabilities, for inner loops that would otherwise allocate per term. */
export class WeightedSum {
  private units = 0n;

  constructor(readonly currency: string) {}

  add(minorUnits: bigint, probability: Weight): void {
    if (probability.scale !== PROBABILITY_DECIMALS) throw new Error('a WeightedSum adds probabilities only');
    this.units += minorUnits * probability.units;
  }

  total(): ExpectedMoney {
    return new ExpectedMoney(this.units, PROBABILITY_DECIMALS, this.currency);
  }
}
