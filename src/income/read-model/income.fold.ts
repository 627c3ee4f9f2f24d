// The income fold: what one event means for everyone's income. Pure: it reads the people,
// subscriptions, sales and cap usage seen so far through a LedgerView and returns effects; the
// writer stores them. Which reward, step and cap apply is plan/pricing.ts's business.
//
// Who earns what, from which fact (the income kind is the plan's; the default plan's in brackets):
//
// rule        fact                              earner                                income kind
// directSale  SaleMade                          the seller                            the rule's (one-off)
// override    SaleMade                          the seller's upline, levels 1..N      override.sale's (residual)
// fastStart   SaleMade in the rep's first days  the new rep; their sponsor (level 1)  its rep's, sponsor's
// renewal     SubscriptionRenewed               the subscription's seller             its step's (residual, passive)
// override    SubscriptionRenewed               the seller's upline, levels 1..N      its step's (residual, passive)
// affiliate   AffiliateClickConverted           the affiliate                         the rule's (passive)
// (any)       SaleRefunded                      each earner of the sale's lines       each line's own, negated
//
// RepRecruited adds a person to the genealogy; SubscriptionStarted, AffiliateOrderClaimed and
// SubscriptionCancelled are claims and stops that the deciders use, and pay no one.
import { Money } from '../../shared/money.js';
import type { Instant } from '../../shared/time.js';
import {
  AFFILIATE_CLICK_CONVERTED,
  AFFILIATE_ORDER_CLAIMED,
  REP_RECRUITED,
  SALE_MADE,
  SUBSCRIPTION_RENEWED,
  SUBSCRIPTION_STARTED,
  SALE_REFUNDED,
  SUBSCRIPTION_CANCELLED,
  type AffiliateClickConvertedData,
  type RecordedLedgerEvent,
  type SaleMadeData,
  type SaleRefundedData,
  type SubscriptionRenewedData,
} from '../events.js';
import {
  foldStateNeeds,
  forProduct,
  versionAt,
  type CapName,
  type IncomeKind,
  type Plan,
  type PlanVersion,
} from '../plan/plan.js';
import { inFastStart, stepAt, type RenewalAge } from '../plan/pricing.js';
import { EventPricer, capUsageKey } from './event-pricer.js';

export { capUsageKey, uplineOf } from './event-pricer.js';

export type { IncomeKind } from '../plan/plan.js';
export type RuleName = 'directSale' | 'renewal' | 'override' | 'affiliate' | 'fastStart';

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
  readonly customerId: string;
  /** The product of the sale that started it; null for none. */
  readonly productCode: string | null;
  readonly currency: string;
  readonly startedAt: Instant;
  /** Renewals folded so far: the next one is renewal number `renewals + 1`. */
  readonly renewals: number;
}

/** Where a line came from: the event, exactly. */
export interface SourceRef {
  readonly eventId: string;
  readonly eventType: string;
  readonly stream: string;
  readonly revision: number;
  readonly position: string;
}

/** Why a line has its amount: the rule, the product entry, the step and the cap of the plan version. */
export interface Provenance {
  readonly rule: RuleName;
  readonly kind: IncomeKind;
  /** Upline level: 1 for the sponsor, 2 for the sponsor's sponsor...; null outside overrides (1 for a fast-start sponsor line). */
  readonly level: number | null;
  /** The rate that priced it, as the plan wrote it; null for a fixed amount (or none). */
  readonly rate: string | null;
  /** The fixed amount that priced it, as the plan wrote it; null for a rate. Both null: the plan names no amount in this currency. */
  readonly fixedAmount: string | null;
  /** The product entry of the rule that applied; null for the rule's default. */
  readonly product: string | null;
  /** The step of a recurring rule that applied ("renewals 4+", "calendarMonths 12+"); null for other rules. */
  readonly step: string | null;
  /** The cap that cut the line; null when none did. */
  readonly cap: CapName | null;
  readonly planVersion: string;
}

/**
 * One priced ledger line, its amounts in integer minor units (Money) from the fold to the row: the row
 * codec stores them as they are, and only an answer prints them.
 */
export interface IncomeLine extends Provenance {
  readonly earnerId: string;
  readonly amount: Money;
  readonly currency: string;
  readonly baseAmount: Money;
  /** What the line would have been without its cap; null when no cap cut it. */
  readonly uncappedAmount: Money | null;
  /** Business time of the fact that earned it. */
  readonly occurredAt: Instant;
  readonly source: SourceRef;
}

