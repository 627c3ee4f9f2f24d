// The compensation plan as data: versions with the business time they take effect, the checks
// that turn a parsed JSON file into a Plan or a list of problems naming the field, and the
// comparison that tells which business times a change of plan re-prices.
// Pure: no file system, no Nest, no clock.
import { Rate } from '../../shared/money.js';
import { parseInstant, type Instant } from '../../shared/time.js';
import { calendarProblems, canonicalPeriodRules, parsePeriodRules, type PeriodRules } from './period-rules.js';

/** One version of the rules. Every line records the version that priced it. */
export interface PlanVersion {
  readonly version: string;
  /** Business time from which this version prices events (the earliest version also covers all before). */
  readonly effectiveFrom: Instant;
  readonly directSaleRate: Rate;
  readonly renewalRate: Rate;
  /** Index 0 is generation 1 (the sponsor). Generations past the end earn nothing. */
  readonly overrideRates: readonly Rate[];
  readonly affiliateRate: Rate;
  /** A renewal this many calendar months or more after its subscription's sale earns passive income. */
  readonly residualTurnsPassiveAfterMonths: number;
  /** Commission periods and qualification (period-rules.ts). */
  readonly periodRules: PeriodRules;
}

export interface Plan {
  readonly description: string;
  /** In order of effectiveFrom, strictly increasing; at least one. */
  readonly versions: readonly PlanVersion[];
}

/** The version in force at a business time. */
export function versionAt(plan: Plan, at: Instant): PlanVersion {
  let found = plan.versions[0]!;
  for (const version of plan.versions) if (version.effectiveFrom <= at) found = version;
  return found;
}

/** The plan as canonical JSON: what identifies it (whitespace and key order in the file do not). */
export function canonicalPlan(plan: Plan): string {
  return JSON.stringify({ versions: plan.versions.map(canonicalVersion) });
}

function canonicalVersion(v: PlanVersion): object {
  return {
    version: v.version,
    effectiveFrom: v.effectiveFrom,
    rules: {
      directSale: { rate: v.directSaleRate.toString() },
      renewal: { rate: v.renewalRate.toString() },
      override: { ratesByGeneration: v.overrideRates.map(String) },
      affiliate: { rate: v.affiliateRate.toString() },
      residualTurnsPassive: { afterCalendarMonths: v.residualTurnsPassiveAfterMonths },
    },
    periodRules: canonicalPeriodRules(v.periodRules),
  };
}

/**
 * The earliest business time from which `next` may price an event differently from `previous`
 * ('' for all time), or null when the two price everything the same.
 */
export function firstDifference(previous: Plan, next: Plan): Instant | null {
  const boundaries = [
    ...new Set(['', ...previous.versions.map((v) => v.effectiveFrom), ...next.versions.map((v) => v.effectiveFrom)]),
  ].sort();
  for (const at of boundaries) {
    const [a, b] = [versionAt(previous, at), versionAt(next, at)];
    if (JSON.stringify(canonicalVersion(a)) !== JSON.stringify(canonicalVersion(b))) return at;
  }
  return null;
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; problems: string[] };

const OVERRIDE_GENERATIONS_MAX = 20;
const VERSIONS_MAX = 100;

/** Problems found while parsing, each naming the field. */
class Problems {
  readonly list: string[] = [];
  readonly at = (path: string, problem: string): void => {
    this.list.push(`${path}: ${problem}`);
  };
}

