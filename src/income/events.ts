// The ledger's event catalogue. Type strings are explicit constants and are never renamed:
// they are stored forever. Stored events pass through decodeLedgerEvent before anyone trusts them.
import type { RecordedEvent } from '../event-store/event-store.port.js';
import { categoryOf } from '../event-store/event-store.port.js';
import { isId } from '../shared/ids.js';
import { amountProblem, isKnownCurrency } from '../shared/money.js';
import { isInstant, type Instant } from '../shared/time.js';

export const REP_RECRUITED = 'RepRecruited';
export const SALE_MADE = 'SaleMade';
export const SUBSCRIPTION_STARTED = 'SubscriptionStarted';
export const SUBSCRIPTION_RENEWED = 'SubscriptionRenewed';
export const AFFILIATE_CLICK_CONVERTED = 'AffiliateClickConverted';
export const SALE_REFUNDED = 'SaleRefunded';
export const SUBSCRIPTION_CANCELLED = 'SubscriptionCancelled';

/** Stream categories of this ledger. */
export const CATEGORY = {
  rep: 'rep',
  sale: 'sale',
  subscription: 'subscription',
  conversion: 'conversion',
} as const;

export const LEDGER_CATEGORIES: ReadonlySet<string> = new Set(Object.values(CATEGORY));

export type SaleKind = 'one-off' | 'subscription';

export interface RepRecruitedData {
  readonly repId: string;
  readonly sponsorId: string | null;
  readonly name: string;
  readonly recruitedAt: Instant;
}

export interface SaleMadeData {
  readonly saleId: string;
  readonly repId: string;
  readonly customerId: string;
  readonly amount: string;
  readonly currency: string;
  readonly kind: SaleKind;
  readonly subscriptionId: string | null;
  /** The product or billing plan sold, which picks the plan's per-product rules; absent for none (as in events written before products). */
  readonly productCode?: string;
  readonly occurredAt: Instant;
}

/** Claims a subscription id for one sale, before that sale's SaleMade is written. Earns nothing. */
export interface SubscriptionStartedData {
  readonly subscriptionId: string;
  readonly saleId: string;
  readonly repId: string;
  readonly currency: string;
  readonly startedAt: Instant;
}

export interface SubscriptionRenewedData {
  readonly subscriptionId: string;
  readonly renewalId: string;
  readonly amount: string;
  readonly currency: string;
  readonly renewedAt: Instant;
}

export interface AffiliateClickConvertedData {
  readonly clickId: string;
  readonly affiliateId: string;
  readonly orderId: string;
  readonly amount: string;
  readonly currency: string;
  readonly convertedAt: Instant;
}

/** A refund of all or part of a sale: every line the sale produced is answered in proportion. */
export interface SaleRefundedData {
  readonly saleId: string;
  readonly refundId: string;
  readonly amount: string;
  readonly currency: string;
  readonly reason: string;
  readonly refundedAt: Instant;
}

/** No renewal dated at or after `cancelledAt` is accepted. Earns nothing, reverses nothing. */
export interface SubscriptionCancelledData {
  readonly subscriptionId: string;
  readonly reason: string;
  readonly cancelledAt: Instant;
}

export type LedgerEvent =
  | { readonly type: typeof REP_RECRUITED; readonly data: RepRecruitedData }
  | { readonly type: typeof SALE_MADE; readonly data: SaleMadeData }
  | { readonly type: typeof SUBSCRIPTION_STARTED; readonly data: SubscriptionStartedData }
  | { readonly type: typeof SUBSCRIPTION_RENEWED; readonly data: SubscriptionRenewedData }
  | { readonly type: typeof AFFILIATE_CLICK_CONVERTED; readonly data: AffiliateClickConvertedData }
  | { readonly type: typeof SALE_REFUNDED; readonly data: SaleRefundedData }
  | { readonly type: typeof SUBSCRIPTION_CANCELLED; readonly data: SubscriptionCancelledData };

/** A decoded event with where it sits in the log. */
export type RecordedLedgerEvent = LedgerEvent & {
  readonly id: string;
  readonly stream: string;
  readonly revision: number;
  readonly position: string;
};

/** A stored event that does not match the catalogue. The projection stops on it rather than guess. */
export class CorruptEventError extends Error {
  constructor(recorded: Pick<RecordedEvent, 'stream' | 'revision' | 'type' | 'position'>, reason: string) {
    super(
      `event ${recorded.type} at ${recorded.stream}@${recorded.revision} (position ${recorded.position}): ${reason}`,
    );
    this.name = 'CorruptEventError';
  }
}

/** Whether an event of the global log belongs to this ledger (the log may hold others' streams). */
export function isLedgerStream(stream: string): boolean {
  return LEDGER_CATEGORIES.has(categoryOf(stream));
}

/** When the service recorded an event (its metadata's recordedAt): the knowledge time of what it means. */
export function recordedAtOf(recorded: RecordedEvent): Instant {
  const metadata = recorded.metadata;
  const at =
    typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>).recordedAt : undefined;
  if (typeof at !== 'string' || !isInstant(at))
    throw new CorruptEventError(recorded, 'metadata.recordedAt is not a UTC instant');
  return at;
}

