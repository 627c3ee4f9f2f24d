// The benchmark workload: a seeded, realistic network and its commands, as the HTTP API takes them.
// Deterministic: the same size and seed give the same requests, byte for byte (no Math.random).
import { NO_STREAM, type EventToAppend, type ExpectedState } from '../event-store/event-store.port.js';
import {
  AFFILIATE_CLICK_CONVERTED,
  AFFILIATE_ORDER_CLAIMED,
  REP_RECRUITED,
  SALE_MADE,
  SUBSCRIPTION_CANCELLED,
  SUBSCRIPTION_RENEWED,
  SUBSCRIPTION_STARTED,
  affiliateOrderStream,
  businessKey,
  conversionStream,
  repStream,
  saleStream,
  storedDataOf,
  subscriptionStream,
  type SaleKind,
} from '../income/events.js';
import type { CommandContext } from '../income/ledger-streams.js';
import { CancelSubscription } from '../income/cancellation/cancel-subscription.command.js';
import { ConvertClick } from '../income/conversion/convert-click.command.js';
import { RenewSubscription } from '../income/renewal/renew-subscription.command.js';
import { RecruitRep } from '../income/rep/recruit-rep.command.js';
import { RecordSale } from '../income/sale/record-sale.command.js';
import { eventIdFor } from '../shared/ids.js';
import { normalizeAmount } from '../shared/money.js';
import { parseInstant } from '../shared/time.js';
import { prng } from '../shared/prng.js';

/** One request of the workload: the path and JSON body a client would POST. */
export interface BenchRequest {
  readonly path: string;
  readonly body: Record<string, string | null>;
  /** Events this request decides on a fresh ledger (2 for a subscription sale: the claim and the sale). */
  readonly events: number;
}

export interface Workload {
  readonly requests: BenchRequest[];
  readonly events: number;
  readonly reps: string[];
  readonly stats: Record<string, number>;
}

const DEPTH_MAX = 9; // levels 0..9: ten deep
const START_MS = Date.UTC(2024, 0, 1);
const END_MS = Date.UTC(2026, 0, 1); // two years of business
const RECRUITING_MS = Date.UTC(2025, 6, 1) - START_MS;
const MINUTE_MS = 60_000;
const CURRENCIES = [
  { code: 'USD', weight: 0.5, prices: ['9.99', '19.99', '49.99', '99.00'], minor: 2 },
  { code: 'EUR', weight: 0.25, prices: ['9.90', '19.90', '49.90', '89.00'], minor: 2 },
  { code: 'GBP', weight: 0.15, prices: ['8.99', '17.99', '44.99', '79.00'], minor: 2 },
  { code: 'JPY', weight: 0.1, prices: ['1000', '2980', '4980', '9800'], minor: 0 },
] as const;
const CHURN_PER_MONTH = 0.04;
const CANCEL_BEFORE_RENEWAL_MS = 3 * 24 * 60 * MINUTE_MS;

export interface WorkloadOptions {
  /**
   * Post a cancellation when a subscription churns (the backtest needs them to measure retention). Off
   * for the benchmark, whose figures stay comparable with earlier runs: churned subscriptions just stop renewing.
   */
  readonly cancellations: boolean;
}

const instant = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() + months,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  );
}

/** Reps scale with the log: thousands of them, at most ten thousand. */
export function repCountFor(events: number): number {
  return Math.min(10_000, Math.max(1_000, Math.round(events / 10)));
}

/**
 * A network of reps up to ten levels deep (5% affiliates outside the tree), then single
 * sales, subscriptions renewed monthly with churn over two years, and affiliate conversions in four
 * currencies, in business-time order, until the requests decide `eventsTarget` events.
 */
