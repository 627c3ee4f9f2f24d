// The period rules of a plan version: how business time is cut into commission periods, and who
// qualifies to earn overrides in one. Parsed here, apart from the pricing rules, so that plan.ts
// only calls in. Pure: no file system, no Nest, no clock.
import { amountProblem, exchangeRateProblem, isKnownCurrency, normalizeAmount } from '../../shared/money.js';
import { isTimeZone } from '../../shared/time-zone.js';

export interface PeriodRules {
  /** Only calendar months for now: a period is named `YYYY-MM`. */
  readonly length: 'calendar-month';
  /** The time zone the programme pays in: `UTC`, a fixed offset such as `+02:00`, or an IANA name such as `Europe/Berlin`. */
  readonly timeZone: string;
  /**
   * Activity: the least of their own sales and renewals (by amount, per currency) a rep needs in a
   * period to earn overrides in it. Keys are currencies in code order; empty: everyone qualifies.
   */
  readonly minimumPersonalVolume: Readonly<Record<string, string>>;
  /**
   * `dynamic`: an upline not qualified in the period is skipped when counting override levels, so the
   * override rolls up to the next qualified one. `none`: an unqualified upline's override is simply not earned.
   */
  readonly compression: Compression;
  /**
   * A reporting currency: the activity minimum is in it, and a rep's volume in every currency counts
   * toward it at the rates the plan fixes (units of it per unit of the other). Null: per currency.
   */
  readonly reporting: ReportingCurrency | null;
  /**
   * Caps per period: the most a person earns in a period from a rule's lines, per currency (rule →
   * currency → amount). What a cap cuts is recorded on the statement. Empty: no caps.
   */
  readonly periodCaps: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Lines from sales dated this many days or fewer before a period's end wait for a later close (the refund window). */
  readonly holdingDays: number;
  /** Below this balance (per currency) nothing is paid: it is carried to the next close. */
  readonly minimumPayout: Readonly<Record<string, string>>;
  /** Ranks, lowest first: what each asks of a rep in a period and how many override levels it pays. Empty: no ranks. */
  readonly ranks: readonly Rank[];
}

/**
 * A rank: reached in a period when the rep's personal volume and group volume reach its minimums (in
 * one currency it names, or in the reporting currency) and they have at least `qualifiedLegs` legs.
 */
export interface Rank {
  readonly name: string;
  /** Keys in code order; an empty object asks for nothing. */
  readonly personalVolume: Readonly<Record<string, string>>;
  readonly groupVolume: Readonly<Record<string, string>>;
  readonly qualifiedLegs: number;
  /** How many levels of overrides a rep of this rank earns in the period (0: none). */
  readonly overrideLevels: number;
}

export type Compression = 'none' | 'dynamic';

export interface ReportingCurrency {
  readonly currency: string;
  /** Keys in code order; the reporting currency itself is not among them (it counts as it is). */
  readonly rates: Readonly<Record<string, string>>;
}

export const DEFAULT_PERIOD_RULES: PeriodRules = {
  length: 'calendar-month',
  timeZone: 'UTC',
  minimumPersonalVolume: {},
  compression: 'none',
  reporting: null,
  periodCaps: {},
  holdingDays: 0,
  minimumPayout: {},
  ranks: [],
};

const HOLDING_DAYS_MAX = 366;

/** The rules as canonical JSON, or undefined for the default (so plans without them keep their identity). */
export function canonicalPeriodRules(rules: PeriodRules): object | undefined {
  const isDefault =
    rules.length === DEFAULT_PERIOD_RULES.length &&
    rules.timeZone === DEFAULT_PERIOD_RULES.timeZone &&
    Object.keys(rules.minimumPersonalVolume).length === 0 &&
    rules.compression === 'none' &&
    rules.reporting === null &&
    Object.keys(rules.periodCaps).length === 0 &&
    rules.holdingDays === 0 &&
    Object.keys(rules.minimumPayout).length === 0 &&
    rules.ranks.length === 0;
  if (isDefault) return undefined;
  return {
    length: rules.length,
    timeZone: rules.timeZone,
    // compression is left out when none, so the plans written before it keep their fingerprints
    activity: {
      minimumPersonalVolume: rules.minimumPersonalVolume,
      ...(rules.compression === 'none' ? {} : { compression: rules.compression }),
      ...(rules.reporting === null ? {} : { reportingCurrency: rules.reporting }),
    },
    payout: { holdingDays: rules.holdingDays, minimum: rules.minimumPayout },
    ...(Object.keys(rules.periodCaps).length === 0 ? {} : { periodCaps: rules.periodCaps }),
    // ranks are left out when there are none, so the plans written before them keep their fingerprints
    ...(rules.ranks.length === 0 ? {} : { ranks: rules.ranks }),
  };
}

