// The income fold: what one event means for everyone's income. Pure: it reads the people and
// subscriptions seen so far through a LedgerView and returns effects; the writer stores them.
import { Money, type Rate } from '../../shared/money.js';
import { addCalendarMonths, type Instant } from '../../shared/time.js';
import {
  AFFILIATE_CLICK_CONVERTED,
  AFFILIATE_ORDER_CLAIMED,
  REP_RECRUITED,
  SALE_MADE,
  SUBSCRIPTION_RENEWED,
  SUBSCRIPTION_STARTED,
  SALE_REFUNDED,
  SUBSCRIPTION_CANCELLED,
  type RecordedLedgerEvent,
  type SaleRefundedData,
} from '../events.js';
import { versionAt, type Plan, type PlanVersion } from '../plan/plan.js';

export type IncomeKind = 'one-off' | 'residual' | 'passive';
export type RuleName = 'directSale' | 'renewal' | 'override' | 'affiliate';

export interface PersonNode {
  readonly personId: string;
  readonly sponsorId: string | null;
  readonly name: string;
  readonly recruitedAt: Instant;
}

export interface SubscriptionNode {
  readonly subscriptionId: string;
  readonly saleId: string;
  readonly ownerId: string;
  readonly currency: string;
  readonly startedAt: Instant;
}

/** Where a line came from: the event, exactly. */
export interface SourceRef {
  readonly eventId: string;
  readonly eventType: string;
  readonly stream: string;
  readonly revision: number;
  readonly position: string;
}

/** One priced ledger line. Amounts are strings fixed to the currency's minor units. */
export interface IncomeLine {
  readonly earnerId: string;
  readonly rule: RuleName;
  readonly kind: IncomeKind;
  /** 1 for the sponsor, 2 for the sponsor's sponsor...; null outside overrides. */
  readonly generation: number | null;
  readonly amount: string;
  readonly currency: string;
  readonly baseAmount: string;
  readonly rate: string;
  readonly planVersion: string;
  /** Business time of the fact that earned it. */
  readonly occurredAt: Instant;
  readonly source: SourceRef;
}

/** A line a sale produced, as a refund needs it to answer it. */
export interface SaleLine {
  readonly earnerId: string;
  readonly rule: RuleName;
  readonly kind: IncomeKind;
  readonly generation: number | null;
  readonly amount: string;
  readonly rate: string;
  readonly planVersion: string;
}

export interface SaleNode {
  readonly saleId: string;
  readonly amount: string;
  readonly currency: string;
  /** Refunded so far, exact. */
  readonly refunded: string;
  readonly lines: readonly SaleLine[];
}

/** The read side's memory of people, subscriptions and sales, as the fold needs it. */
export interface LedgerView {
  person(personId: string): PersonNode | undefined;
  subscription(subscriptionId: string): SubscriptionNode | undefined;
  sale(saleId: string): SaleNode | undefined;
}

export interface FoldEffect {
  readonly person?: PersonNode;
  readonly subscription?: SubscriptionNode;
  /** The sale as it now stands (new, or with more refunded). */
  readonly sale?: SaleNode;
  readonly lines: readonly IncomeLine[];
}

