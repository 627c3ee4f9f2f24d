// The real Nest app over real HTTP on 127.0.0.1, with real SQLite files in a temp folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory.js';
import { loadAppConfig, type AppConfig, type ConfigOverrides } from '../../src/config/app-config.js';
import { openEventStore } from '../../src/event-store/event-store.module.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { openApiDocument } from '../../src/http/openapi.js';
import { startFakeEventStoreDb, type FakeEventStoreDb } from '../doubles/fake-eventstoredb-server.js';
import { recordAnswers, undeclaredAnswers, type AnswerRecorder } from './observed-answers.js';

/**
 * The HTTP suites run twice: on the embedded SQLite store, and on the EventStoreDB adapter talking
 * to the test-only fake EventStoreDB server (the `eventstoredb-fake` Jest project sets this).
 */
const onFakeEventStoreDb = process.env.LEDGER_TEST_EVENT_STORE === 'fake-eventstoredb';
const fakeServers = new Map<string, FakeEventStoreDb>();

/** The event store settings for a store living in `storeDir`: a SQLite file, or that folder's fake server. */
async function storeSettings(storeDir: string): Promise<ConfigOverrides> {
  if (!onFakeEventStoreDb) return { EVENT_STORE_PATH: join(storeDir, 'events.sqlite') };
  let fake = fakeServers.get(storeDir);
  if (fake === undefined) {
    fake = await startFakeEventStoreDb();
    fakeServers.set(storeDir, fake);
  }
  return { EVENTSTORE_CONNECTION_STRING: fake.connectionString };
}

/** The same event store a test app in `storeDir` uses, opened directly (for rebuilds and inspection). */
export async function openTestStore(storeDir: string): Promise<EventStore> {
  return openEventStore(loadAppConfig(await storeSettings(storeDir), {}));
}

export function storeUnderTest(): string {
  return onFakeEventStoreDb ? 'EventStoreDB adapter on the fake EventStoreDB server (test double)' : 'SQLite';
}

export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly contentType: string;
}

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly config: AppConfig;
  readonly dir: string;
  readonly url: string;
  post: (path: string, body: unknown) => Promise<Answer>;
  get: (path: string) => Promise<Answer>;
  send: (method: string, path: string, init: { body?: string; headers?: Record<string, string> }) => Promise<Answer>;
  /** The routes the app registered and the statuses it has answered on each. */
  readonly recorded: AnswerRecorder;
  /**
   * Stops the app; the folder stays, so a new app can start on the same files. Fails if the app answered
   * a route with a status its OpenAPI document does not declare for it.
   */
  stop(): Promise<void>;
}

export function tempDir(prefix = 'ledger-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a test folder, and stops the fake EventStoreDB server that held its log, if any. */
export async function removeDir(dir: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  const fake = fakeServers.get(dir);
  fakeServers.delete(dir);
  await fake?.stop();
}

/**
 * Starts the app with its read models in `dir` and its event store in `storeDir` (default: the
 * same folder). A later app given the same folders finds the same data, as after a restart.
 */
export async function startTestApp(
  options: { dir?: string; storeDir?: string; overrides?: ConfigOverrides } = {},
): Promise<TestApp> {
  const dir = options.dir ?? tempDir();
  const config = loadAppConfig(
    {
      ...(await storeSettings(options.storeDir ?? dir)),
      READ_MODEL_DIR: join(dir, 'read-models'),
      LOG_LEVEL: 'silent',
      PORT: '0',
      ...options.overrides,
    },
    {},
  );
  const app = await createApp(config);
  const recorded = recordAnswers(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('the app is not listening on TCP');
  const url = `http://127.0.0.1:${address.port}`;

  const send = async (
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> },
  ): Promise<Answer> => {
    const response = await fetch(url + path, { method, body: init.body, headers: init.headers });
    const contentType = response.headers.get('content-type') ?? '';
    const text = await response.text();
    return {
      status: response.status,
      body: contentType.includes('json') && text.length > 0 ? JSON.parse(text) : text,
      contentType,
    };
  };
  return {
    app,
    config,
    dir,
    url,
    send,
    post: (path, body) =>
      send('POST', path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    get: (path) => send('GET', path, {}),
    recorded,
    stop: async () => {
      const undeclared = undeclaredAnswers(openApiDocument(app), recorded.answers.values());
      await app.close();
      if (undeclared.length > 0)
        throw new Error(`answered with a status the OpenAPI document does not declare: ${undeclared.join(', ')}`);
    },
  };
}

export interface SampleRequest {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/** The sample network that `npm run seed` posts and the docs work through by hand. */
export function sampleNetwork(): SampleRequest[] {
  return JSON.parse(readFileSync('scripts/sample-network.json', 'utf8')) as SampleRequest[];
}

/**
 * For a describe block: a fresh service with the sample network posted before its tests, stopped and removed
 * after them. `use` receives the service and the position of the last sample fact.
 */
export function withSampleNetwork(use: (ledger: TestApp, head: string) => void): void {
  let ledger: TestApp | undefined;
  beforeAll(async () => {
    ledger = await startTestApp();
    use(ledger, (await postAll(ledger, sampleNetwork())).body.position);
  });
  afterAll(async () => {
    if (ledger === undefined) return;
    await ledger.stop();
    await removeDir(ledger.dir);
  });
}

/** Alice, who recruited Bob, and a single sale of 100.00 USD by Bob: both earn from it. */
export const ALICE_AND_BOB: readonly SampleRequest[] = [
  { path: '/reps', body: { repId: 'alice', name: 'Alice', recruitedAt: '2024-01-01T00:00:00Z' } },
  { path: '/reps', body: { repId: 'bob', sponsorId: 'alice', name: 'Bob', recruitedAt: '2024-02-01T00:00:00Z' } },
  {
    path: '/sales',
    body: {
      saleId: 'S-1',
      repId: 'bob',
      customerId: 'C-1',
      amount: '100.00',
      currency: 'USD',
      kind: 'single',
      occurredAt: '2025-01-15T10:00:00Z',
    },
  },
];

/** Posts requests in order and returns the last answer; fails on anything but 201. */
export async function postAll(app: TestApp, requests: readonly SampleRequest[]): Promise<Answer> {
  let last: Answer | undefined;
  for (const request of requests) {
    last = await app.post(request.path, request.body);
    if (last.status !== 201)
      throw new Error(
        `${request.path} ${JSON.stringify(request.body)} answered ${last.status} ${JSON.stringify(last.body)}`,
      );
  }
  if (last === undefined) throw new Error('nothing to post');
  return last;
}
