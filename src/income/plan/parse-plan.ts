// Turns a parsed JSON plan file into a Plan, or into the list of its problems, each named by its
// field path (`versions[0].rules.renewal.default.steps[1].from: ...`). Everything is bounded: lists,
// products, currencies and numbers have limits, so a plan is small and cheap to price with.
// Pure: no file system, no Nest, no clock.
import { calendarProblems, parsePeriodRules } from './period-rules.js';
import { Rate, amountProblem, isKnownCurrency, normalizeAmount, ratioProblem } from '../../shared/money.js';
import { isId } from '../../shared/ids.js';
import { parseInstant } from '../../shared/time.js';
import { legacyRules } from './legacy-plan.js';
import type {
  AgeMeasure,
  ByLevel,
  Caps,
  FastStartRule,
  IncomeKind,
  OneTime,
  OverrideRule,
  PerCurrency,
  PerProduct,
  Plan,
  PlanVersion,
  Recurring,
  RenewalAmountRule,
  Reward,
  Rules,
  Step,
} from './plan.js';

export type PlanResult = { ok: true; plan: Plan } | { ok: false; problems: string[] };

const VERSIONS_MAX = 100;
const PRODUCTS_MAX = 100;
const STEPS_MAX = 20;
const OVERRIDE_LEVELS_MAX = 20;
const CURRENCIES_MAX = 50;
const AGE_MAX = 1200;
const FAST_START_DAYS_MAX = 3650;
const KINDS: readonly IncomeKind[] = ['one-off', 'residual', 'passive'];

/** Problems found while parsing, each naming the field. */
class Problems {
  readonly list: string[] = [];
  readonly at = (path: string, problem: string): void => {
    this.list.push(`${path}: ${problem}`);
  };
}

/** Reads one kind of value at a path; returns null (and records why) when it is not one. */
type Reader<T> = (value: unknown, path: string, p: Problems) => T | null;

export function parsePlan(json: unknown): PlanResult {
  const problems = new Problems();
  const root = objectAt(json, 'plan', problems);
  const description = typeof root?.description === 'string' ? root.description : '';
  const list = root?.versions;
  if (!Array.isArray(list) || list.length === 0 || list.length > VERSIONS_MAX) {
    problems.at('versions', `must be a list of 1 to ${VERSIONS_MAX} plan versions`);
    return { ok: false, problems: problems.list };
  }
  const versions = list.map((entry, i) => parseVersion(entry, `versions[${i}]`, problems));
  versions.forEach((v, i) => {
    const before = versions[i - 1];
    if (v && before && v.effectiveFrom <= before.effectiveFrom)
      problems.at(`versions[${i}].effectiveFrom`, 'must be later than the previous version');
    if (v && versions.findIndex((o) => o?.version === v.version) !== i)
      problems.at(`versions[${i}].version`, `repeats version ${v.version}`);
  });
  if (problems.list.length === 0) problems.list.push(...calendarProblems(versions as PlanVersion[]));
  if (problems.list.length > 0) return { ok: false, problems: problems.list };
  return { ok: true, plan: { description, versions: versions as PlanVersion[] } };
}

function parseVersion(json: unknown, path: string, p: Problems): PlanVersion | null {
  const before = p.list.length;
  const root = objectAt(json, path, p);
  const version = root?.version;
  if (typeof version !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(version))
    p.at(`${path}.version`, 'must be 1 to 64 of A-Z a-z 0-9 . _ : -');
  const effectiveFrom = typeof root?.effectiveFrom === 'string' ? parseInstant(root.effectiveFrom) : null;
  if (effectiveFrom === null)
    p.at(`${path}.effectiveFrom`, 'must be an ISO 8601 date-time with an offset, such as 2026-01-01T00:00:00Z');
  const rules = parseRules(legacyRules(root?.rules), `${path}.rules`, p);
  const periodRules = parsePeriodRules(root?.periodRules, `${path}.periodRules`, p.at);
  if (p.list.length !== before || rules === null || periodRules === null) return null;
  return { version: version as string, effectiveFrom: effectiveFrom!, rules, periodRules };
}

function parseRules(json: unknown, path: string, p: Problems): Rules | null {
  const root = objectAt(json, path, p);
  if (root === undefined) return null;
  known(root, path, ['directSale', 'renewal', 'override', 'affiliate', 'fastStart', 'caps', 'renewalAmount'], p);
  const optional = <T>(name: string, read: Reader<PerProduct<T>>) =>
    root[name] === undefined ? undefined : (read(root[name], `${path}.${name}`, p) ?? undefined);
  const rules = {
    directSale: perProduct(oneTime(reward))(root.directSale, `${path}.directSale`, p),
    renewal: perProduct(recurring(reward))(root.renewal, `${path}.renewal`, p),
    override: perProduct(overrideRule)(root.override, `${path}.override`, p),
    affiliate: oneTime(reward)(root.affiliate, `${path}.affiliate`, p),
    fastStart: optional('fastStart', perProduct(fastStart)),
    caps: optional('caps', perProduct(caps)),
    renewalAmount: optional('renewalAmount', perProduct(renewalAmount)),
  };
  const { directSale, renewal, override, affiliate } = rules;
  if (directSale === null || renewal === null || override === null || affiliate === null) return null;
  return withoutUndefined({ ...rules, directSale, renewal, override, affiliate });
}