export function decodeLedgerEvent(recorded: RecordedEvent): RecordedLedgerEvent {
  const at = { id: recorded.id, stream: recorded.stream, revision: recorded.revision, position: recorded.position };
  const fail = (reason: string): never => {
    throw new CorruptEventError(recorded, reason);
  };
  const data = recorded.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('data is not an object');
  const d = data as Record<string, unknown>;
  const field = new FieldReader(d, fail);

  switch (recorded.type) {
    case REP_RECRUITED:
      return {
        ...at,
        type: REP_RECRUITED,
        data: {
          repId: field.id('repId'),
          sponsorId: d.sponsorId === null ? null : field.id('sponsorId'),
          name: field.text('name'),
          recruitedAt: field.instant('recruitedAt'),
        },
      };
    case SALE_MADE: {
      const kind =
        d.kind === 'one-off' || d.kind === 'subscription' ? d.kind : fail('kind is not one-off or subscription');
      const currency = field.currency('currency');
      return {
        ...at,
        type: SALE_MADE,
        data: {
          saleId: field.id('saleId'),
          repId: field.id('repId'),
          customerId: field.id('customerId'),
          amount: field.amount('amount', currency),
          currency,
          kind,
          subscriptionId:
            kind === 'subscription'
              ? field.id('subscriptionId')
              : d.subscriptionId === null
                ? null
                : fail('a one-off sale has a subscriptionId'),
          ...(d.productCode === undefined ? {} : { productCode: field.id('productCode') }),
          occurredAt: field.instant('occurredAt'),
        },
      };
    }
    case SUBSCRIPTION_STARTED:
      return {
        ...at,
        type: SUBSCRIPTION_STARTED,
        data: {
          subscriptionId: field.id('subscriptionId'),
          saleId: field.id('saleId'),
          repId: field.id('repId'),
          currency: field.currency('currency'),
          startedAt: field.instant('startedAt'),
        },
      };
    case SUBSCRIPTION_RENEWED: {
      const currency = field.currency('currency');
      return {
        ...at,
        type: SUBSCRIPTION_RENEWED,
        data: {
          subscriptionId: field.id('subscriptionId'),
          renewalId: field.id('renewalId'),
          amount: field.amount('amount', currency),
          currency,
          renewedAt: field.instant('renewedAt'),
        },
      };
    }
    case AFFILIATE_CLICK_CONVERTED: {
      const currency = field.currency('currency');
      return {
        ...at,
        type: AFFILIATE_CLICK_CONVERTED,
        data: {
          clickId: field.id('clickId'),
          affiliateId: field.id('affiliateId'),
          orderId: field.id('orderId'),
          amount: field.amount('amount', currency),
          currency,
          convertedAt: field.instant('convertedAt'),
        },
      };
    }
    case SALE_REFUNDED: {
      const currency = field.currency('currency');
      return {
        ...at,
        type: SALE_REFUNDED,
        data: {
          saleId: field.id('saleId'),
          refundId: field.id('refundId'),
          amount: field.amount('amount', currency),
          currency,
          reason: field.text('reason'),
          refundedAt: field.instant('refundedAt'),
        },
      };
    }
    case SUBSCRIPTION_CANCELLED:
      return {
        ...at,
        type: SUBSCRIPTION_CANCELLED,
        data: {
          subscriptionId: field.id('subscriptionId'),
          reason: field.text('reason'),
          cancelledAt: field.instant('cancelledAt'),
        },
      };
    default:
      return fail('unknown event type');
  }
}

class FieldReader {
  constructor(
    private readonly data: Record<string, unknown>,
    private readonly fail: (reason: string) => never,
  ) {}

  id(name: string): string {
    const v = this.data[name];
    return isId(v) ? v : this.fail(`${name} is not an id`);
  }

  text(name: string): string {
    const v = this.data[name];
    return typeof v === 'string' && v.length > 0 ? v : this.fail(`${name} is not a non-empty string`);
  }

  instant(name: string): Instant {
    const v = this.data[name];
    return typeof v === 'string' && isInstant(v) ? v : this.fail(`${name} is not a canonical UTC instant`);
  }

  currency(name: string): string {
    const v = this.data[name];
    return typeof v === 'string' && isKnownCurrency(v) ? v : this.fail(`${name} is not an ISO 4217 currency`);
  }

  amount(name: string, currency: string): string {
    const v = this.data[name];
    return typeof v === 'string' && amountProblem(v, currency) === null
      ? v
      : this.fail(`${name} is not a valid ${currency} amount`);
  }
}

export const repStream = (repId: string): string => `${CATEGORY.rep}-${repId}`;
export const saleStream = (saleId: string): string => `${CATEGORY.sale}-${saleId}`;
export const subscriptionStream = (subscriptionId: string): string => `${CATEGORY.subscription}-${subscriptionId}`;
export const conversionStream = (clickId: string): string => `${CATEGORY.conversion}-${clickId}`;

/**
 * Business keys: the event id of each event is derived from its key. Two ids are joined with a
 * `/`, which ids cannot contain, so that (`a:b`, `c`) and (`a`, `b:c`) never share a key.
 */
export const businessKey = {
  rep: (repId: string) => `rep:${repId}`,
  sale: (saleId: string) => `sale:${saleId}`,
  subscriptionStart: (subscriptionId: string, saleId: string) => `subscription:${subscriptionId}/${saleId}`,
  renewal: (subscriptionId: string, renewalId: string) => `renewal:${subscriptionId}/${renewalId}`,
  click: (clickId: string) => `click:${clickId}`,
  refund: (saleId: string, refundId: string) => `refund:${saleId}/${refundId}`,
  cancellation: (subscriptionId: string) => `cancellation:${subscriptionId}`,
};

/** Whether two event payloads carry the same terms (same fields, same values). */
export function sameTerms(a: object, b: object): boolean {
  const ka = Object.keys(a).sort(),
    kb = Object.keys(b).sort();
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}
