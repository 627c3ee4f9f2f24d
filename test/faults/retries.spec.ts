// Retries and races over HTTP. The same command sent many times at once is written once and priced
// once; distinct commands racing on one stream each land or get 409 CONCURRENCY_CONFLICT (never
// lost, never half-done), and a 409'd one lands when retried.
//
// The requests go to two service processes (dist/main.js) sharing one event log, as several instances
// of the service share an EventStoreDB in production: here the test-only fake EventStoreDB server (a
// test double, see test/doubles), each instance with its read models of its own. (Two processes can no
// longer share the embedded SQLite store: its file belongs to one service at a time, see data-lock.ts;
// and within one process the SQLite store is synchronous, so a load-decide-append cycle never
// interleaves with another and no append would ever meet a conflict.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadAppConfig } from '../../src/config/app-config.js';
import { openEventStore } from '../../src/event-store/event-store.module.js';
import type { RecordedEvent } from '../../src/event-store/event-store.port.js';
import { startFakeEventStoreDb, type FakeEventStoreDb } from '../doubles/fake-eventstoredb-server.js';
import { removeDir, startTestApp, tempDir, type TestApp } from '../support/test-app.js';
import { startService, type ServiceProcess } from '../support/service-process.js';
import { reportFigure } from '../support/report.js';

const COPIES = 20;
const RACERS = 40;

interface Answer {
  readonly status: number;
  readonly body: any;
}

const dir = tempDir('retries-');
let shared: FakeEventStoreDb;
let services: ServiceProcess[] = [];
let once: TestApp;

beforeAll(async () => {
  shared = await startFakeEventStoreDb();
  services = await Promise.all(
    [0, 1].map((i) =>
      startService({
        EVENTSTORE_CONNECTION_STRING: shared.connectionString,
        READ_MODEL_DIR: join(dir, `read-models-${i}`),
      }),
    ),
  );
  once = await startTestApp();
}, 60_000);
afterAll(async () => {
  for (const service of services) {
    service.child.kill('SIGTERM');
    await service.exited;
  }
  await once.stop();
  await removeDir(once.dir);
  await removeDir(dir);
  await shared.stop();
});

