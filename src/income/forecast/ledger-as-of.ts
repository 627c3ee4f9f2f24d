// The ledger as of a position, folded in memory for forecasting: the people and subscriptions the income fold
// prices with (an InMemoryLedger that keeps no lines), each subscription's lifecycle (start, renewals paid,
// cancellation), who sponsored whom, and the business time the log had reached. Pure: events in, state out.
import { businessTimeOf as businessTimeOfFact } from '../recording-window.js';
import {
  SALE_MADE,
  SUBSCRIPTION_CANCELLED,
  SUBSCRIPTION_RENEWED,
  type LedgerEvent,
  type RecordedLedgerEvent,
  type SaleMadeData,
} from '../events.js';
import type { Plan } from '../plan/plan.js';
import { InMemoryLedger, type FoldEffect } from '../read-model/income.fold.js';
import { addCalendarMonths, type Instant } from '../../shared/time.js';
import { OVERALL, type Lifetime } from './survival.js';

/**
 * The product a subscription's retention is measured in. Sales carry no product yet, so every
 * subscription is one product; when sales gain a product code this is the one line to change.
 */
export type ProductKey = (sale: SaleMadeData) => string;
export const oneProduct: ProductKey = () => OVERALL;

export interface Lifecycle {
  readonly subscriptionId: string;
  readonly ownerId: string;
  readonly product: string;
  readonly currency: string;
  readonly startedAt: Instant;
  /** Renewals paid so far. */
  renewals: number;
  /** What the last payment (the sale or the latest renewal) charged: the price of the next renewal. */
  lastAmount: string;
  cancelledAt: Instant | null;
}

/** A running subscription that has missed this many monthly renewals is counted as ended (lapsed). */
export const LAPSED_AFTER_MISSED_RENEWALS = 2;

export class LedgerAsOf extends InMemoryLedger {
  private readonly sponsored = new Map<string, string[]>();
  readonly lifecycles = new Map<string, Lifecycle>();
  /** The latest business time of any fact folded (cancellations aside: they may be dated ahead). */
  asOfTime: Instant = '';
  position = '0';
  events = 0;

  constructor(
    plan: Plan,
    private readonly productOf: ProductKey = oneProduct,
  ) {
    super(plan, false);
  }

  /** A copy to fold further without changing this one (cheaper than folding the log again). */
  clone(): LedgerAsOf {
    const copy = new LedgerAsOf(this.plan, this.productOf);
    this.copyInto(copy);
    for (const [id, under] of this.sponsored) copy.sponsored.set(id, [...under]);
    for (const [id, life] of this.lifecycles) copy.lifecycles.set(id, { ...life });
    copy.asOfTime = this.asOfTime;
    copy.position = this.position;
    copy.events = this.events;
    return copy;
  }

  override apply(event: RecordedLedgerEvent): FoldEffect {
    const effect = super.apply(event);
    const sponsor = effect.person?.sponsorId ?? null;
    if (effect.person && sponsor !== null) {
      const under = this.sponsored.get(sponsor);
      if (under === undefined) this.sponsored.set(sponsor, [effect.person.personId]);
      else under.push(effect.person.personId);
    }
    this.track(event);
    const at = businessTimeOf(event);
    if (at !== null && at > this.asOfTime) this.asOfTime = at;
    this.position = event.position;
    this.events += 1;
    return effect;
  }

  private track(event: LedgerEvent): void {
    if (event.type === SALE_MADE && event.data.subscriptionId !== null) {
      const sale = event.data;
      this.lifecycles.set(sale.subscriptionId!, {
        subscriptionId: sale.subscriptionId!,
        ownerId: sale.repId,
        product: this.productOf(sale),
        currency: sale.currency,
        startedAt: sale.occurredAt,
        renewals: 0,
        lastAmount: sale.amount,
        cancelledAt: null,
      });
    } else if (event.type === SUBSCRIPTION_RENEWED) {
      const life = this.lifecycles.get(event.data.subscriptionId);
      if (life !== undefined) {
        life.renewals += 1;
        life.lastAmount = event.data.amount;
      }
    } else if (event.type === SUBSCRIPTION_CANCELLED) {
      const life = this.lifecycles.get(event.data.subscriptionId);
      if (life !== undefined) life.cancelledAt = event.data.cancelledAt;
    }
  }

  /** The person and everyone under them, `levels` levels deep (all of them when null). */
  branch(personId: string, levels: number | null): Set<string> {
    const found = new Set([personId]);
    let frontier = [personId];
    for (let level = 0; frontier.length > 0 && (levels === null || level < levels); level++) {
      frontier = frontier.flatMap((id) => this.sponsored.get(id) ?? []).filter((id) => !found.has(id));
      for (const id of frontier) found.add(id);
    }
    return found;
  }
}

/** When a fact happened in business time (recording-window.ts knows each event's); null for a cancellation. */
export function businessTimeOf(event: LedgerEvent): Instant | null {
  return event.type === SUBSCRIPTION_CANCELLED ? null : businessTimeOfFact(event).at;
}

/** Whole calendar months from `from` that have passed by `to` (0 when `to` is earlier). */
export function monthsBetween(from: Instant, to: Instant): number {
  let months = 0;
  while ((addCalendarMonths(from, months + 1) ?? '\uffff') <= to) months += 1;
  return months;
}

/** Renewals a subscription could have paid before its cancellation (dated strictly before it). */
export function renewalsBefore(startedAt: Instant, cancelledAt: Instant): number {
  let months = 0;
  while ((addCalendarMonths(startedAt, months + 1) ?? '\uffff') < cancelledAt) months += 1;
  return months;
}

/**
 * What the ledger knows at `asOfTime` of a subscription's lifetime: a cancelled one ended after
 * the renewals dated before its cancellation; a running one that has missed
 * LAPSED_AFTER_MISSED_RENEWALS renewals lapsed after those it paid; any other is still running.
 */
export function lifetimeOf(life: Lifecycle, asOfTime: Instant): Lifetime {
  if (life.cancelledAt !== null)
    return {
      product: life.product,
      renewals: Math.max(life.renewals, renewalsBefore(life.startedAt, life.cancelledAt)),
      ended: true,
    };
  const due = monthsBetween(life.startedAt, asOfTime);
  return {
    product: life.product,
    renewals: life.renewals,
    ended: due - life.renewals >= LAPSED_AFTER_MISSED_RENEWALS,
  };
}