function perProduct<T>(read: Reader<T>): Reader<PerProduct<T>> {
  return (value, path, p) => {
    const root = objectAt(value, path, p);
    if (root === undefined) return null;
    known(root, path, ['default', 'products'], p);
    const byDefault = read(root.default, `${path}.default`, p);
    const products = root.products === undefined ? {} : objectAt(root.products, `${path}.products`, p);
    if (products === undefined) return null;
    const codes = Object.keys(products).sort();
    if (codes.length > PRODUCTS_MAX) p.at(`${path}.products`, `must name at most ${PRODUCTS_MAX} products`);
    const entries = codes.map((code) => {
      if (!isId(code))
        p.at(`${path}.products`, `${JSON.stringify(code)} is not a product code (1 to 64 of A-Z a-z 0-9 . _ : -)`);
      return [code, read(products[code], `${path}.products.${code}`, p)] as const;
    });
    if (byDefault === null || entries.some(([, rule]) => rule === null)) return null;
    return { default: byDefault, products: Object.fromEntries(entries) as Record<string, T> };
  };
}

function oneTime<P>(pays: Reader<P>): Reader<OneTime<P>> {
  return (value, path, p) => {
    const root = objectAt(value, path, p);
    if (root === undefined) return null;
    known(root, path, ['kind', 'pays'], p);
    const [k, what] = [kind(root.kind, `${path}.kind`, p), pays(root.pays, `${path}.pays`, p)];
    return k === null || what === null ? null : { kind: k, pays: what };
  };
}

function recurring<P>(pays: Reader<P>): Reader<Recurring<P>> {
  return (value, path, p) => {
    const root = objectAt(value, path, p);
    if (root === undefined) return null;
    known(root, path, ['age', 'steps', 'until'], p);
    const age: AgeMeasure | null = root.age === 'calendarMonths' || root.age === 'renewals' ? root.age : null;
    if (age === null) p.at(`${path}.age`, 'must be "calendarMonths" or "renewals"');
    const steps = listAt(root.steps, `${path}.steps`, STEPS_MAX, p)?.map((s, i) =>
      step(pays)(s, `${path}.steps[${i}]`, p),
    );
    const until = root.until === undefined ? undefined : untilAt(root.until, `${path}.until`, p);
    if (age === null || steps === undefined || steps.some((s) => s === null) || until === null) return null;
    const first = age === 'calendarMonths' ? 0 : 1;
    steps.forEach((s, i) => {
      if (i === 0 && s!.from !== first)
        p.at(`${path}.steps[0].from`, `must be ${first}, so that every ${age} age has a step`);
      if (i > 0 && s!.from <= steps[i - 1]!.from)
        p.at(`${path}.steps[${i}].from`, 'must be greater than the previous step');
    });
    return withoutUndefined({ age, steps: steps as Step<P>[], until });
  };
}

function step<P>(pays: Reader<P>): Reader<Step<P>> {
  return (value, path, p) => {
    const root = objectAt(value, path, p);
    if (root === undefined) return null;
    known(root, path, ['from', 'kind', 'pays'], p);
    const from = wholeNumber(root.from, `${path}.from`, 0, AGE_MAX, p);
    const [k, what] = [kind(root.kind, `${path}.kind`, p), pays(root.pays, `${path}.pays`, p)];
    return from === null || k === null || what === null ? null : { from, kind: k, pays: what };
  };
}

function untilAt(value: unknown, path: string, p: Problems): Recurring<unknown>['until'] | null {
  const root = objectAt(value, path, p);
  const keys = root === undefined ? [] : Object.keys(root);
  if (root === undefined || keys.length !== 1 || (keys[0] !== 'calendarMonths' && keys[0] !== 'renewals')) {
    if (root !== undefined) p.at(path, 'must be { "calendarMonths": N } or { "renewals": N }');
    return null;
  }
  const n = wholeNumber(root[keys[0]], `${path}.${keys[0]}`, 1, AGE_MAX, p);
  if (n === null) return null;
  return keys[0] === 'calendarMonths' ? { calendarMonths: n } : { renewals: n };
}

const overrideRule: Reader<OverrideRule> = (value, path, p) => {
  const root = objectAt(value, path, p);
  if (root === undefined) return null;
  known(root, path, ['sale', 'renewal'], p);
  const sale = oneTime(byLevel)(root.sale, `${path}.sale`, p);
  const renewal = recurring(byLevel)(root.renewal, `${path}.renewal`, p);
  return sale === null || renewal === null ? null : { sale, renewal };
};

const byLevel: Reader<ByLevel> = (value, path, p) => {
  const list = listAt(value, path, OVERRIDE_LEVELS_MAX, p, 0);
  const rewards = list?.map((r, i) => reward(r, `${path}[${i}]`, p));
  return rewards === undefined || rewards.some((r) => r === null) ? null : (rewards as Reward[]);
};

