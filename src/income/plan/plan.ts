// The compensation plan as data: its shape, and the checks that turn a parsed JSON file into
// a Plan or a list of problems that name the field. Pure: no file system, no Nest.
import { Rate } from '../../shared/money.js';

export interface Plan {
  /** Recorded on every ledger line priced by this plan. */
  readonly version: string;
  readonly description: string;
  readonly directSaleRate: Rate;
  readonly renewalRate: Rate;
  /** Index 0 is generation 1 (the sponsor). Generations past the end earn nothing. */
  readonly overrideRates: readonly Rate[];
  readonly affiliateRate: Rate;
  /** A renewal this many calendar months or more after its subscription's sale earns passive income. */
  readonly residualTurnsPassiveAfterMonths: number;
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; problems: string[] };

const OVERRIDE_GENERATIONS_MAX = 20;

export function parsePlan(json: unknown): PlanResult {
  const problems: string[] = [];
  const at = (path: string, problem: string) => problems.push(`${path}: ${problem}`);

  const root = objectAt(json, 'plan', at);
  const rules = objectAt(root?.rules, 'rules', at);
  const version = root?.version;
  if (typeof version !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(version)) {
    at('version', 'must be 1 to 64 of A-Z a-z 0-9 . _ : -');
  }
  const description = typeof root?.description === 'string' ? root.description : '';

  const rateAt = (value: unknown, path: string): Rate | null => {
    if (typeof value !== 'string') {
      at(path, 'must be a decimal string such as "0.05"');
      return null;
    }
    const problem = Rate.problem(value);
    if (problem !== null) at(path, problem);
    return problem === null ? Rate.of(value) : null;
  };

  const directSaleRate = rateAt(objectAt(rules?.directSale, 'rules.directSale', at)?.rate, 'rules.directSale.rate');
  const renewalRate = rateAt(objectAt(rules?.renewal, 'rules.renewal', at)?.rate, 'rules.renewal.rate');
  const affiliateRate = rateAt(objectAt(rules?.affiliate, 'rules.affiliate', at)?.rate, 'rules.affiliate.rate');

  const byGeneration = objectAt(rules?.override, 'rules.override', at)?.ratesByGeneration;
  let overrideRates: (Rate | null)[] = [];
  if (!Array.isArray(byGeneration) || byGeneration.length > OVERRIDE_GENERATIONS_MAX) {
    at('rules.override.ratesByGeneration', `must be a list of at most ${OVERRIDE_GENERATIONS_MAX} rates`);
  } else {
    overrideRates = byGeneration.map((r, i) => rateAt(r, `rules.override.ratesByGeneration[${i}]`));
  }

  const months = objectAt(rules?.residualTurnsPassive, 'rules.residualTurnsPassive', at)?.afterCalendarMonths;
  if (typeof months !== 'number' || !Number.isInteger(months) || months < 1 || months > 1200) {
    at('rules.residualTurnsPassive.afterCalendarMonths', 'must be a whole number of months from 1 to 1200');
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    plan: {
      version: version as string,
      description,
      directSaleRate: directSaleRate!,
      renewalRate: renewalRate!,
      overrideRates: overrideRates as Rate[],
      affiliateRate: affiliateRate!,
      residualTurnsPassiveAfterMonths: months as number,
    },
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
