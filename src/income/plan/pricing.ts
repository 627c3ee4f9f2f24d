// Which reward, step and cap of a plan version apply to an event, and what they make of its amount.
// Pure: amounts go through Money (shared/money.ts), times through shared/time.ts.
import { Money } from '../../shared/money.js';
import { addCalendarMonths, addDays, type Instant } from '../../shared/time.js';
import type { CapName, Caps, FastStartRule, Recurring, Reward, Step } from './plan.js';

/** A reward applied to a base: the amount, and what priced it (a rate, a fixed amount, or neither). */
export interface Priced {
  readonly amount: Money;
  readonly rate: string | null;
  /** The fixed amount the plan names for the base's currency. */
  readonly fixedAmount: string | null;
}

/**
 * base × rate rounded half to even once, or the fixed amount for the base's currency. A fixed
 * reward that names no amount in that currency pays zero, with neither rate nor fixed amount.
 */
export function priceReward(reward: Reward, base: Money): Priced {
  if ('rate' in reward) return { amount: base.timesRate(reward.rate), rate: reward.rate.toString(), fixedAmount: null };
  const fixed = Object.hasOwn(reward.fixed, base.currency) ? reward.fixed[base.currency]! : null;
  if (fixed === null) return { amount: Money.zero(base.currency), rate: null, fixedAmount: null };
  return { amount: Money.of(fixed, base.currency), rate: null, fixedAmount: fixed };
}

/** Where a renewal stands in its subscription's life. */
export interface RenewalAge {
  readonly startedAt: Instant;
  readonly renewedAt: Instant;
  /** 1 for the first renewal folded, 2 for the second... */
  readonly renewalNumber: number;
}

/** Whether a renewal has reached an age: `months` whole calendar months after the sale, or renewal number `n`. */
function reached(measure: Recurring<unknown>['age'], age: number, at: RenewalAge): boolean {
  if (measure === 'renewals') return at.renewalNumber >= age;
  const from = addCalendarMonths(at.startedAt, age);
  return from !== null && at.renewedAt >= from;
}

/**
 * The step of a recurring rule that prices a renewal, with its label ("calendarMonths 12+",
 * "renewals 4+"), or null when the rule's duration is over and it pays nothing.
 */
export function stepAt<P>(rule: Recurring<P>, at: RenewalAge): { step: Step<P>; label: string } | null {
  if (rule.until !== undefined) {
    const over =
      'calendarMonths' in rule.until
        ? reached('calendarMonths', rule.until.calendarMonths, at)
        : reached('renewals', rule.until.renewals, at);
    if (over) return null;
  }
  let found = rule.steps[0]!;
  for (const step of rule.steps) if (reached(rule.age, step.from, at)) found = step;
  return { step: found, label: `${rule.age} ${found.from}+` };
}

/** Whether a sale falls in its rep's fast-start window: from recruitment, for `withinDays` days. */
export function inFastStart(rule: FastStartRule, recruitedAt: Instant, saleAt: Instant): boolean {
  const end = addDays(recruitedAt, rule.withinDays);
  return saleAt >= recruitedAt && (end === null || saleAt < end);
}

/** What an earner has had so far under the lifetime caps that apply to a line (null: not in scope). */
export interface CapUsage {
  readonly perSubscription: Money | null;
  readonly perCustomer: Money | null;
}

/**
 * A line's amount cut to the caps, and the cap that cut it (the tightest, when several do).
 * A lifetime cap already reached leaves nothing; caps in other currencies do not apply.
 */
export function applyCaps(
  amount: Money,
  caps: Caps | undefined,
  used: CapUsage,
): { amount: Money; cap: CapName | null } {
  let result: { amount: Money; cap: CapName | null } = { amount, cap: null };
  const limit = (name: CapName, already: Money | null) => {
    const cap = caps?.[name];
    if (cap === undefined || already === null || !Object.hasOwn(cap, amount.currency)) return;
    const room = Money.of(cap[amount.currency]!, amount.currency).minus(already).max(Money.zero(amount.currency));
    if (room.compare(result.amount) < 0) result = { amount: room, cap: name };
  };
  limit('perLine', Money.zero(amount.currency));
  limit('perSubscription', used.perSubscription);
  limit('perCustomer', used.perCustomer);
  return result;
}