/** Parses `periodRules` of one plan version (absent: the default), reporting problems by field. */
export function parsePeriodRules(
  json: unknown,
  path: string,
  at: (path: string, problem: string) => void,
): PeriodRules | null {
  if (json === undefined) return DEFAULT_PERIOD_RULES;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    at(path, 'must be an object');
    return null;
  }
  const root = json as Record<string, unknown>;
  let ok = true;
  const problem = (field: string, text: string) => {
    at(field, text);
    ok = false;
  };
  const length = root.length ?? 'calendar-month';
  if (length !== 'calendar-month') problem(`${path}.length`, 'must be "calendar-month"');
  const timeZone = root.timeZone ?? 'UTC';
  if (typeof timeZone !== 'string' || !isTimeZone(timeZone))
    problem(
      `${path}.timeZone`,
      'must be "UTC", a fixed offset such as "+02:00", or an IANA time zone name such as "Europe/Berlin"',
    );
  const minimumPersonalVolume = parseMinimums(root.activity, 'minimumPersonalVolume', `${path}.activity`, problem);
  const compression = (root.activity as Record<string, unknown> | undefined)?.compression ?? 'none';
  if (compression !== 'none' && compression !== 'dynamic')
    problem(`${path}.activity.compression`, 'must be "none" or "dynamic"');
  const reporting = parseReporting(root.activity, `${path}.activity.reportingCurrency`, problem);
  if (reporting !== null && minimumPersonalVolume !== null) {
    for (const currency of Object.keys(minimumPersonalVolume))
      if (currency !== reporting.currency)
        problem(
          `${path}.activity.minimumPersonalVolume.${currency}`,
          `must be in the reporting currency, ${reporting.currency}`,
        );
  }
  const payout = root.payout === undefined ? {} : root.payout;
  const holdingDays = (payout as Record<string, unknown>).holdingDays ?? 0;
  if (
    typeof holdingDays !== 'number' ||
    !Number.isInteger(holdingDays) ||
    holdingDays < 0 ||
    holdingDays > HOLDING_DAYS_MAX
  )
    problem(`${path}.payout.holdingDays`, `must be a whole number of days from 0 to ${HOLDING_DAYS_MAX}`);
  const minimumPayout = parseMinimums(payout, 'minimum', `${path}.payout`, problem);
  const periodCaps = parsePeriodCaps(root.periodCaps, `${path}.periodCaps`, problem);
  const ranks = parseRanks(root.ranks, `${path}.ranks`, reporting?.currency ?? null, problem);
  if (!ok || minimumPersonalVolume === null || minimumPayout === null || periodCaps === null || ranks === null)
    return null;
  return {
    length: 'calendar-month',
    timeZone: timeZone as string,
    minimumPersonalVolume,
    compression: compression as Compression,
    reporting,
    periodCaps,
    holdingDays: holdingDays as number,
    minimumPayout,
    ranks,
  };
}

/** At most this many ranks, and this many override levels in one (a plan's tree of ranks is small). */
export const RANKS_MAX = 50;
const RANK_LEVELS_MAX = 100;
const LEGS_MAX = 10_000;

