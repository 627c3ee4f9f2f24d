import { LedgerError } from '../../shared/errors.js';
import { Money } from '../../shared/money.js';
import {
  SALE_MADE,
  SALE_REFUNDED,
  sameTerms,
  type LedgerEvent,
  type SaleMadeData,
  type SaleRefundedData,
} from '../events.js';

export type RefundSaleTerms = SaleRefundedData;

export interface RefundableSale {
  readonly sale: SaleMadeData | null;
  readonly refunds: ReadonlyMap<string, SaleRefundedData>;
}

export function refundableSale(events: readonly LedgerEvent[]): RefundableSale {
  let sale: SaleMadeData | null = null;
  const refunds = new Map<string, SaleRefundedData>();
  for (const event of events) {
    if (event.type === SALE_MADE) sale = event.data;
    if (event.type === SALE_REFUNDED) refunds.set(event.data.refundId, event.data);
  }
  return { sale, refunds };
}

/**
 * Refunds all or part of a sale. Nothing is edited: the refund is a new fact, and the income fold
 * answers every line of the sale with reversing lines in proportion. The refunds of one sale never
 * add up to more than the sale.
 */
export function decideRefundSale(command: RefundSaleTerms, state: RefundableSale): LedgerEvent[] {
  const earlier = state.refunds.get(command.refundId);
  if (earlier !== undefined) {
    if (sameTerms(earlier, command)) return [];
    throw new LedgerError(
      'REFUND_ID_REUSED',
      `refund ${command.refundId} of sale ${command.saleId} was already recorded with other details`,
    );
  }
  const sale = state.sale;
  if (sale === null)
    throw new LedgerError('SALE_UNKNOWN', `sale ${command.saleId} is not known`, { saleId: command.saleId });
  if (command.currency !== sale.currency) {
    throw new LedgerError(
      'REFUND_CURRENCY_MISMATCH',
      `sale ${command.saleId} was made in ${sale.currency}, not ${command.currency}`,
      {
        saleCurrency: sale.currency,
      },
    );
  }
  if (command.refundedAt < sale.occurredAt) {
    throw new LedgerError(
      'REFUND_BEFORE_SALE',
      `refund dated ${command.refundedAt}, before the sale on ${sale.occurredAt}`,
      {
        saleOccurredAt: sale.occurredAt,
      },
    );
  }
  const refunded = [...state.refunds.values()].reduce(
    (sum, r) => sum.plus(Money.of(r.amount, r.currency)),
    Money.zero(sale.currency),
  );
  const refundable = Money.of(sale.amount, sale.currency).minus(refunded);
  if (Money.of(command.amount, command.currency).compare(refundable) > 0) {
    throw new LedgerError(
      'REFUND_EXCEEDS_SALE',
      `sale ${command.saleId} has ${refundable.toString()} ${sale.currency} left to refund`,
      {
        refundable: refundable.toString(),
      },
    );
  }
  return [{ type: SALE_REFUNDED, data: { ...command } }];
}