const reward: Reader<Reward> = (value, path, p) => {
  const root = objectAt(value, path, p);
  if (root === undefined) return null;
  if (Object.keys(root).length !== 1 || !('rate' in root || 'fixed' in root)) {
    p.at(path, 'must be { "rate": "0.05" } or { "fixed": { "USD": "5.00" } }');
    return null;
  }
  if ('fixed' in root) {
    const fixed = perCurrency(root.fixed, `${path}.fixed`, p);
    return fixed === null ? null : { fixed };
  }
  if (typeof root.rate !== 'string') {
    p.at(`${path}.rate`, 'must be a decimal string such as "0.05"');
    return null;
  }
  const problem = Rate.problem(root.rate);
  if (problem !== null) p.at(`${path}.rate`, problem);
  return problem === null ? { rate: Rate.of(root.rate) } : null;
};

/** Amounts keyed by ISO 4217 code, each fixed to the currency's minor units, in code order. */
function perCurrency(value: unknown, path: string, p: Problems): PerCurrency | null {
  const root = objectAt(value, path, p);
  if (root === undefined) return null;
  const codes = Object.keys(root).sort();
  if (codes.length === 0 || codes.length > CURRENCIES_MAX) p.at(path, `must name 1 to ${CURRENCIES_MAX} currencies`);
  const before = p.list.length;
  const entries = codes.map((code) => {
    const amount = root[code];
    if (!isKnownCurrency(code)) p.at(`${path}.${code}`, 'is not an ISO 4217 currency');
    else if (typeof amount !== 'string') p.at(`${path}.${code}`, 'must be a decimal string such as "5.00"');
    else {
      const problem = amountProblem(amount, code);
      if (problem !== null) p.at(`${path}.${code}`, problem);
      else return [code, normalizeAmount(amount, code)] as const;
    }
    return [code, ''] as const;
  });
  return p.list.length === before && codes.length > 0 ? Object.fromEntries(entries) : null;
}

const fastStart: Reader<FastStartRule> = (value, path, p) => {
  const root = objectAt(value, path, p);
  if (root === undefined) return null;
  known(root, path, ['withinDays', 'rep', 'sponsor'], p);
  const withinDays = wholeNumber(root.withinDays, `${path}.withinDays`, 1, FAST_START_DAYS_MAX, p);
  const rep = oneTime(reward)(root.rep, `${path}.rep`, p);
  const sponsor = root.sponsor === undefined ? undefined : oneTime(reward)(root.sponsor, `${path}.sponsor`, p);
  if (withinDays === null || rep === null || sponsor === null) return null;
  return withoutUndefined({ withinDays, rep, sponsor });
};

const caps: Reader<Caps> = (value, path, p) => {
  const root = objectAt(value, path, p);
  if (root === undefined) return null;
  const names = ['perLine', 'perSubscription', 'perCustomer'] as const;
  known(root, path, names, p);
  const read = (name: (typeof names)[number]) =>
    root[name] === undefined ? undefined : perCurrency(root[name], `${path}.${name}`, p);
  const [perLine, perSubscription, perCustomer] = names.map(read);
  if (perLine === null || perSubscription === null || perCustomer === null) return null;
  return withoutUndefined({ perLine, perSubscription, perCustomer });
};

const renewalAmount: Reader<RenewalAmountRule> = (value, path, p) => {
  const root = objectAt(value, path, p);
  if (root === undefined) return null;
  known(root, path, ['maxRatioToSale'], p);
  const ratio = root.maxRatioToSale;
  const problem = typeof ratio === 'string' ? ratioProblem(ratio) : 'must be a decimal string such as "1.5"';
  if (problem !== null) p.at(`${path}.maxRatioToSale`, problem);
  return problem === null ? { maxRatioToSale: ratio as string } : null;
};

function kind(value: unknown, path: string, p: Problems): IncomeKind | null {
  if (KINDS.includes(value as IncomeKind)) return value as IncomeKind;
  p.at(path, 'must be "one-off", "residual" or "passive"');
  return null;
}

function wholeNumber(value: unknown, path: string, min: number, max: number, p: Problems): number | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  p.at(path, `must be a whole number from ${min} to ${max}`);
  return null;
}

function listAt(value: unknown, path: string, max: number, p: Problems, min = 1): unknown[] | undefined {
  if (Array.isArray(value) && value.length >= min && value.length <= max) return value as unknown[];
  p.at(path, `must be a list of ${min} to ${max} entries`);
  return undefined;
}

/** A misspelt field would otherwise be ignored silently, and its rule never apply. */
function known(root: Record<string, unknown>, path: string, names: readonly string[], p: Problems): void {
  for (const key of Object.keys(root)) if (!names.includes(key)) p.at(`${path}.${key}`, 'is not a field of this rule');
}

function objectAt(value: unknown, path: string, p: Problems): Record<string, unknown> | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  p.at(path, 'must be an object');
  return undefined;
}

/** Optional fields absent rather than undefined, so that equal rules have equal canonical JSON. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
