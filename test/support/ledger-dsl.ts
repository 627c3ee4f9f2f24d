// Given/when/then for the pure income fold: no mocks, fixed ids, positions counted from 1.
import { expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  AFFILIATE_CLICK_CONVERTED,
  AFFILIATE_ORDER_CLAIMED,
  REP_RECRUITED,
  SALE_MADE,
  SALE_REFUNDED,
  SUBSCRIPTION_CANCELLED,
  SUBSCRIPTION_RENEWED,
  SUBSCRIPTION_STARTED,
  affiliateOrderStream,
  conversionStream,
  repStream,
  saleStream,
  subscriptionStream,
  type LedgerEvent,
  type RecordedLedgerEvent,
} from '../../src/income/events.js';
import { parsePlan, type Plan } from '../../src/income/plan/plan.js';
import { InMemoryLedger, type IncomeLine } from '../../src/income/read-model/income.fold.js';

export function defaultPlan(): Plan {
  const result = parsePlan(JSON.parse(readFileSync('plans/default.plan.json', 'utf8')));
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.plan;
}

/** `at('2025-01-15')` → canonical UTC instant at 10:00. A full instant is kept as given. */
export function at(day: string): string {
  return day.length === 10 ? `${day}T10:00:00.000Z` : new Date(day).toISOString();
}

/** `network('a <- b <- c')`: a recruits b, b recruits c; all recruited on 2024-01-01. */
export function network(chain: string): LedgerEvent[] {
  const ids = chain.split('<-').map((s) => s.trim());
  return ids.map((repId, i) => recruited(repId, i === 0 ? null : ids[i - 1]!));
}

export function recruited(repId: string, sponsorId: string | null, when = '2024-01-01'): LedgerEvent {
  return { type: REP_RECRUITED, data: { repId, sponsorId, name: repId.toUpperCase(), recruitedAt: at(when) } };
}

const money = (text: string) => {
  const [amount, currency] = text.split(' ');
  return { amount: amount!, currency: currency! };
};

export function sale(
  saleId: string,
  repId: string,
  amount: string,
  when: string,
  subscriptionId: string | null = null,
  productCode: string | null = null,
): LedgerEvent {
  return {
    type: SALE_MADE,
    data: {
      saleId,
      repId,
      customerId: `cust-${saleId}`,
      ...money(amount),
      kind: subscriptionId === null ? 'single' : 'subscription',
      subscriptionId,
      ...(productCode === null ? {} : { productCode }),
      occurredAt: at(when),
    },
  };
}

export function renewed(subscriptionId: string, renewalId: string, amount: string, when: string): LedgerEvent {
  return { type: SUBSCRIPTION_RENEWED, data: { subscriptionId, renewalId, ...money(amount), renewedAt: at(when) } };
}

export function refunded(saleId: string, refundId: string, amount: string, when: string): LedgerEvent {
  return {
    type: SALE_REFUNDED,
    data: { saleId, refundId, ...money(amount), reason: 'customer asked', refundedAt: at(when) },
  };
}

export function cancelled(subscriptionId: string, when: string): LedgerEvent {
  return { type: SUBSCRIPTION_CANCELLED, data: { subscriptionId, reason: 'customer left', cancelledAt: at(when) } };
}

export function converted(clickId: string, affiliateId: string, amount: string, when: string): LedgerEvent {
  return {
    type: AFFILIATE_CLICK_CONVERTED,
    data: { clickId, affiliateId, orderId: `order-${clickId}`, ...money(amount), convertedAt: at(when) },
  };
}

/** Gives events the place in the log a store would: stream by kind, revisions per stream, positions from 1. */
export function recorded(events: readonly LedgerEvent[]): RecordedLedgerEvent[] {
  const revisions = new Map<string, number>();
  return events.map((event, i) => {
    const stream = streamOf(event);
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    return {
      ...event,
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      stream,
      revision,
      position: String(i + 1),
    };
  });
}

function streamOf(event: LedgerEvent): string {
  switch (event.type) {
    case REP_RECRUITED:
      return repStream(event.data.repId);
    case SALE_MADE:
      return saleStream(event.data.saleId);
    case SUBSCRIPTION_RENEWED:
      return subscriptionStream(event.data.subscriptionId);
    case AFFILIATE_CLICK_CONVERTED:
      return conversionStream(event.data.clickId);
    case AFFILIATE_ORDER_CLAIMED:
      return affiliateOrderStream(event.data.orderId);
    case SALE_REFUNDED:
      return saleStream(event.data.saleId);
    case SUBSCRIPTION_STARTED:
    case SUBSCRIPTION_CANCELLED:
      return subscriptionStream(event.data.subscriptionId);
    default: {
      const never: never = event;
      throw new Error(`no stream for ${JSON.stringify(never)}`);
    }
  }
}

/** One line as people read it: `dan override residual 2.50 USD g1`. */
export function describeLine(line: IncomeLine): string {
  return [
    line.earnerId,
    line.rule,
    line.kind,
    line.amount.toString(),
    line.currency,
    ...(line.level === null ? [] : [`g${line.level}`]),
    ...(line.cap === null ? [] : [`capped:${line.cap}`]),
  ].join(' ');
}

/**
 * A plan of one version: the default plan's rules with `rules` put over them (rule by rule).
 * Throws with every problem when the result is not a valid plan.
 */
export function planWith(rules: Record<string, unknown>, effectiveFrom = '2000-01-01T00:00:00Z'): Plan {
  const base = JSON.parse(readFileSync('plans/default.plan.json', 'utf8'));
  const version = { ...base.versions[0], version: 'rules.1', effectiveFrom };
  const result = parsePlan({ versions: [{ ...version, rules: { ...version.rules, ...rules } }] });
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.plan;
}

export function given(...history: (LedgerEvent | LedgerEvent[])[]) {
  return givenUnder(defaultPlan(), ...history);
}

/** given/when/then under a plan other than the default. */
export function givenUnder(plan: Plan, ...history: (LedgerEvent | LedgerEvent[])[]) {
  const past = history.flat();
  return {
    when(...now: LedgerEvent[]) {
      const ledger = new InMemoryLedger(plan);
      const all = recorded([...past, ...now]);
      all.slice(0, past.length).forEach((e) => ledger.apply(e));
      const produced = all.slice(past.length).flatMap((e) => ledger.apply(e).lines);
      return {
        then(expected: string[]) {
          expect(produced.map(describeLine)).toEqual(expected);
        },
        lines: produced,
      };
    },
  };
}