/** Request `i` goes to service `i % 2`. */
async function post(i: number, path: string, body: object): Promise<Answer> {
  const response = await fetch(services[i % services.length]!.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function get(path: string): Promise<Answer> {
  const response = await fetch(services[0]!.url + path);
  return { status: response.status, body: await response.json() };
}

/** The whole log of the embedded store at `path`, or of the shared EventStoreDB when none is given. */
async function logOf(path?: string): Promise<RecordedEvent[]> {
  const store = openEventStore(
    loadAppConfig(
      path === undefined ? { EVENTSTORE_CONNECTION_STRING: shared.connectionString } : { EVENT_STORE_PATH: path },
      {},
    ),
  );
  try {
    return await store.readAll({ maxCount: 100_000 });
  } finally {
    await store.close();
  }
}

/** One of each command, in an order where each refers only to what came before; ids end in `tag`. */
function commandsFor(tag: string): [string, string, object][] {
  return [
    ['recruit', '/reps', { repId: `ana${tag}`, name: 'Ana', recruitedAt: '2024-01-01T00:00:00Z' }],
    [
      'recruit with sponsor',
      '/reps',
      { repId: `ben${tag}`, sponsorId: `ana${tag}`, name: 'Ben', recruitedAt: '2024-02-01T00:00:00Z' },
    ],
    [
      'recruit with sponsor',
      '/reps',
      { repId: `cleo${tag}`, sponsorId: `ben${tag}`, name: 'Cleo', recruitedAt: '2024-03-01T00:00:00Z' },
    ],
    [
      'single sale',
      '/sales',
      {
        saleId: `S-1${tag}`,
        repId: `cleo${tag}`,
        customerId: 'C-1',
        amount: '100.00',
        currency: 'USD',
        kind: 'single',
        occurredAt: '2025-01-10T10:00:00Z',
      },
    ],
    [
      'subscription sale',
      '/sales',
      {
        saleId: `S-2${tag}`,
        repId: `cleo${tag}`,
        customerId: 'C-2',
        amount: '30.00',
        currency: 'USD',
        kind: 'subscription',
        subscriptionId: `SUB-1${tag}`,
        occurredAt: '2025-01-15T10:00:00Z',
      },
    ],
    [
      'renewal',
      `/subscriptions/SUB-1${tag}/renewals`,
      { renewalId: 'R-1', amount: '30.00', currency: 'USD', renewedAt: '2025-02-15T10:00:00Z' },
    ],
    [
      'conversion',
      '/affiliate-conversions',
      {
        clickId: `K-1${tag}`,
        affiliateId: `ana${tag}`,
        orderId: `O-1${tag}`,
        amount: '12.50',
        currency: 'USD',
        convertedAt: '2025-03-01T10:00:00Z',
      },
    ],
    [
      'refund',
      `/sales/S-1${tag}/refunds`,
      { refundId: 'F-1', amount: '40.00', currency: 'USD', reason: 'returned', refundedAt: '2025-03-05T10:00:00Z' },
    ],
    [
      'cancellation',
      `/subscriptions/SUB-1${tag}/cancellation`,
      { reason: 'customer left', cancelledAt: '2025-04-01T10:00:00Z' },
    ],
  ];
}

/** Everyone's lines as people read them (positions left out: they are the store's business) and totals. */
async function everyonesLedger(
  read: (path: string) => Promise<Answer>,
  tag: string,
  minPosition: string,
): Promise<unknown> {
  return Promise.all(
    ['ana', 'ben', 'cleo'].map(async (name) => ({
      name,
      totals: (await read(`/people/${name}${tag}/income?minPosition=${minPosition}`)).body.totals,
      lines: (await read(`/people/${name}${tag}/history?limit=1000&minPosition=${minPosition}`)).body.lines.map(
        (l: any) => [l.kind, l.rule, l.amount, l.currency, l.level, l.source.eventId],
      ),
    })),
  );
}

describe('the same command sent many times at once', () => {
  it(`writes one event and one set of lines for each command type (${COPIES} concurrent copies each, over two processes)`, async () => {
    const tag = '-copies';
    const commands = commandsFor(tag);
    let replays = 0;
    let conflicts = 0;
    let lastOnce!: Answer;
    let lastMany!: Answer;
    for (const [kind, path, body] of commands) {
      lastOnce = await once.post(path, body);
      expect([kind, lastOnce.status]).toEqual([kind, 201]);

      const answers = await Promise.all(Array.from({ length: COPIES }, (_, i) => post(i, path, body)));
      const statuses = answers.map((a) => a.status);
      // 201 to the one that wrote; 200 with the same answer to every identical retry; 409 only if the stream kept changing
      expect([kind, statuses.filter((s) => s === 201).length]).toEqual([kind, 1]);
      expect([kind, statuses.filter((s) => s !== 201 && s !== 200 && s !== 409)]).toEqual([kind, []]);
      expect(
        answers
          .filter((a) => a.status === 409)
          .map((a) => a.body.code)
          .filter((c) => c !== 'CONCURRENCY_CONFLICT'),
      ).toEqual([]);
      const written = answers.find((a) => a.status === 201)!.body;
      for (const a of answers.filter((a) => a.status === 200)) expect(a.body).toEqual(written);
      replays += statuses.filter((s) => s === 200).length;
      conflicts += statuses.filter((s) => s === 409).length;
      // a 409'd copy, retried alone, is recognised as the same command
      for (const _ of answers.filter((a) => a.status === 409)) expect((await post(0, path, body)).status).toBe(200);
      lastMany = answers.find((a) => a.status === 201)!;
    }

    const view = (log: RecordedEvent[]) =>
      log.filter((e) => e.stream.endsWith(tag)).map((e) => [e.id, e.type, e.stream, e.revision, e.data]);
    const [logOnce, logMany] = [view(await logOf(once.config.EVENT_STORE_PATH)), view(await logOf())];
    expect(logMany).toEqual(logOnce); // the same events, each once, in the same order
    expect(new Set(logMany.map(([id]) => id)).size).toBe(logMany.length);
    expect(await everyonesLedger(get, tag, lastMany.body.position)).toEqual(
      await everyonesLedger(once.get, tag, lastOnce.body.position),
    );
    reportFigure(
      `retries: ${commands.length} commands × ${COPIES} concurrent copies over 2 processes: ${logMany.length} events written (as when each is sent once), ` +
        `${replays} copies answered 200 as replays, ${conflicts} got 409 CONCURRENCY_CONFLICT (then 200 on retry), 0 duplicated, lines equal to sending each once`,
    );
  });
});

describe('distinct commands racing on one stream', () => {
  const races: [string, string, (tag: string, i: number) => [string, object]][] = [
    [
      'renewals of one subscription',
      'subscription-SUB-1',
      (tag, i) => [
        `/subscriptions/SUB-1${tag}/renewals`,
        { renewalId: `R-${i}`, amount: '30.00', currency: 'USD', renewedAt: '2025-02-15T10:00:00Z' },
      ],
    ],
    [
      'refunds of one sale',
      'sale-S-1',
      (tag, i) => [
        `/sales/S-1${tag}/refunds`,
        { refundId: `F-${i}`, amount: '1.00', currency: 'USD', reason: 'returned', refundedAt: '2025-03-05T10:00:00Z' },
      ],
    ],
  ];

  it.each(races)(
    `all land or get 409, none is lost, and a 409'd one lands on retry: ${RACERS} %s, over two processes`,
    async (what, streamPrefix, request) => {
      const tag = `-race-${streamPrefix}`;
      for (const [, path, body] of commandsFor(tag).slice(0, 5)) expect((await post(0, path, body)).status).toBe(201);
      const stream = streamPrefix + tag;
      const eventsBefore = (await logOf()).filter((e) => e.stream === stream).length;

      const sent = Array.from({ length: RACERS }, (_, i) => request(tag, i));
      const answers = await Promise.all(sent.map(([path, body], i) => post(i, path, body)));
      const landed = answers.flatMap((a, i) => (a.status === 201 ? [i] : []));
      const conflicted = answers.flatMap((a, i) =>
        a.status === 409 && a.body.code === 'CONCURRENCY_CONFLICT' ? [i] : [],
      );
      expect(landed.length + conflicted.length).toBe(RACERS);

      const idOf = (e: RecordedEvent) =>
        (e.data as { renewalId?: string; refundId?: string }).renewalId ?? (e.data as { refundId: string }).refundId;
      const idsInStream = async () =>
        (await logOf())
          .filter((e) => e.stream === stream)
          .slice(eventsBefore)
          .map(idOf);
      const requestId = (i: number) => Object.values(sent[i]![1])[0] as string;
      // exactly the acknowledged ones are in the log, once each: no event without an acknowledgement
      expect((await idsInStream()).sort()).toEqual(landed.map(requestId).sort());

      for (const i of conflicted) expect((await post(i, sent[i]![0], sent[i]![1])).status).toBe(201);
      const afterRetries = await idsInStream();
      expect(afterRetries.sort()).toEqual(sent.map((_, i) => requestId(i)).sort());

      // and each is priced once: one line of the seller's per event
      const head = (await get('/projections')).body.head;
      const lines = (await get(`/people/cleo${tag}/history?limit=1000&minPosition=${head}`)).body.lines.filter(
        (l: any) => l.source.stream === stream && ['SubscriptionRenewed', 'SaleRefunded'].includes(l.source.eventType),
      );
      expect(new Set(lines.map((l: any) => l.source.eventId)).size).toBe(RACERS);
      expect(lines.length).toBe(RACERS);
      reportFigure(
        `races on one stream: ${RACERS} ${what} at once over 2 processes: ${landed.length} landed, ${conflicted.length} got 409 and landed on retry, 0 lost, 0 duplicated, 0 written without an answer`,
      );
    },
  );
});
