// The ledger's event catalogue. Type strings are explicit constants and are never renamed:
// they are stored forever. Stored events pass through decodeLedgerEvent before anyone trusts them.
import type { RecordedEvent } from '../event-store/event-store.port.js';
import { categoryOf } from '../event-store/event-store.port.js';
import { isStoredId } from '../shared/ids.js';
import { amountProblem, isKnownCurrency, minorUnitsOf } from '../shared/money.js';
import { isInstant, type Instant } from '../shared/time.js';

export const REP_RECRUITED = 'RepRecruited';
export const SALE_MADE = 'SaleMade';
export const SUBSCRIPTION_STARTED = 'SubscriptionStarted';
export const SUBSCRIPTION_RENEWED = 'SubscriptionRenewed';
export const AFFILIATE_CLICK_CONVERTED = 'AffiliateClickConverted';
export const AFFILIATE_ORDER_CLAIMED = 'AffiliateOrderClaimed';
export const SALE_REFUNDED = 'SaleRefunded';
export const SUBSCRIPTION_CANCELLED = 'SubscriptionCancelled';

/** Stream categories of this ledger. */
export const CATEGORY = {
  rep: 'rep',
  sale: 'sale',
  subscription: 'subscription',
  conversion: 'conversion',
  // Not `order`: a log shared with an order system may well hold `order-` streams of its own.
  affiliateOrder: 'affiliateorder',
} as const;

export const LEDGER_CATEGORIES: ReadonlySet<string> = new Set(Object.values(CATEGORY));

/** A single sale, or the first payment of a subscription. */
export type SaleKind = 'single' | 'subscription';

/**
 * A sale's kind as the log stores it. A single sale was called "one-off" until that word was left to the
 * income kind alone, and the log keeps storing it so: events are immutable, so the log holds "one-off"
 * for good anyway, and with one spelling written every event reads the same to every reader of the log
 * (a release from before the rename, a log copied elsewhere), and a log is written the same, byte for byte.
 * The new word is read as well, as the same kind: the first step of renaming a stored word (read both,
 * then, once no reader that knows only the old one is left, write the new one), should that step ever come.
 */
const STORED_SALE_KIND: Readonly<Record<SaleKind, string>> = { single: 'one-off', subscription: 'subscription' };
const SALE_KIND_OF_STORED: ReadonlyMap<unknown, SaleKind> = new Map([
  ...Object.entries(STORED_SALE_KIND).map(([kind, stored]) => [stored, kind as SaleKind] as const),
  ['single', 'single'],
]);

/** An event's data as the log stores it: what decodeLedgerEvent reads back as the same event. */
export function storedDataOf(event: LedgerEvent): object {
  return event.type === SALE_MADE ? { ...event.data, kind: STORED_SALE_KIND[event.data.kind] } : event.data;
}

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

/**
 * Claims an order id for one click's conversion, before that click's AffiliateClickConverted is
 * written: an order converts once. Earns nothing.
 */
export interface AffiliateOrderClaimedData {
  readonly orderId: string;
  readonly clickId: string;
  readonly affiliateId: string;
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

/** No renewal dated at or after `cancelledAt` is accepted, nor recorded before it. Earns nothing, reverses nothing. */
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
  | { readonly type: typeof AFFILIATE_ORDER_CLAIMED; readonly data: AffiliateOrderClaimedData }
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
  const { type, data } = decodedFact(recorded);
  // one object, its fields named: spreading the place into each fact took 1.6 of the 2.5 µs an event cost to decode
  const { id, stream, revision, position } = recorded;
  return { id, stream, revision, position, type, data } as RecordedLedgerEvent;
}