export function generateWorkload(
  eventsTarget: number,
  seed = 20261122,
  options: WorkloadOptions = { cancellations: false },
): Workload {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const currency = () => {
    let r = random();
    for (const c of CURRENCIES) if ((r -= c.weight) < 0) return c;
    return CURRENCIES[0];
  };
  const purchaseAmount = (c: (typeof CURRENCIES)[number]) =>
    c.minor === 0 ? String(500 + Math.floor(random() * 49_500)) : (5 + Math.floor(random() * 49_500) / 100).toFixed(2);

  type Timed = BenchRequest & { at: number; seq: number };
  const timed: Timed[] = [];
  let seq = 0;
  const add = (at: number, path: string, body: Record<string, string | null>, events: number) =>
    timed.push({ at, seq: seq++, path, body, events });

  // The network: sponsors are earlier reps, biased towards recent (deeper) ones, ten levels at most.
  const repCount = Math.min(repCountFor(eventsTarget), Math.max(1, Math.floor(eventsTarget / 4)));
  const reps: { id: string; depth: number; at: number; affiliate: boolean }[] = [];
  const sponsors: number[] = [];
  for (let i = 0; i < repCount; i++) {
    const at = START_MS + Math.floor((i / repCount) * RECRUITING_MS);
    const affiliate = i >= 10 && random() < 0.05;
    let sponsor: number | null = null;
    if (!affiliate && i >= 10 && sponsors.length > 0) {
      sponsor = sponsors[Math.floor(Math.sqrt(random()) * sponsors.length)]!;
      if (reps[sponsor]!.depth >= DEPTH_MAX) sponsor = sponsors[Math.floor(random() * Math.min(10, sponsors.length))]!;
    }
    const id = `R${String(i).padStart(5, '0')}`;
    const depth = sponsor === null ? 0 : reps[sponsor]!.depth + 1;
    reps.push({ id, depth, at, affiliate });
    if (!affiliate) sponsors.push(i);
    add(
      at,
      '/reps',
      { repId: id, sponsorId: sponsor === null ? null : reps[sponsor]!.id, name: `Rep ${i}`, recruitedAt: instant(at) },
      1,
    );
  }

  const stats = {
    reps: repCount,
    depthMax: 0,
    singleSales: 0,
    subscriptions: 0,
    renewals: 0,
    conversions: 0,
    cancellations: 0,
  };
  stats.depthMax = Math.max(...reps.map((r) => r.depth));
  const sellers = reps.filter((r) => !r.affiliate);
  const affiliates = reps.filter((r) => r.affiliate);
  let events = repCount;
  // Generate a little more than needed, then cut in time order at the target.
  for (let n = 0; events < eventsTarget * 1.3 + 10; n++) {
    const kind = random();
    if (kind < 0.5) {
      const rep = pick(sellers);
      const at = rep.at + MINUTE_MS + Math.floor(random() * (END_MS - rep.at - MINUTE_MS));
      const c = currency();
      add(
        at,
        '/sales',
        {
          saleId: `S${n}`,
          repId: rep.id,
          customerId: `C${Math.floor(random() * 100_000)}`,
          amount: purchaseAmount(c),
          currency: c.code,
          kind: 'single',
          occurredAt: instant(at),
        },
        1,
      );
      events += 1;
      stats.singleSales += 1;
    } else if (kind < 0.7) {
      const rep = pick(sellers);
      const at = rep.at + MINUTE_MS + Math.floor(random() * (END_MS - rep.at - MINUTE_MS));
      const c = currency();
      const price = pick(c.prices);
      add(
        at,
        '/sales',
        {
          saleId: `S${n}`,
          repId: rep.id,
          customerId: `C${Math.floor(random() * 100_000)}`,
          amount: price,
          currency: c.code,
          kind: 'subscription',
          subscriptionId: `SUB${n}`,
          occurredAt: instant(at),
        },
        2,
      );
      events += 2;
      stats.subscriptions += 1;
      for (let month = 1; month <= 24; month++) {
        const renewedAt = addMonths(at, month);
        if (renewedAt >= END_MS) break;
        if (random() < CHURN_PER_MONTH) {
          // The customer leaves a few days before the renewal they will not pay. Drawing nothing more
          // from the generator keeps the workload without cancellations (the benchmark's) unchanged.
          if (options.cancellations) {
            const cancelledAt = instant(renewedAt - CANCEL_BEFORE_RENEWAL_MS);
            add(
              renewedAt - CANCEL_BEFORE_RENEWAL_MS,
              `/subscriptions/SUB${n}/cancellation`,
              {
                reason: 'customer left',
                cancelledAt,
              },
              1,
            );
            stats.cancellations += 1; // not counted towards generating more: the same sales and renewals either way
          }
          break;
        }
        add(
          renewedAt,
          `/subscriptions/SUB${n}/renewals`,
          { renewalId: `M${month}`, amount: price, currency: c.code, renewedAt: instant(renewedAt) },
          1,
        );
        events += 1;
        stats.renewals += 1;
      }
    } else {
      const affiliate = random() < 0.7 && affiliates.length > 0 ? pick(affiliates) : pick(reps);
      const at = affiliate.at + MINUTE_MS + Math.floor(random() * (END_MS - affiliate.at - MINUTE_MS));
      const c = currency();
      add(
        at,
        '/affiliate-conversions',
        {
          clickId: `K${n}`,
          affiliateId: affiliate.id,
          orderId: `O${n}`,
          amount: purchaseAmount(c),
          currency: c.code,
          convertedAt: instant(at),
        },
        2, // the order's claim, then the conversion
      );
      events += 2;
      stats.conversions += 1;
    }
  }

  timed.sort((x, y) => x.at - y.at || x.seq - y.seq);
  const requests: BenchRequest[] = [];
  let total = 0;
  for (const r of timed) {
    if (total + r.events > eventsTarget) break;
    requests.push({ path: r.path, body: r.body, events: r.events });
    total += r.events;
  }
  return { requests, events: total, reps: reps.map((r) => r.id), stats };
}

