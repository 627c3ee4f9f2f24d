// For the pay-cycle specs: a line of the fold's for a sale, with what every line they build shares (its source,
// plan version and times), so that each spec says only what its lines are about.
import type { PayLine } from './period-figures.js';

/** What a spec says of a line. */
export type SaleLineTerms = Pick<
  PayLine,
  'earnerId' | 'rule' | 'kind' | 'amount' | 'currency' | 'baseAmount' | 'rate' | 'level'
>;

/**
 * A line for the sale at `position` of the log (event `e<position>` of stream `sale-<position>`), made and
 * recorded at `at`, under plan version `v`, with no product, step, fixed amount or cap.
 */
export function saleLine(terms: SaleLineTerms, position: number, at: string): PayLine {
  return {
    earnerId: terms.earnerId,
    rule: terms.rule,
    kind: terms.kind,
    amount: terms.amount,
    currency: terms.currency,
    baseAmount: terms.baseAmount,
    fixedAmount: null,
    product: null,
    step: null,
    cap: null,
    uncappedAmount: null,
    rate: terms.rate,
    level: terms.level,
    planVersion: 'v',
    occurredAt: at,
    recordedAt: at,
    source: {
      eventId: `e${position}`,
      eventType: 'SaleMade',
      stream: `sale-${position}`,
      revision: 0,
      position: String(position),
    },
  };
}