/** The fact an event states (its type and data), checked field by field. */
function decodedFact(recorded: RecordedEvent): LedgerEvent {
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
        type: REP_RECRUITED,
        data: {
          repId: field.id('repId'),
          sponsorId: d.sponsorId === null ? null : field.id('sponsorId'),
          name: field.text('name'),
          recruitedAt: field.instant('recruitedAt'),
        },
      };
    case SALE_MADE: {
      const kind = SALE_KIND_OF_STORED.get(d.kind) ?? fail('kind is not one-off (single) or subscription');
      const currency = field.currency('currency');
      return {
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
                : fail('a single sale has a subscriptionId'),
          ...(d.productCode === undefined ? {} : { productCode: field.id('productCode') }),
          occurredAt: field.instant('occurredAt'),
        },
      };
    }
    case SUBSCRIPTION_STARTED:
      return {
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
    case AFFILIATE_ORDER_CLAIMED:
      return {
        type: AFFILIATE_ORDER_CLAIMED,
        data: {
          orderId: field.id('orderId'),
          clickId: field.id('clickId'),
          affiliateId: field.id('affiliateId'),
          convertedAt: field.instant('convertedAt'),
        },
      };
    case SALE_REFUNDED: {
      const currency = field.currency('currency');
      return {
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
    return isStoredId(v) ? v : this.fail(`${name} is not an id`);
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
export const affiliateOrderStream = (orderId: string): string => `${CATEGORY.affiliateOrder}-${orderId}`;

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
  orderClaim: (orderId: string, clickId: string) => `order:${orderId}/${clickId}`,
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

// ---- The pay cycle: closes of commission periods and their sealed statements (docs/pay-cycle.md).
// Their streams are not ledger streams: the income fold never sees them.

export const PERIOD_CLOSED = 'PeriodClosed';
export const PERIOD_STATEMENTS_SEALED = 'PeriodStatementsSealed';

export const PAY_CYCLE_CATEGORY = {
  /** One stream, `paycycle-periods`: every close in order, so that periods close one after the other. */
  periods: 'paycycle',
  /** `sealed-<YYYY-MM>`: the sealed statements of a period, in chunks. */
  sealed: 'sealed',
  /** `holds-register`: every hold set and lifted, on anyone (holds are rare; one stream keeps them in order). */
  holds: 'holds',
  /** `payouts-<YYYY-MM>`: the payouts recorded for a closed period's payables. */
  payouts: 'payouts',
} as const;

export const closesStream = (): string => `${PAY_CYCLE_CATEGORY.periods}-periods`;
export const sealedStream = (period: string): string => `${PAY_CYCLE_CATEGORY.sealed}-${period}`;

/** What a closed period's statement corrects of earlier closed periods. */
export interface SealedAdjustment {
  /** The closed period the correction belongs to. */
  readonly corrects: string;
  /** `late-fact`: a fact dated in it, recorded after its close; `plan-change`: a re-pricing since the last close. */
  readonly reason: 'late-fact' | 'plan-change';
  /** The event corrected by a late fact (null for a plan change). */
  readonly source: { readonly eventId: string; readonly eventType: string; readonly position: string } | null;
  /** The plans' fingerprints of a plan change: the one at the last close, the one now (null for a late fact). */
  readonly plan: { readonly from: string; readonly to: string } | null;
  readonly amount: string;
}

/** One person's sealed statement of a period in one currency. Amounts fixed to the currency's minor units. */
export interface SealedStatement {
  readonly personId: string;
  readonly currency: string;
  readonly qualified: boolean;
  readonly personalVolume: string;
  /** The closing balance of the previous close (for the first close: everything dated before the period). */
  readonly opening: string;
  readonly earned: string;
  readonly notQualified: string;
  readonly adjustments: readonly SealedAdjustment[];
  /** opening + earned + the adjustments: everything earned and adjusted up to the period's end. */
  readonly closing: string;
  /** What earlier closes made payable (paid, or being paid). */
  readonly paidBefore: string;
  /** Forfeited by holds lifted with forfeiture, up to this close. */
  readonly forfeited: string;
  /** Lines from sales inside the plan's holding period at the period's end: they wait for a later close. */
  readonly heldForRefundWindow: string;
  /** Kept by a hold on the person. */
  readonly held: string;
  /** Not paid now: a negative balance (never paid out), or one below the minimum payout. */
  readonly carried: string;
  /** To pay for this period: closing − paidBefore − forfeited − heldForRefundWindow − held − carried. */
  readonly payable: string;
  /** Why: `paid` (payable), `held` (by a hold or the holding period), `forfeited`, `carried`. */
  readonly payableReason: PayableReason;
  /** Only under a plan with caps per period: what each capped rule's lines of the period lost to its cap. */
  readonly capped?: readonly { readonly rule: string; readonly cut: string }[];
  /** Only under a plan with ranks: the rank the person reached in the period, and the override levels it pays. */
  readonly rank?: SealedRank;
}

/** A rank as a close seals it: its name (null: none reached, so no overrides) and how many override levels it pays. */
export interface SealedRank {
  readonly name: string | null;
  readonly overrideLevels: number;
}

export type PayableReason = 'paid' | 'held' | 'carried' | 'forfeited';

export interface PeriodStatementsSealedData {
  readonly period: string;
  /** The close attempt these belong to: only the chunks a PeriodClosed names count. */
  readonly closeId: string;
  readonly chunk: number;
  readonly statements: readonly SealedStatement[];
}

export interface PeriodClosedData {
  readonly period: string;
  readonly from: Instant;
  readonly to: Instant;
  readonly closeId: string;
  /** The last position of the log the close took into account (null: the log was empty). */
  readonly asOfPosition: string | null;
  readonly closedAt: Instant;
  readonly operator: string;
  readonly planFingerprint: string;
  /** Whether the plan had an activity minimum for the period (else everyone was qualified). */
  readonly qualificationApplied: boolean;
  readonly statementCount: number;
  readonly chunkCount: number;
  /** sha256 of the canonical form of the sealed statements (docs/pay-cycle.md). */
  readonly statementDigest: string;
}

export type PayCycleEvent =
  | { readonly type: typeof PERIOD_CLOSED; readonly data: PeriodClosedData }
  | { readonly type: typeof PERIOD_STATEMENTS_SEALED; readonly data: PeriodStatementsSealedData };

export type RecordedPayCycleEvent = PayCycleEvent & {
  readonly id: string;
  readonly revision: number;
  readonly position: string;
};

const PERIOD = /^[0-9]{4}-(0[1-9]|1[0-2])$/;
const DIGEST = /^[0-9a-f]{64}$/;

export function decodePayCycleEvent(recorded: RecordedEvent): RecordedPayCycleEvent {
  const at = { id: recorded.id, revision: recorded.revision, position: recorded.position };
  const fail = (reason: string): never => {
    throw new CorruptEventError(recorded, reason);
  };
  const d = objectOr(recorded.data, () => fail('data is not an object'));
  const field = new FieldReader(d, fail);
  const period = typeof d.period === 'string' && PERIOD.test(d.period) ? d.period : fail('period is not YYYY-MM');
  const count = (name: string): number => {
    const v = d[name];
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : fail(`${name} is not a count`);
  };
  switch (recorded.type) {
    case PERIOD_CLOSED: {
      const digest = (name: string) =>
        typeof d[name] === 'string' && DIGEST.test(d[name]) ? d[name] : fail(`${name} is not a sha256`);
      const asOf = d.asOfPosition;
      return {
        ...at,
        type: PERIOD_CLOSED,
        data: {
          period,
          from: field.instant('from'),
          to: field.instant('to'),
          closeId: field.id('closeId'),
          asOfPosition:
            asOf === null
              ? null
              : typeof asOf === 'string' && /^(0|[1-9][0-9]{0,38})$/.test(asOf)
                ? asOf
                : fail('asOfPosition is not a position'),
          closedAt: field.instant('closedAt'),
          operator: field.id('operator'),
          planFingerprint: digest('planFingerprint'),
          qualificationApplied:
            typeof d.qualificationApplied === 'boolean'
              ? d.qualificationApplied
              : fail('qualificationApplied is not a boolean'),
          statementCount: count('statementCount'),
          chunkCount: count('chunkCount'),
          statementDigest: digest('statementDigest'),
        },
      };
    }
    case PERIOD_STATEMENTS_SEALED: {
      const list = Array.isArray(d.statements) ? (d.statements as unknown[]) : fail('statements is not a list');
      return {
        ...at,
        type: PERIOD_STATEMENTS_SEALED,
        data: {
          period,
          closeId: field.id('closeId'),
          chunk: count('chunk'),
          statements: list.map((s, i) => decodeSealedStatement(s, (reason) => fail(`statements[${i}]: ${reason}`))),
        },
      };
    }
    default:
      return fail('unknown event type');
  }
}

function objectOr(value: unknown, fail: () => never): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : fail();
}

/** A sealed statement back in its canonical key order, every amount checked against its currency. */
function decodeSealedStatement(value: unknown, fail: (reason: string) => never): SealedStatement {
  const s = objectOr(value, () => fail('is not an object'));
  const field = new FieldReader(s, fail);
  const currency = field.currency('currency');
  // written by the ledger itself: may be zero or negative, never more decimals than the currency has
  const signed = (v: unknown, name: string): string => {
    const m = typeof v === 'string' ? /^-?(0|[1-9][0-9]{0,14})(?:\.([0-9]+))?$/.exec(v) : null;
    return m !== null && (m[2] ?? '').length === minorUnitsOf(currency)
      ? (v as string)
      : fail(`${name} is not a ${currency} amount`);
  };
  const list = Array.isArray(s.adjustments) ? (s.adjustments as unknown[]) : fail('adjustments is not a list');
  return {
    personId: field.id('personId'),
    currency,
    qualified: typeof s.qualified === 'boolean' ? s.qualified : fail('qualified is not a boolean'),
    personalVolume: signed(s.personalVolume, 'personalVolume'),
    opening: signed(s.opening, 'opening'),
    earned: signed(s.earned, 'earned'),
    notQualified: signed(s.notQualified, 'notQualified'),
    adjustments: list.map((a, i) => {
      const adj = objectOr(a, () => fail(`adjustments[${i}] is not an object`));
      const source =
        adj.source === null ? null : objectOr(adj.source, () => fail(`adjustments[${i}].source is not an object`));
      const plan = adj.plan === null ? null : objectOr(adj.plan, () => fail(`adjustments[${i}].plan is not an object`));
      const text = (o: Record<string, unknown>, name: string) => new FieldReader(o, fail).text(name);
      return {
        corrects:
          typeof adj.corrects === 'string' && PERIOD.test(adj.corrects)
            ? adj.corrects
            : fail(`adjustments[${i}].corrects is not YYYY-MM`),
        reason:
          adj.reason === 'late-fact' || adj.reason === 'plan-change'
            ? adj.reason
            : fail(`adjustments[${i}].reason is unknown`),
        source:
          source === null
            ? null
            : {
                eventId: text(source, 'eventId'),
                eventType: text(source, 'eventType'),
                position: text(source, 'position'),
              },
        plan: plan === null ? null : { from: text(plan, 'from'), to: text(plan, 'to') },
        amount: signed(adj.amount, `adjustments[${i}].amount`),
      };
    }),
    closing: signed(s.closing, 'closing'),
    paidBefore: signed(s.paidBefore, 'paidBefore'),
    forfeited: signed(s.forfeited, 'forfeited'),
    heldForRefundWindow: signed(s.heldForRefundWindow, 'heldForRefundWindow'),
    held: signed(s.held, 'held'),
    carried: signed(s.carried, 'carried'),
    payable: signed(s.payable, 'payable'),
    payableReason:
      (['paid', 'held', 'carried', 'forfeited'] as const).find((r) => r === s.payableReason) ??
      fail('payableReason is unknown'),
    // last, and only when there: statements sealed before caps per period existed keep their bytes
    ...(s.capped === undefined ? {} : { capped: decodeCuts(s.capped, signed, fail) }),
    // after it, and only when there: statements sealed under plans without ranks keep their bytes
    ...(s.rank === undefined ? {} : { rank: decodeRank(s.rank, fail) }),
  };
}

function decodeRank(value: unknown, fail: (reason: string) => never): SealedRank {
  const rank = objectOr(value, () => fail('rank is not an object'));
  const levels = rank.overrideLevels;
  return {
    name: rank.name === null ? null : new FieldReader(rank, fail).text('name'),
    overrideLevels:
      typeof levels === 'number' && Number.isSafeInteger(levels) && levels >= 0
        ? levels
        : fail('rank.overrideLevels is not a count'),
  };
}

function decodeCuts(
  value: unknown,
  signed: (v: unknown, name: string) => string,
  fail: (reason: string) => never,
): { rule: string; cut: string }[] {
  const list = Array.isArray(value) ? (value as unknown[]) : fail('capped is not a list');
  return list.map((c, i) => {
    const cut = objectOr(c, () => fail(`capped[${i}] is not an object`));
    return { rule: new FieldReader(cut, fail).text('rule'), cut: signed(cut.cut, `capped[${i}].cut`) };
  });
}

export const HOLD_SET = 'HoldSet';
export const HOLD_LIFTED = 'HoldLifted';
export const PAYOUT_RECORDED = 'PayoutRecorded';

export const holdsStream = (): string => 'holds-register';
export const payoutsStream = (period: string): string => `payouts-${period}`;

/** A compliance hold on a person: everything they are owed is kept at every close until it is lifted. */
export interface HoldSetData {
  readonly personId: string;
  readonly holdId: string;
  readonly reason: string;
  readonly operator: string;
  readonly setAt: Instant;
}

/** `release`: what the hold kept is paid at the next close; `forfeit`: what it kept at the last close is forfeited. */
export interface HoldLiftedData {
  readonly personId: string;
  readonly holdId: string;
  readonly outcome: 'release' | 'forfeit';
  readonly reason: string;
  readonly operator: string;
  readonly liftedAt: Instant;
}

/** A payout made by the payment provider for a payable of a closed period. */
export interface PayoutRecordedData {
  readonly period: string;
  readonly personId: string;
  readonly currency: string;
  readonly amount: string;
  /** The provider's reference of the payment. */
  readonly providerReference: string;
  readonly operator: string;
}

export type PayoutEvent =
  | { readonly type: typeof HOLD_SET; readonly data: HoldSetData }
  | { readonly type: typeof HOLD_LIFTED; readonly data: HoldLiftedData }
  | { readonly type: typeof PAYOUT_RECORDED; readonly data: PayoutRecordedData };

export type RecordedPayoutEvent = PayoutEvent & { readonly id: string; readonly position: string };

export function decodePayoutEvent(recorded: RecordedEvent): RecordedPayoutEvent {
  const at = { id: recorded.id, position: recorded.position };
  const fail = (reason: string): never => {
    throw new CorruptEventError(recorded, reason);
  };
  const d = objectOr(recorded.data, () => fail('data is not an object'));
  const field = new FieldReader(d, fail);
  switch (recorded.type) {
    case HOLD_SET:
      return {
        ...at,
        type: HOLD_SET,
        data: {
          personId: field.id('personId'),
          holdId: field.id('holdId'),
          reason: field.text('reason'),
          operator: field.id('operator'),
          setAt: field.instant('setAt'),
        },
      };
    case HOLD_LIFTED:
      return {
        ...at,
        type: HOLD_LIFTED,
        data: {
          personId: field.id('personId'),
          holdId: field.id('holdId'),
          outcome:
            d.outcome === 'release' || d.outcome === 'forfeit' ? d.outcome : fail('outcome is not release or forfeit'),
          reason: field.text('reason'),
          operator: field.id('operator'),
          liftedAt: field.instant('liftedAt'),
        },
      };
    case PAYOUT_RECORDED: {
      const currency = field.currency('currency');
      return {
        ...at,
        type: PAYOUT_RECORDED,
        data: {
          period: typeof d.period === 'string' && PERIOD.test(d.period) ? d.period : fail('period is not YYYY-MM'),
          personId: field.id('personId'),
          currency,
          amount: field.amount('amount', currency),
          providerReference: field.id('providerReference'),
          operator: field.id('operator'),
        },
      };
    }
    default:
      return fail('unknown event type');
  }
}