/**
 * A line as the read model gives it back: the fold's line with when the ledger recorded its fact (its
 * knowledge time). What every query, the statements and the pay cycle work on; an answer prints it.
 */
export interface LedgerLine extends IncomeLine {
  readonly recordedAt: Instant;
}

/** A line a sale produced, as a refund needs it to answer it: who earned what, and why. */
export type SaleLine = Pick<IncomeLine, 'earnerId' | 'amount' | keyof Provenance>;

export interface SaleNode {
  readonly saleId: string;
  readonly customerId: string;
  readonly subscriptionId: string | null;
  readonly amount: Money;
  readonly currency: string;
  /** Refunded so far, exact. */
  readonly refunded: Money;
  readonly lines: readonly SaleLine[];
}

/**
 * What one earner has had from one subscription or one customer, in one currency, net of
 * refunds: the lifetime caps' memory. Keyed by capUsageKey.
 */
export interface CapUsageEntry {
  readonly key: string;
  readonly currency: string;
  readonly amount: Money;
}

export type CapScope = 'subscription' | 'customer';

/** The read side's memory of people, subscriptions, sales and cap usage, as the fold needs it. */
export interface LedgerView {
  person(personId: string): PersonNode | undefined;
  subscription(subscriptionId: string): SubscriptionNode | undefined;
  sale(saleId: string): SaleNode | undefined;
  /** Earned so far under a cap usage key, or undefined for nothing yet. */
  capUsage(key: string): Money | undefined;
}

export interface FoldEffect {
  readonly person?: PersonNode;
  /** The subscription as it now stands (new, or with one more renewal). */
  readonly subscription?: SubscriptionNode;
  /** The sale as it now stands (new, or with more refunded). */
  readonly sale?: SaleNode;
  /** Cap usage after this event, for every key it moved. */
  readonly capUsage?: readonly CapUsageEntry[];
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
  switch (event.type) {
    case REP_RECRUITED: {
      const { repId, sponsorId, name, recruitedAt } = event.data;
      return { person: { personId: repId, sponsorId, name, recruitedAt }, lines: [] };
    }
    case SALE_MADE:
      return saleEffect(event.data, source, view, plan);
    case SUBSCRIPTION_STARTED:
      return { lines: [] }; // a claim on the id; the SaleMade that follows carries the money
    case AFFILIATE_ORDER_CLAIMED:
      return { lines: [] }; // a claim on the order; the AffiliateClickConverted that follows carries the money
    case SUBSCRIPTION_RENEWED:
      return renewalEffect(event.data, source, view, plan);
    case AFFILIATE_CLICK_CONVERTED:
      return conversionEffect(event.data, source, view, plan);
    case SALE_REFUNDED:
      return refundEffect(event.data, source, view, foldStateNeeds(plan).capUsage);
    case SUBSCRIPTION_CANCELLED:
      return { lines: [] }; // stops later renewals (the decider's business); reverses nothing
    default: {
      const never: never = event;
      throw new Error(`unhandled event ${JSON.stringify(never)}`);
    }
  }
}

/** The seller's direct line, the upline's overrides, and the fast-start lines if the sale is in the window. */
function saleEffect(sale: SaleMadeData, source: SourceRef, view: LedgerView, plan: Plan): FoldEffect {
  const version = versionAt(plan, sale.occurredAt);
  const base = Money.of(sale.amount, sale.currency);
  const productCode = sale.productCode ?? null;
  const pricer = new EventPricer(
    {
      version,
      productCode,
      base,
      occurredAt: sale.occurredAt,
      subscriptionId: sale.subscriptionId,
      customerId: sale.customerId,
      tracksCapUsage: foldStateNeeds(plan).capUsage,
    },
    view,
    source,
  );
  const direct = forProduct(version.rules.directSale, productCode);
  const override = forProduct(version.rules.override, productCode);
  const lines = [
    pricer.line({
      earnerId: sale.repId,
      rule: 'directSale',
      level: null,
      step: null,
      product: direct.product,
      kind: direct.rule.kind,
      reward: direct.rule.pays,
    }),
    ...pricer.overrides(sale.repId, override.rule.sale.pays, {
      rule: 'override',
      kind: override.rule.sale.kind,
      product: override.product,
      step: null,
    }),
    ...fastStartLines(sale, pricer, view, version),
  ];
  const saleNode: SaleNode = {
    saleId: sale.saleId,
    customerId: sale.customerId,
    subscriptionId: sale.subscriptionId,
    amount: base,
    currency: sale.currency,
    refunded: Money.zero(sale.currency),
    lines: lines.map(saleLineOf),
  };
  const effect = { sale: saleNode, capUsage: pricer.capUsage(), lines };
  if (sale.subscriptionId === null) return effect;
  const subscription: SubscriptionNode = {
    subscriptionId: sale.subscriptionId,
    saleId: sale.saleId,
    ownerId: sale.repId,
    customerId: sale.customerId,
    productCode,
    currency: sale.currency,
    startedAt: sale.occurredAt,
    renewals: 0,
  };
  return { ...effect, subscription };
}