export function foldEvent(event: RecordedLedgerEvent, view: LedgerView, plan: Plan): FoldEffect {
  const source: SourceRef = {
    eventId: event.id,
    eventType: event.type,
    stream: event.stream,
    revision: event.revision,
    position: event.position,
  };
  // Every event is priced by the plan version in force at its business time.
  const line = (
    version: PlanVersion,
    earnerId: string,
    rule: RuleName,
    kind: IncomeKind,
    generation: number | null,
    base: Money,
    rate: Rate,
    occurredAt: Instant,
  ): IncomeLine => ({
    earnerId,
    rule,
    kind,
    generation,
    amount: base.timesRate(rate).toString(),
    currency: base.currency,
    baseAmount: base.toString(),
    rate: rate.toString(),
    planVersion: version.version,
    occurredAt,
    source,
  });
  const overrides = (
    version: PlanVersion,
    earnerOf: string,
    base: Money,
    kind: IncomeKind,
    occurredAt: Instant,
  ): IncomeLine[] =>
    uplineOf(earnerOf, version.overrideRates.length, view).map((uplineId, i) =>
      line(version, uplineId, 'override', kind, i + 1, base, version.overrideRates[i]!, occurredAt),
    );

  switch (event.type) {
    case REP_RECRUITED: {
      const { repId, sponsorId, name, recruitedAt } = event.data;
      return { person: { personId: repId, sponsorId, name, recruitedAt }, lines: [] };
    }
    case SALE_MADE: {
      const sale = event.data;
      const base = Money.of(sale.amount, sale.currency);
      const version = versionAt(plan, sale.occurredAt);
      const lines = [
        line(version, sale.repId, 'directSale', 'one-off', null, base, version.directSaleRate, sale.occurredAt),
        ...overrides(version, sale.repId, base, 'residual', sale.occurredAt),
      ];
      const saleNode: SaleNode = {
        saleId: sale.saleId,
        amount: sale.amount,
        currency: sale.currency,
        refunded: Money.zero(sale.currency).toString(),
        lines: lines.map(({ earnerId, rule, kind, generation, amount, rate, planVersion }) => ({
          earnerId,
          rule,
          kind,
          generation,
          amount,
          rate,
          planVersion,
        })),
      };
      if (sale.subscriptionId === null) return { sale: saleNode, lines };
      const subscription: SubscriptionNode = {
        subscriptionId: sale.subscriptionId,
        saleId: sale.saleId,
        ownerId: sale.repId,
        currency: sale.currency,
        startedAt: sale.occurredAt,
      };
      return { subscription, sale: saleNode, lines };
    }
    case SUBSCRIPTION_STARTED:
      return { lines: [] }; // a claim on the id; the SaleMade that follows carries the money
    case AFFILIATE_ORDER_CLAIMED:
      return { lines: [] }; // a claim on the order; the AffiliateClickConverted that follows carries the money
    case SUBSCRIPTION_RENEWED: {
      const renewal = event.data;
      const subscription = view.subscription(renewal.subscriptionId);
      if (subscription === undefined) {
        throw new Error(
          `renewal ${renewal.renewalId} of unknown subscription ${renewal.subscriptionId} at position ${event.position}`,
        );
      }
      const base = Money.of(renewal.amount, renewal.currency);
      const version = versionAt(plan, renewal.renewedAt);
      const passiveFrom = addCalendarMonths(subscription.startedAt, version.residualTurnsPassiveAfterMonths);
      const kind: IncomeKind = passiveFrom !== null && renewal.renewedAt >= passiveFrom ? 'passive' : 'residual';
      return {
        lines: [
          line(version, subscription.ownerId, 'renewal', kind, null, base, version.renewalRate, renewal.renewedAt),
          ...overrides(version, subscription.ownerId, base, kind, renewal.renewedAt),
        ],
      };
    }
    case AFFILIATE_CLICK_CONVERTED: {
      const conversion = event.data;
      const base = Money.of(conversion.amount, conversion.currency);
      const version = versionAt(plan, conversion.convertedAt);
      return {
        lines: [
          line(
            version,
            conversion.affiliateId,
            'affiliate',
            'passive',
            null,
            base,
            version.affiliateRate,
            conversion.convertedAt,
          ),
        ],
      };
    }
    case SALE_REFUNDED:
      return refundEffect(event.data, source, view);
    case SUBSCRIPTION_CANCELLED:
      return { lines: [] }; // stops later renewals (the decider's business); reverses nothing
    default: {
      const never: never = event;
      throw new Error(`unhandled event ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Answers every line of the sale with a reversing line for the refunded share, at the plan that
 * priced the original. Shares are taken on the cumulative refund (what is reversed after this
 * refund, less what was reversed before it), so refunds that add up to the whole sale reverse
 * every line exactly, whatever the rounding of each.
 */
function refundEffect(refund: SaleRefundedData, source: SourceRef, view: LedgerView): FoldEffect {
  const sale = view.sale(refund.saleId);
  if (sale === undefined)
    throw new Error(`refund ${refund.refundId} of unknown sale ${refund.saleId} at position ${source.position}`);
  const whole = Money.of(sale.amount, sale.currency);
  const before = Money.parse(sale.refunded, sale.currency);
  const after = before.plus(Money.of(refund.amount, refund.currency));
  if (after.compare(whole) > 0)
    throw new Error(`refunds of sale ${refund.saleId} exceed it at position ${source.position}`);
  const lines = sale.lines.map((original): IncomeLine => {
    const amount = Money.parse(original.amount, sale.currency);
    const reversed = amount.share(after, whole).minus(amount.share(before, whole));
    return {
      earnerId: original.earnerId,
      rule: original.rule,
      kind: original.kind,
      generation: original.generation,
      amount: reversed.negated().toString(),
      currency: sale.currency,
      baseAmount: Money.of(refund.amount, refund.currency).negated().toString(),
      rate: original.rate,
      planVersion: original.planVersion,
      occurredAt: refund.refundedAt,
      source,
    };
  });
  return { sale: { ...sale, refunded: after.toString() }, lines };
}

/** Sponsor, sponsor's sponsor, ... up to `generations`; shorter when the chain ends. */
export function uplineOf(personId: string, generations: number, view: LedgerView): string[] {
  const upline: string[] = [];
  let current = view.person(personId);
  while (current?.sponsorId != null && upline.length < generations) {
    upline.push(current.sponsorId);
    current = view.person(current.sponsorId);
  }
  return upline;
}

/** A LedgerView kept in memory: for tests and for folding a log without a database. */
export class InMemoryLedger implements LedgerView {
  private readonly people = new Map<string, PersonNode>();
  private readonly subscriptions = new Map<string, SubscriptionNode>();
  private readonly sales = new Map<string, SaleNode>();
  readonly lines: IncomeLine[] = [];

  constructor(private readonly plan: Plan) {}

  apply(event: RecordedLedgerEvent): FoldEffect {
    const effect = foldEvent(event, this, this.plan);
    if (effect.person) this.people.set(effect.person.personId, effect.person);
    if (effect.subscription) this.subscriptions.set(effect.subscription.subscriptionId, effect.subscription);
    if (effect.sale) this.sales.set(effect.sale.saleId, effect.sale);
    this.lines.push(...effect.lines);
    return effect;
  }

  person(personId: string): PersonNode | undefined {
    return this.people.get(personId);
  }

  subscription(subscriptionId: string): SubscriptionNode | undefined {
    return this.subscriptions.get(subscriptionId);
  }

  sale(saleId: string): SaleNode | undefined {
    return this.sales.get(saleId);
  }
}
