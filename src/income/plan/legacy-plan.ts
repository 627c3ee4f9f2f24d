// Plans written before the rule language (five numbers: directSale.rate, renewal.rate,
// override.ratesByGeneration, affiliate.rate, residualTurnsPassive.afterCalendarMonths) are still
// read, as the rules that price exactly the same: read models of earlier generations record their
// plan in that form, and statements as of then refold the log under it.
// Pure.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The rules in the current form: a legacy rule set translated, anything else as it is. */
export function legacyRules(rules: unknown): unknown {
  if (!isObject(rules) || !isObject(rules.residualTurnsPassive) || !isObject(rules.directSale)) return rules;
  if (!('rate' in rules.directSale)) return rules;
  const rateOf = (rule: unknown): unknown => (isObject(rule) ? rule.rate : undefined);
  const months = rules.residualTurnsPassive.afterCalendarMonths;
  const rates = isObject(rules.override) ? rules.override.ratesByGeneration : undefined;
  const levels = Array.isArray(rates) ? rates.map((rate: unknown) => ({ rate })) : rates;
  const renewalRate = rateOf(rules.renewal);
  const steps = (pays: unknown) => [
    { from: 0, kind: 'residual', pays },
    { from: months, kind: 'passive', pays },
  ];
  return {
    directSale: { default: { kind: 'one-off', pays: { rate: rateOf(rules.directSale) } } },
    renewal: { default: { age: 'calendarMonths', steps: steps({ rate: renewalRate }) } },
    override: {
      default: {
        sale: { kind: 'residual', pays: levels },
        renewal: { age: 'calendarMonths', steps: steps(levels) },
      },
    },
    affiliate: { kind: 'passive', pays: { rate: rateOf(rules.affiliate) } },
  };
}