/** The command a controller makes of a request: amounts and instants normalized the same way. */
export function toCommand(
  request: BenchRequest,
  context: CommandContext,
): RecruitRep | RecordSale | RenewSubscription | ConvertClick | CancelSubscription {
  const b = request.body as Record<string, string>;
  const at = (text: string) => parseInstant(text)!;
  if (request.path === '/reps') {
    return new RecruitRep(
      { repId: b.repId!, sponsorId: b.sponsorId ?? null, name: b.name!, recruitedAt: at(b.recruitedAt!) },
      context,
    );
  }
  if (request.path === '/sales') {
    const terms = {
      saleId: b.saleId!,
      repId: b.repId!,
      customerId: b.customerId!,
      amount: normalizeAmount(b.amount!, b.currency!),
      currency: b.currency!,
      kind: b.kind as SaleKind,
      subscriptionId: b.kind === 'subscription' ? b.subscriptionId! : null,
      ...(b.productCode === undefined ? {} : { productCode: b.productCode }),
      occurredAt: at(b.occurredAt!),
    };
    return new RecordSale(terms, context);
  }
  if (request.path === '/affiliate-conversions') {
    const terms = {
      clickId: b.clickId!,
      affiliateId: b.affiliateId!,
      orderId: b.orderId!,
      amount: normalizeAmount(b.amount!, b.currency!),
      currency: b.currency!,
      convertedAt: at(b.convertedAt!),
    };
    return new ConvertClick(terms, context);
  }
  const cancellation = /^\/subscriptions\/([^/]+)\/cancellation$/.exec(request.path);
  if (cancellation !== null) {
    return new CancelSubscription(
      { subscriptionId: cancellation[1]!, reason: b.reason!, cancelledAt: at(b.cancelledAt!) },
      context,
    );
  }
  const renewal = /^\/subscriptions\/([^/]+)\/renewals$/.exec(request.path);
  if (renewal === null) throw new Error(`no command for ${request.path}`);
  const terms = {
    subscriptionId: renewal[1]!,
    renewalId: b.renewalId!,
    amount: normalizeAmount(b.amount!, b.currency!),
    currency: b.currency!,
    renewedAt: at(b.renewedAt!),
  };
  return new RenewSubscription(terms, context);
}

export interface DecidedAppend {
  readonly stream: string;
  readonly events: EventToAppend[];
  readonly expected: ExpectedState;
}

/**
 * The appends the command handlers make for a request on a ledger where it is new: the same
 * streams, types, ids and data (the deciders copy the command's terms), for loading a big log in
 * bulk through the EventStore port instead of through the handlers.
 */
export function decidedAppends(request: BenchRequest, context: CommandContext, recordedAt: string): DecidedAppend[] {
  const command = toCommand(request, context);
  /** One event appended alone to its stream. */
  const append = (stream: string, type: string, key: string, data: object, expected: ExpectedState): DecidedAppend => ({
    stream,
    events: [
      {
        id: eventIdFor(type, key),
        type,
        data,
        metadata: {
          recordedAt,
          correlationId: context.correlationId,
          causationId: context.correlationId,
          businessKey: key,
        },
      },
    ],
    expected,
  });
  const any = { kind: 'any' } as const;
  if (command instanceof RecruitRep) {
    const t = command.terms;
    return [append(repStream(t.repId), REP_RECRUITED, businessKey.rep(t.repId), { ...t }, NO_STREAM)];
  }
  if (command instanceof RecordSale) {
    const t = command.terms;
    const data = storedDataOf({ type: SALE_MADE, data: t });
    const sale = append(saleStream(t.saleId), SALE_MADE, businessKey.sale(t.saleId), data, NO_STREAM);
    if (t.subscriptionId === null) return [sale];
    const claim = {
      subscriptionId: t.subscriptionId,
      saleId: t.saleId,
      repId: t.repId,
      currency: t.currency,
      startedAt: t.occurredAt,
    };
    const key = businessKey.subscriptionStart(t.subscriptionId, t.saleId);
    return [append(subscriptionStream(t.subscriptionId), SUBSCRIPTION_STARTED, key, claim, NO_STREAM), sale];
  }
  if (command instanceof CancelSubscription) {
    const t = command.terms;
    const key = businessKey.cancellation(t.subscriptionId);
    return [append(subscriptionStream(t.subscriptionId), SUBSCRIPTION_CANCELLED, key, { ...t }, any)];
  }
  if (command instanceof RenewSubscription) {
    const t = command.terms;
    const key = businessKey.renewal(t.subscriptionId, t.renewalId);
    return [append(subscriptionStream(t.subscriptionId), SUBSCRIPTION_RENEWED, key, { ...t }, any)];
  }
  const t = command.terms;
  const claim = { orderId: t.orderId, clickId: t.clickId, affiliateId: t.affiliateId, convertedAt: t.convertedAt };
  const claimKey = businessKey.orderClaim(t.orderId, t.clickId);
  return [
    append(affiliateOrderStream(t.orderId), AFFILIATE_ORDER_CLAIMED, claimKey, claim, NO_STREAM),
    append(conversionStream(t.clickId), AFFILIATE_CLICK_CONVERTED, businessKey.click(t.clickId), { ...t }, NO_STREAM),
  ];
}
