// B2/B5/B6 servers, each in a process of its own (the load generator gets the other core):
//   node dist-bench/bench/src/serve-child.js app LOG DIR PLAN   → the real service (createApp), durable SQLite
//   node dist-bench/bench/src/serve-child.js bare LOG           → the baseline: a bare Fastify route doing the same insert
// Talks to the bench over IPC: sends { port } when listening; on 'lag-start' / 'lag-stop' (app
// only) samples B6, the time from a sale's append being acknowledged to the serving read model
// having folded it, and answers { lagsMs }.
import 'reflect-metadata';
import Fastify from 'fastify';
import { createApp } from '../../src/app.factory.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { openSqlite } from '../../src/event-store/sqlite/open-sqlite.js';
import { IncomeProjection } from '../../src/income/generations/income-projection.js';
import { businessKey, SALE_MADE, saleStream } from '../../src/income/events.js';
import { eventIdFor } from '../../src/shared/ids.js';

const [mode, log, dir, planFile] = process.argv.slice(2);
const send = (message: object) => process.send!(message);

/** Every SAMPLE_EVERY-th acknowledged sale is followed to the read model. */
const SAMPLE_EVERY = 4;
const LAG_WAIT_MS_MAX = 10_000;

async function serveApp(): Promise<void> {
  const config = loadAppConfig(
    {
      EVENT_STORE_PATH: log!,
      READ_MODEL_DIR: dir!,
      PLAN_FILE: planFile!,
      LOG_LEVEL: 'silent',
      PORT: '0',
      PLAN_CHANGE_REBUILD: 'manual',
    },
    {},
  );
  const app = await createApp(config);
  let sampling = false;
  let seen = 0;
  let lagsMs: number[] = [];
  const pending = new Set<Promise<void>>();
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (
      sampling &&
      request.method === 'POST' &&
      reply.statusCode === 201 &&
      typeof payload === 'string' &&
      seen++ % SAMPLE_EVERY === 0
    ) {
      const acknowledgedAt = performance.now();
      const position = (JSON.parse(payload) as { position: string }).position;
      const waiting = app
        .get(IncomeProjection)
        .waitFor(position, LAG_WAIT_MS_MAX)
        .then((reached) => {
          lagsMs.push(reached ? performance.now() - acknowledgedAt : Number.POSITIVE_INFINITY);
        })
        .finally(() => pending.delete(waiting));
      pending.add(waiting);
    }
    return payload;
  });
  process.on('message', (message) => {
    if (message === 'lag-start') {
      lagsMs = [];
      seen = 0;
      sampling = true;
      send({ sampling });
    } else if (message === 'lag-stop') {
      sampling = false;
      void Promise.all(pending).then(() => send({ lagsMs }));
    }
  });
  await app.listen(0, '127.0.0.1');
  app.get(IncomeProjection).readModel(); // started: the serving generation follows the log
  const address = app.getHttpServer().address();
  send({ port: typeof address === 'object' && address !== null ? address.port : 0 });
}

async function serveBare(): Promise<void> {
  const db = openSqlite(log!); // WAL, synchronous=FULL: the store's own durability
  db.exec(`CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
    revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, UNIQUE (stream, revision))`);
  const insert = db.prepare(
    'INSERT INTO events (event_id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const fastify = Fastify({ logger: false });
  fastify.post('/sales', async (request, reply) => {
    const body = request.body as { saleId: string };
    const key = businessKey.sale(body.saleId);
    const metadata = JSON.stringify({
      recordedAt: new Date().toISOString(),
      correlationId: request.id,
      causationId: request.id,
      businessKey: key,
    });
    const info = db
      .transaction(() =>
        insert.run(eventIdFor(SALE_MADE, key), saleStream(body.saleId), 0, SALE_MADE, JSON.stringify(body), metadata),
      )
      .immediate();
    reply.code(201);
    return { position: String(info.lastInsertRowid), stream: saleStream(body.saleId), revision: 0 };
  });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const address = fastify.server.address();
  send({ port: typeof address === 'object' && address !== null ? address.port : 0 });
}

await (mode === 'app' ? serveApp() : serveBare());