function fastStartLines(sale: SaleMadeData, pricer: EventPricer, view: LedgerView, version: PlanVersion): IncomeLine[] {
  if (version.rules.fastStart === undefined) return [];
  const { rule, product } = forProduct(version.rules.fastStart, sale.productCode ?? null);
  const rep = view.person(sale.repId);
  if (rep === undefined || !inFastStart(rule, rep.recruitedAt, sale.occurredAt)) return [];
  const common = { rule: 'fastStart', product, step: null } as const;
  const lines = [
    pricer.line({ ...common, earnerId: rep.personId, level: null, kind: rule.rep.kind, reward: rule.rep.pays }),
  ];
  if (rule.sponsor !== undefined && rep.sponsorId !== null)
    lines.push(
      pricer.line({
        ...common,
        earnerId: rep.sponsorId,
        level: 1,
        kind: rule.sponsor.kind,
        reward: rule.sponsor.pays,
      }),
    );
  return lines;
}

/** The owner's renewal line and the upline's overrides, each at the step the renewal's age reaches. */
function renewalEffect(renewal: SubscriptionRenewedData, source: SourceRef, view: LedgerView, plan: Plan): FoldEffect {
  const subscription = view.subscription(renewal.subscriptionId);
  if (subscription === undefined) {
    throw new Error(
      `renewal ${renewal.renewalId} of unknown subscription ${renewal.subscriptionId} at position ${source.position}`,
    );
  }
  const version = versionAt(plan, renewal.renewedAt);
  const { productCode, ownerId } = subscription;
  const pricer = new EventPricer(
    {
      version,
      productCode,
      base: Money.of(renewal.amount, renewal.currency),
      occurredAt: renewal.renewedAt,
      subscriptionId: subscription.subscriptionId,
      customerId: subscription.customerId,
      tracksCapUsage: foldStateNeeds(plan).capUsage,
    },
    view,
    source,
  );
  const age: RenewalAge = {
    startedAt: subscription.startedAt,
    renewedAt: renewal.renewedAt,
    renewalNumber: subscription.renewals + 1,
  };
  const lines: IncomeLine[] = [];
  const own = forProduct(version.rules.renewal, productCode);
  const ownStep = stepAt(own.rule, age);
  if (ownStep !== null) {
    const { kind, pays } = ownStep.step;
    lines.push(
      pricer.line({
        earnerId: ownerId,
        rule: 'renewal',
        kind,
        level: null,
        reward: pays,
        product: own.product,
        step: ownStep.label,
      }),
    );
  }
  const override = forProduct(version.rules.override, productCode);
  const overrideStep = stepAt(override.rule.renewal, age);
  if (overrideStep !== null) {
    const { kind, pays } = overrideStep.step;
    lines.push(
      ...pricer.overrides(ownerId, pays, {
        rule: 'override',
        kind,
        product: override.product,
        step: overrideStep.label,
      }),
    );
  }
  // the renewal count is written only for plans that count renewals: it costs a write per renewal
  const counted = foldStateNeeds(plan).renewalCounts
    ? { subscription: { ...subscription, renewals: age.renewalNumber } }
    : {};
  return { ...counted, capUsage: pricer.capUsage(), lines };
}

/** The affiliate's line. A conversion has no product and no customer: only per-line caps apply. */
function conversionEffect(
  conversion: AffiliateClickConvertedData,
  source: SourceRef,
  view: LedgerView,
  plan: Plan,
): FoldEffect {
  const version = versionAt(plan, conversion.convertedAt);
  const base = Money.of(conversion.amount, conversion.currency);
  const scope = {
    version,
    productCode: null,
    base,
    occurredAt: conversion.convertedAt,
    subscriptionId: null,
    customerId: null,
    tracksCapUsage: false,
  };
  const { kind, pays } = version.rules.affiliate;
  const line = new EventPricer(scope, view, source).line({
    earnerId: conversion.affiliateId,
    rule: 'affiliate',
    kind,
    level: null,
    reward: pays,
    product: null,
    step: null,
  });
  return { lines: [line] };
}