/** `ranks: [{ name, personalVolume, groupVolume, qualifiedLegs, overrideLevels }]`, lowest first. */
function parseRanks(
  json: unknown,
  path: string,
  reporting: string | null,
  problem: (path: string, text: string) => void,
): Rank[] | null {
  if (json === undefined) return [];
  if (!Array.isArray(json) || json.length === 0 || json.length > RANKS_MAX) {
    problem(path, `must be a list of 1 to ${RANKS_MAX} ranks, lowest first`);
    return null;
  }
  const ranks: Rank[] = [];
  const names = new Set<string>();
  json.forEach((item: unknown, i) => {
    const at = `${path}.${i}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return problem(at, 'must be an object');
    const r = item as Record<string, unknown>;
    if (typeof r.name !== 'string' || r.name.trim() === '' || r.name.length > 100)
      return problem(`${at}.name`, 'must be a name of 1 to 100 characters');
    if (names.has(r.name)) return problem(`${at}.name`, `names another rank: ${r.name}`);
    names.add(r.name);
    const legs = r.qualifiedLegs ?? 0;
    if (!isWhole(legs, LEGS_MAX)) return problem(`${at}.qualifiedLegs`, `must be a whole number from 0 to ${LEGS_MAX}`);
    if (!isWhole(r.overrideLevels, RANK_LEVELS_MAX))
      return problem(`${at}.overrideLevels`, `must be a whole number from 0 to ${RANK_LEVELS_MAX}`);
    const personalVolume = parseMinimums(r, 'personalVolume', at, problem);
    const groupVolume = parseMinimums(r, 'groupVolume', at, problem);
    if (personalVolume === null || groupVolume === null) return;
    for (const [name, amounts] of [
      ['personalVolume', personalVolume],
      ['groupVolume', groupVolume],
    ] as const)
      for (const currency of Object.keys(amounts))
        if (reporting !== null && currency !== reporting)
          problem(`${at}.${name}.${currency}`, `must be in the reporting currency, ${reporting}`);
    ranks.push({
      name: r.name,
      personalVolume,
      groupVolume,
      qualifiedLegs: legs as number,
      overrideLevels: r.overrideLevels as number,
    });
  });
  return ranks.length === json.length ? ranks : null;
}

function isWhole(n: unknown, max: number): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max;
}

const CAPPABLE_RULES = ['affiliate', 'directSale', 'fastStart', 'override', 'renewal'];

/** `periodCaps: { override: { USD: "500.00" } }`: amounts by currency for each rule named. */
function parsePeriodCaps(
  json: unknown,
  path: string,
  problem: (path: string, text: string) => void,
): Record<string, Record<string, string>> | null {
  if (json === undefined) return {};
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    problem(path, 'must be an object of caps by rule, such as {"override": {"USD": "500.00"}}');
    return null;
  }
  const caps: Record<string, Record<string, string>> = {};
  for (const rule of Object.keys(json).sort()) {
    if (!CAPPABLE_RULES.includes(rule)) {
      problem(`${path}.${rule}`, `must be one of ${CAPPABLE_RULES.join(', ')}`);
      continue;
    }
    const amounts = parseMinimums({ [rule]: (json as Record<string, unknown>)[rule] }, rule, path, problem);
    if (amounts !== null) caps[rule] = amounts;
  }
  return caps;
}

/** `activity.reportingCurrency: { currency, rates: { EUR: "1.08" } }`, or null when absent or wrong (reported). */
function parseReporting(
  activity: unknown,
  path: string,
  problem: (path: string, text: string) => void,
): ReportingCurrency | null {
  const json = (activity as Record<string, unknown> | undefined)?.reportingCurrency;
  if (json === undefined) return null;
  const { currency, rates } = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (typeof currency !== 'string' || !isKnownCurrency(currency)) {
    problem(`${path}.currency`, 'must be an ISO 4217 currency');
    return null;
  }
  if (typeof rates !== 'object' || rates === null || Array.isArray(rates)) {
    problem(`${path}.rates`, 'must be an object of rates by currency, such as {"EUR": "1.08"}');
    return null;
  }
  const parsed: Record<string, string> = {};
  for (const from of Object.keys(rates).sort()) {
    const rate = (rates as Record<string, unknown>)[from];
    const trouble = !isKnownCurrency(from)
      ? 'is not an ISO 4217 currency'
      : from === currency
        ? 'is the reporting currency itself'
        : typeof rate !== 'string'
          ? 'must be a decimal string such as "1.08"'
          : exchangeRateProblem(rate);
    if (trouble !== null) problem(`${path}.rates.${from}`, trouble);
    else parsed[from] = rate as string;
  }
  return { currency, rates: parsed };
}

function parseMinimums(
  json: unknown,
  name: string,
  path: string,
  problem: (path: string, text: string) => void,
): Record<string, string> | null {
  if (json === undefined) return {};
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    problem(path, 'must be an object');
    return null;
  }
  const minimums = (json as Record<string, unknown>)[name];
  if (minimums === undefined) return {};
  if (typeof minimums !== 'object' || minimums === null || Array.isArray(minimums)) {
    problem(`${path}.${name}`, 'must be an object of amounts by currency, such as {"USD": "100.00"}');
    return null;
  }
  const parsed: Record<string, string> = {};
  let ok = true;
  for (const currency of Object.keys(minimums).sort()) {
    const amount = (minimums as Record<string, unknown>)[currency];
    const field = `${path}.${name}.${currency}`;
    const amountText = typeof amount === 'string' ? amount : '';
    const trouble = !isKnownCurrency(currency)
      ? 'is not an ISO 4217 currency'
      : typeof amount !== 'string'
        ? 'must be a decimal string such as "100.00"'
        : amountProblem(amountText, currency);
    if (trouble !== null) {
      problem(field, trouble);
      ok = false;
    } else parsed[currency] = normalizeAmount(amountText, currency);
  }
  return ok ? parsed : null;
}

/** Every version must cut time the same way: periods cannot change shape once some are closed. */
export function calendarProblems(versions: readonly { readonly periodRules: PeriodRules }[]): string[] {
  const first = versions[0]?.periodRules;
  if (first === undefined) return [];
  return versions.flatMap((v, i) =>
    v.periodRules.length !== first.length || v.periodRules.timeZone !== first.timeZone
      ? [`versions[${i}].periodRules: length and timeZone must be the same in every version (as in versions[0])`]
      : [],
  );
}
