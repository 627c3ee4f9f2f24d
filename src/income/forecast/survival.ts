// Retention measured from the ledger itself: a Kaplan–Meier estimate of how long subscriptions
// keep renewing, by age in whole months, with subscriptions still running censored at the as-of
// time. Pure: lifetimes in, curves out; resampling takes its random numbers from the caller.

/**
 * What the ledger knows of one subscription's lifetime, counted in monthly renewals: it paid
 * `renewals` renewals and either ended there (`ended`: cancelled, or lapsed) or is still running
 * (censored: it will pay at least that many).
 */
export interface Lifetime {
  readonly product: string;
  readonly renewals: number;
  readonly ended: boolean;
}

/** One point of the curve: the chance of paying renewal `age`, and the sample behind it. */
export interface SurvivalPoint {
  readonly age: number;
  /** Subscriptions known to have paid renewal age − 1 and observed long enough to tell about `age`. */
  readonly atRisk: number;
  /** Of those, the ones that ended without paying renewal `age`. */
  readonly ended: number;
  /** Probability that a new subscription pays renewal `age` (Kaplan–Meier product). */
  readonly survival: number;
}

export interface SurvivalCurve {
  readonly product: string;
  readonly subscriptions: number;
  readonly points: readonly SurvivalPoint[];
  /** Monthly hazard used where fewer than AT_RISK_MIN are at risk (the pooled hazard of the observed ages). */
  readonly tailHazard: number;
  /** hazard[m]: the chance of ending before renewal m, having paid m − 1 (index 0 unused). */
  readonly hazards: readonly number[];
}

/** Below this many at risk, an age's own hazard is too noisy: the pooled tail hazard stands in. */
export const AT_RISK_MIN = 10;
/** A product gets its own curve from this many subscriptions; fewer share the overall curve. */
export const PRODUCT_SUBSCRIPTIONS_MIN = 30;

/** Kaplan–Meier in discrete monthly time: hazard d/n at each age, survival their running product. */
export function kaplanMeier(product: string, lifetimes: readonly Lifetime[]): SurvivalCurve {
  const maxAge = lifetimes.reduce((m, l) => Math.max(m, l.renewals + 1), 0);
  // endedAt[k]: ended after exactly k renewals; reached[k]: known to have paid at least k renewals.
  const endedAt = new Array<number>(maxAge + 2).fill(0);
  const censoredAt = new Array<number>(maxAge + 2).fill(0);
  for (const l of lifetimes) (l.ended ? endedAt : censoredAt)[l.renewals]! += 1;
  const points: SurvivalPoint[] = [];
  // atRisk(m) = ended with k ≥ m − 1, plus censored with k ≥ m.
  let endedFrom = lifetimes.filter((l) => l.ended).length;
  let censoredFrom = lifetimes.length - endedFrom - censoredAt[0]!;
  let survival = 1;
  let pooledEnded = 0,
    pooledAtRisk = 0;
  for (let age = 1; age <= maxAge; age++) {
    const atRisk = endedFrom + censoredFrom;
    const ended = endedAt[age - 1]!;
    if (atRisk === 0) break;
    survival *= 1 - ended / atRisk;
    points.push({ age, atRisk, ended, survival });
    pooledEnded += ended;
    pooledAtRisk += atRisk;
    endedFrom -= ended;
    censoredFrom -= censoredAt[age]!;
  }
  const tailHazard = pooledAtRisk === 0 ? 0 : pooledEnded / pooledAtRisk;
  const hazards = [0, ...points.map((p) => (p.atRisk >= AT_RISK_MIN ? p.ended / p.atRisk : tailHazard))];
  return { product, subscriptions: lifetimes.length, points, tailHazard, hazards };
}

/** The chance of ending before renewal m having paid m − 1, at any age (the tail past the data). */
export function hazardAt(curve: SurvivalCurve, age: number): number {
  return age < curve.hazards.length ? curve.hazards[age]! : curve.tailHazard;
}

/**
 * P(pays renewal `paid + j` | paid `paid`) for j = 1..months: the weight of each future renewal
 * of a subscription that has paid `paid` renewals and is still running.
 */
export function conditionalSurvival(curve: SurvivalCurve, paid: number, months: number): number[] {
  const weights: number[] = [];
  let p = 1;
  for (let j = 1; j <= months; j++) {
    p *= 1 - hazardAt(curve, paid + j);
    weights.push(p);
  }
  return weights;
}

/** The curve each product is forecast with: its own from PRODUCT_SUBSCRIPTIONS_MIN subscriptions, else the overall one. */
export interface Retention {
  readonly overall: SurvivalCurve;
  readonly byProduct: ReadonlyMap<string, SurvivalCurve>;
}

export const OVERALL = '(all)';

export function retentionOf(lifetimes: readonly Lifetime[]): Retention {
  const groups = new Map<string, Lifetime[]>();
  for (const l of lifetimes) {
    const group = groups.get(l.product);
    if (group === undefined) groups.set(l.product, [l]);
    else group.push(l);
  }
  const byProduct = new Map<string, SurvivalCurve>();
  for (const [product, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (group.length >= PRODUCT_SUBSCRIPTIONS_MIN) byProduct.set(product, kaplanMeier(product, group));
  return { overall: kaplanMeier(OVERALL, lifetimes), byProduct };
}

export function curveFor(retention: Retention, product: string): SurvivalCurve {
  return retention.byProduct.get(product) ?? retention.overall;
}

/**
 * The retention estimate again from a resample (with replacement, within each product) of the
 * lifetimes: one draw of a bootstrap. `random` gives numbers in [0, 1) from a seeded generator.
 */
export function resampledRetention(lifetimes: readonly Lifetime[], random: () => number): Retention {
  const groups = new Map<string, Lifetime[]>();
  for (const l of lifetimes) {
    const group = groups.get(l.product);
    if (group === undefined) groups.set(l.product, [l]);
    else group.push(l);
  }
  const drawn: Lifetime[] = [];
  for (const [, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    for (let i = 0; i < group.length; i++) drawn.push(group[Math.floor(random() * group.length)]!);
  return retentionOf(drawn);
}
