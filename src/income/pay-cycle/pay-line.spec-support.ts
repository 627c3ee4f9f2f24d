// For the pay-cycle specs: a line of the fold's for a sale, with what every line they build shares (its source,
// plan version and times), so that each spec says only what its lines are about.
import { Money } from '../../shared/money.js';
import type { PayLine } from './period-figures.js';

/** What a spec says of a line: its amounts as the API prints them. */
export type SaleLineTerms = Pick<PayLine, 'earnerId' | 'rule' | 'kind' | 'currency' | 'rate' | 'level'> & {
  readonly amount: string;
  readonly baseAmount: string;
};

/**
 * A line for the sale at `position` of the log (event `e<position>` of stream `sale-<position>`), made and
 * recorded at `at`, under plan version `v`, with no product, step, fixed amount or cap.
 */
export function saleLine(terms: SaleLineTerms, position: number, at: string): PayLine {
  return {
    earnerId: terms.earnerId,
    rule: terms.rule,
    kind: terms.kind,
    amount: Money.parse(terms.amount, terms.currency),
    currency: terms.currency,
    baseAmount: Money.parse(terms.baseAmount, terms.currency),
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
