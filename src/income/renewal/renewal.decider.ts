import { LedgerError } from '../../shared/errors.js';
import { Money, exceedsRatio } from '../../shared/money.js';
import { forProduct, versionAt, type Plan } from '../plan/plan.js';
import {
  SUBSCRIPTION_RENEWED,
  SUBSCRIPTION_STARTED,
  SUBSCRIPTION_CANCELLED,
  sameTerms,
  type SubscriptionCancelledData,
  type LedgerEvent,
  type SaleMadeData,
  type SubscriptionRenewedData,
  type SubscriptionStartedData,
} from '../events.js';

export type RenewSubscriptionTerms = SubscriptionRenewedData;

export interface SubscriptionState {
  readonly started: SubscriptionStartedData | null;
  readonly renewals: ReadonlyMap<string, SubscriptionRenewedData>;
  readonly cancelled: SubscriptionCancelledData | null;
}

export function subscriptionState(events: readonly LedgerEvent[]): SubscriptionState {
  let started: SubscriptionStartedData | null = null;
  let cancelled: SubscriptionCancelledData | null = null;
  const renewals = new Map<string, SubscriptionRenewedData>();
  for (const event of events) {
    if (event.type === SUBSCRIPTION_STARTED) started = event.data;
    if (event.type === SUBSCRIPTION_RENEWED) renewals.set(event.data.renewalId, event.data);
    if (event.type === SUBSCRIPTION_CANCELLED) cancelled = event.data;
  }
  return { started, renewals, cancelled };
}

/**
 * Renews a subscription whose sale is recorded. `sale` is the SaleMade that started it, or null
 * when the subscription is unknown or its sale was claimed but never recorded.
 */
export function decideRenewSubscription(
  command: RenewSubscriptionTerms,
  subscription: SubscriptionState,
  sale: SaleMadeData | null,
  plan: Plan,
): LedgerEvent[] {
  const earlier = subscription.renewals.get(command.renewalId);
  if (earlier !== undefined) {
    if (sameTerms(earlier, command)) return [];
    throw new LedgerError(
      'RENEWAL_ID_REUSED',
      `renewal ${command.renewalId} of ${command.subscriptionId} was already recorded with other details`,
    );
  }
  // The sale behind the claim must be recorded, and must be the one that started this
  // subscription: a claim left by an interrupted sale that was then recorded otherwise is no
  // subscription at all.
  if (subscription.started === null || sale === null || sale.subscriptionId !== command.subscriptionId) {
    throw new LedgerError('SUBSCRIPTION_UNKNOWN', `subscription ${command.subscriptionId} is not known`, {
      subscriptionId: command.subscriptionId,
    });
  }
  if (command.currency !== sale.currency) {
    throw new LedgerError(
      'RENEWAL_CURRENCY_MISMATCH',
      `subscription ${command.subscriptionId} is billed in ${sale.currency}, not ${command.currency}`,
      {
        subscriptionCurrency: sale.currency,
      },
    );
  }
  if (subscription.cancelled !== null && command.renewedAt >= subscription.cancelled.cancelledAt) {
    throw new LedgerError(
      'SUBSCRIPTION_CANCELLED',
      `subscription ${command.subscriptionId} was cancelled on ${subscription.cancelled.cancelledAt}`,
      {
        cancelledAt: subscription.cancelled.cancelledAt,
      },
    );
  }
  if (command.renewedAt < sale.occurredAt) {
    throw new LedgerError(
      'RENEWAL_BEFORE_SALE',
      `renewal dated ${command.renewedAt}, before the subscription's sale on ${sale.occurredAt}`,
      {
        saleOccurredAt: sale.occurredAt,
      },
    );
  }
  checkRenewalAmount(command, sale, plan);
  return [{ type: SUBSCRIPTION_RENEWED, data: { ...command } }];
}

/**
 * A renewal may be at most the plan's `renewalAmount.maxRatioToSale` times its sale's amount (per
 * product, under the version in force at `renewedAt`): a typo of a few zeros would otherwise pay
 * overrides on a fortune. Without that rule any amount up to the maximum is taken.
 */
function checkRenewalAmount(command: RenewSubscriptionTerms, sale: SaleMadeData, plan: Plan): void {
  const rule = versionAt(plan, command.renewedAt).rules.renewalAmount;
  if (rule === undefined) return;
  const { maxRatioToSale } = forProduct(rule, sale.productCode ?? null).rule;
  const [amount, base] = [Money.of(command.amount, command.currency), Money.of(sale.amount, sale.currency)];
  if (!exceedsRatio(amount, base, maxRatioToSale)) return;
  throw new LedgerError(
    'RENEWAL_EXCEEDS_SALE_RATIO',
    `renewal of ${command.amount} ${command.currency} is more than ${maxRatioToSale} × the sale's ${sale.amount}`,
    { saleAmount: sale.amount, maxRatioToSale },
  );
}
