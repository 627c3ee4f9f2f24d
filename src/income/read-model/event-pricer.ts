// Prices the lines of one event under one plan version: the reward of each line, then the caps,
// counting what each earner has had so far under the lifetime caps (from the ledger's view, and
// from this event's own earlier lines). Pure.
import { Money } from '../../shared/money.js';
import type { Instant } from '../../shared/time.js';
import {
  forProduct,
  type ByLevel,
  type CapName,
  type Caps,
  type IncomeKind,
  type PlanVersion,
  type Reward,
} from '../plan/plan.js';
import { applyCaps, priceReward } from '../plan/pricing.js';
import type { CapScope, CapUsageEntry, IncomeLine, LedgerView, RuleName, SourceRef } from './income.fold.js';

export function capUsageKey(scope: CapScope, scopeId: string, currency: string, earnerId: string): string {
  return `${scope}\u0000${scopeId}\u0000${currency}\u0000${earnerId}`;
}

/** What a priced event is about: where the lines of it count towards the lifetime caps. */
export interface PricingScope {
  readonly version: PlanVersion;
  readonly productCode: string | null;
  readonly base: Money;
  readonly occurredAt: Instant;
  readonly subscriptionId: string | null;
  readonly customerId: string | null;
  /** Whether the plan has lifetime caps, and so the fold keeps their usage (foldStateNeeds). */
  readonly tracksCapUsage: boolean;
}

/** One line to price: who earns, under which rule, and what pays. */
export interface LineSpec {
  readonly earnerId: string;
  readonly rule: RuleName;
  readonly kind: IncomeKind;
  readonly level: number | null;
  readonly reward: Reward;
  readonly product: string | null;
  readonly step: string | null;
}

/**
 * Prices the lines of one event: reward, then caps, with the cap usage of this event's own earlier
 * lines taken into account (a seller's direct and fast-start lines share their caps).
 */
export class EventPricer {
  /** Made on the first cap usage: most events are priced without one. */
  private usage: Map<string, Money> | null = null;

  constructor(
    private readonly scope: PricingScope,
    private readonly view: LedgerView,
    private readonly source: SourceRef,
  ) {}

  line(spec: LineSpec): IncomeLine {
    const { version, base, productCode } = this.scope;
    const priced = priceReward(spec.reward, base);
    const caps = version.rules.caps === undefined ? undefined : forProduct(version.rules.caps, productCode).rule;
    const capped =
      caps === undefined && !this.scope.tracksCapUsage
        ? { amount: priced.amount, cap: null } // the short way, for plans without caps: most lines
        : this.capped(priced.amount, spec.earnerId, caps);
    return {
      earnerId: spec.earnerId,
      rule: spec.rule,
      kind: spec.kind,
      level: spec.level,
      amount: capped.amount,
      currency: base.currency,
      baseAmount: base,
      rate: priced.rate,
      fixedAmount: priced.fixedAmount,
      product: spec.product,
      step: spec.step,
      cap: capped.cap,
      uncappedAmount: capped.cap === null ? null : priced.amount,
      planVersion: version.version,
      occurredAt: this.scope.occurredAt,
      source: this.source,
    };
  }

  /** An amount cut to the caps, counting what the earner has had under the lifetime ones (and adding it). */
  private capped(amount: Money, earnerId: string, caps: Caps | undefined): { amount: Money; cap: CapName | null } {
    const keys = this.keysOf(earnerId);
    const used = (key: string | null) => (key === null ? null : this.used(key));
    const capped = applyCaps(amount, caps, {
      perSubscription: used(keys.subscription),
      perCustomer: used(keys.customer),
    });
    for (const key of [keys.subscription, keys.customer]) if (key !== null) this.add(key, capped.amount);
    return capped;
  }

  /** One line per upline level the rewards reach (the list's length is the override depth). */
  overrides(ownerId: string, pays: ByLevel, common: Omit<LineSpec, 'earnerId' | 'level' | 'reward'>) {
    const { rule, kind, product, step } = common;
    return uplineOf(ownerId, pays.length, this.view).map((earnerId, i) =>
      this.line({ rule, kind, product, step, earnerId, level: i + 1, reward: pays[i]! }),
    );
  }

  /** The cap usage this event moved, as it now stands. */
  capUsage(): readonly CapUsageEntry[] {
    if (this.usage === null) return NO_CAP_USAGE;
    return [...this.usage.entries()].map(([key, amount]) => ({ key, currency: amount.currency, amount }));
  }

  private keysOf(earnerId: string): { subscription: string | null; customer: string | null } {
    const { subscriptionId, customerId, base, tracksCapUsage } = this.scope;
    if (!tracksCapUsage) return { subscription: null, customer: null };
    return {
      subscription:
        subscriptionId === null ? null : capUsageKey('subscription', subscriptionId, base.currency, earnerId),
      customer: customerId === null ? null : capUsageKey('customer', customerId, base.currency, earnerId),
    };
  }

  private used(key: string): Money {
    return this.usage?.get(key) ?? this.view.capUsage(key) ?? Money.zero(this.scope.base.currency);
  }

  private add(key: string, amount: Money): void {
    const used = this.used(key);
    (this.usage ??= new Map()).set(key, used.plus(amount));
  }
}

const NO_CAP_USAGE: readonly CapUsageEntry[] = Object.freeze([]);

/** Sponsor, sponsor's sponsor, ... up to `levels`; shorter when the chain ends. */
export function uplineOf(personId: string, levels: number, view: LedgerView): string[] {
  const upline: string[] = [];
  let current = view.person(personId);
  while (current?.sponsorId != null && upline.length < levels) {
    upline.push(current.sponsorId);
    current = view.person(current.sponsorId);
  }
  return upline;
}