export function parsePlan(json: unknown): PlanResult {
  const problems = new Problems();
  const at = problems.at;
  const root = objectAt(json, 'plan', at);
  const description = typeof root?.description === 'string' ? root.description : '';
  const list = root?.versions;
  if (!Array.isArray(list) || list.length === 0 || list.length > VERSIONS_MAX) {
    at('versions', `must be a list of 1 to ${VERSIONS_MAX} plan versions`);
    return { ok: false, problems: problems.list };
  }
  const versions = list.map((entry, i) => parseVersion(entry, `versions[${i}]`, problems));
  versions.forEach((v, i) => {
    const before = versions[i - 1];
    if (v && before && v.effectiveFrom <= before.effectiveFrom)
      at(`versions[${i}].effectiveFrom`, 'must be later than the previous version');
    if (v && versions.findIndex((o) => o?.version === v.version) !== i)
      at(`versions[${i}].version`, `repeats version ${v.version}`);
  });
  if (problems.list.length === 0) problems.list.push(...calendarProblems(versions as PlanVersion[]));
  if (problems.list.length > 0) return { ok: false, problems: problems.list };
  return { ok: true, plan: { description, versions: versions as PlanVersion[] } };
}

function parseVersion(json: unknown, path: string, problems: Problems): PlanVersion | null {
  const before = problems.list.length;
  const at = problems.at;
  const root = objectAt(json, path, at);
  const rules = objectAt(root?.rules, `${path}.rules`, at);
  const version = root?.version;
  if (typeof version !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(version))
    at(`${path}.version`, 'must be 1 to 64 of A-Z a-z 0-9 . _ : -');
  const effectiveFrom = typeof root?.effectiveFrom === 'string' ? parseInstant(root.effectiveFrom) : null;
  if (effectiveFrom === null)
    at(`${path}.effectiveFrom`, 'must be an ISO 8601 date-time with an offset, such as 2026-01-01T00:00:00Z');

  const rateAt = (value: unknown, field: string): Rate | null => {
    if (typeof value !== 'string') {
      at(`${path}.${field}`, 'must be a decimal string such as "0.05"');
      return null;
    }
    const problem = Rate.problem(value);
    if (problem !== null) at(`${path}.${field}`, problem);
    return problem === null ? Rate.of(value) : null;
  };
  const directSaleRate = rateAt(
    objectAt(rules?.directSale, `${path}.rules.directSale`, at)?.rate,
    'rules.directSale.rate',
  );
  const renewalRate = rateAt(objectAt(rules?.renewal, `${path}.rules.renewal`, at)?.rate, 'rules.renewal.rate');
  const affiliateRate = rateAt(objectAt(rules?.affiliate, `${path}.rules.affiliate`, at)?.rate, 'rules.affiliate.rate');
  const byGeneration = objectAt(rules?.override, `${path}.rules.override`, at)?.ratesByGeneration;
  let overrideRates: (Rate | null)[] = [];
  if (!Array.isArray(byGeneration) || byGeneration.length > OVERRIDE_GENERATIONS_MAX) {
    at(`${path}.rules.override.ratesByGeneration`, `must be a list of at most ${OVERRIDE_GENERATIONS_MAX} rates`);
  } else {
    overrideRates = byGeneration.map((r, i) => rateAt(r, `rules.override.ratesByGeneration[${i}]`));
  }
  const months = objectAt(rules?.residualTurnsPassive, `${path}.rules.residualTurnsPassive`, at)?.afterCalendarMonths;
  if (typeof months !== 'number' || !Number.isInteger(months) || months < 1 || months > 1200) {
    at(`${path}.rules.residualTurnsPassive.afterCalendarMonths`, 'must be a whole number of months from 1 to 1200');
  }
  const periodRules = parsePeriodRules(root?.periodRules, `${path}.periodRules`, at);
  if (problems.list.length !== before) return null;
  return {
    version: version as string,
    effectiveFrom: effectiveFrom!,
    directSaleRate: directSaleRate!,
    renewalRate: renewalRate!,
    overrideRates: overrideRates as Rate[],
    affiliateRate: affiliateRate!,
    residualTurnsPassiveAfterMonths: months as number,
    periodRules: periodRules!,
  };
}

function objectAt(
  value: unknown,
  path: string,
  at: (path: string, problem: string) => void,
): Record<string, unknown> | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  at(path, 'must be an object');
  return undefined;
}