function saleLineOf(line: IncomeLine): SaleLine {
  const { earnerId, rule, kind, level, amount, rate, fixedAmount, product, step, cap, planVersion } = line;
  return { earnerId, rule, kind, level, amount, rate, fixedAmount, product, step, cap, planVersion };
}

/**
 * Answers every line of the sale with a reversing line for the refunded share, at the plan that
 * priced the original. Shares are taken on the cumulative refund (what is reversed after this
 * refund, less what was reversed before it), so refunds that add up to the whole sale reverse
 * every line exactly, whatever the rounding of each.
 */
function refundEffect(
  refund: SaleRefundedData,
  source: SourceRef,
  view: LedgerView,
  tracksCapUsage: boolean,
): FoldEffect {
  const sale = view.sale(refund.saleId);
  if (sale === undefined)
    throw new Error(`refund ${refund.refundId} of unknown sale ${refund.saleId} at position ${source.position}`);
  const whole = sale.amount;
  const before = sale.refunded;
  const after = before.plus(Money.of(refund.amount, refund.currency));
  if (after.compare(whole) > 0)
    throw new Error(`refunds of sale ${refund.saleId} exceed it at position ${source.position}`);
  const usage = new Map<string, Money>();
  const lines = sale.lines.map((original): IncomeLine => {
    const amount = original.amount;
    const reversed = amount.share(after, whole).minus(amount.share(before, whole));
    for (const key of tracksCapUsage ? lifetimeKeys(sale, original.earnerId) : []) {
      const used = usage.get(key) ?? view.capUsage(key) ?? Money.zero(sale.currency);
      usage.set(key, used.minus(reversed)); // what a refund takes back no longer counts towards a cap
    }
    const { earnerId: _earner, amount: _amount, ...provenance } = original;
    return {
      ...provenance,
      earnerId: original.earnerId,
      amount: reversed.negated(),
      currency: sale.currency,
      baseAmount: Money.of(refund.amount, refund.currency).negated(),
      uncappedAmount: null,
      occurredAt: refund.refundedAt,
      source,
    };
  });
  const capUsage = [...usage.entries()].map(([key, amount]) => ({ key, currency: sale.currency, amount }));
  return { sale: { ...sale, refunded: after }, capUsage, lines };
}

/** The lifetime cap usage keys a line of a sale counts under. */
function lifetimeKeys(sale: SaleNode, earnerId: string): string[] {
  const keys = [capUsageKey('customer', sale.customerId, sale.currency, earnerId)];
  if (sale.subscriptionId !== null)
    keys.push(capUsageKey('subscription', sale.subscriptionId, sale.currency, earnerId));
  return keys;
}

/**
 * A LedgerView kept in memory: for tests, for folding a log without a database, and as the base of the
 * forecast's ledger as of a position (which keeps no lines: `keepLines` false).
 */
export class InMemoryLedger implements LedgerView {
  protected readonly people = new Map<string, PersonNode>();
  protected readonly subscriptions = new Map<string, SubscriptionNode>();
  protected readonly sales = new Map<string, SaleNode>();
  protected readonly capUsages = new Map<string, Money>();
  readonly lines: IncomeLine[] = [];

  constructor(
    readonly plan: Plan,
    private readonly keepLines = true,
  ) {}

  apply(event: RecordedLedgerEvent): FoldEffect {
    const effect = foldEvent(event, this, this.plan);
    if (effect.person) this.people.set(effect.person.personId, effect.person);
    if (effect.subscription) this.subscriptions.set(effect.subscription.subscriptionId, effect.subscription);
    if (effect.sale) this.sales.set(effect.sale.saleId, effect.sale);
    for (const { key, amount } of effect.capUsage ?? []) this.capUsages.set(key, amount);
    if (this.keepLines) this.lines.push(...effect.lines);
    return effect;
  }

  /** This ledger's people, subscriptions, sales and cap usage copied into `into` (its lines are not). */
  protected copyInto(into: InMemoryLedger): void {
    for (const [id, person] of this.people) into.people.set(id, person);
    for (const [id, subscription] of this.subscriptions) into.subscriptions.set(id, subscription);
    for (const [id, sale] of this.sales) into.sales.set(id, sale);
    for (const [key, amount] of this.capUsages) into.capUsages.set(key, amount);
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

  capUsage(key: string): Money | undefined {
    return this.capUsages.get(key);
  }
}
