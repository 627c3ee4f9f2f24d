// A rebuild folds in a worker thread (generation-build.worker.ts) when the log is a file or on
// EventStoreDB (the test-only fake server stands in for it here; the worker loads its adapter only
// then): there the fold must price exactly as the serving thread's does, caps, steps and fixed amounts
// included. The offline rebuild runs from dist/ (built by `npm test`'s pretest step), where the worker
// is compiled.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RecordedEvent } from '../../src/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { EventStoreDbEventStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store.js';
import { startFakeEventStoreDb } from '../doubles/fake-eventstoredb-server.js';
import { loadPlanFile } from '../../src/income/plan/plan-file.js';
import { ReadModelCatalog, type GenerationRecord } from '../../src/income/generations/catalog.js';
import { ReadModel } from '../../src/income/read-model/read-model.js';
import { runNode } from '../support/cli-process.js';
import { converted, network, recorded, recruited, refunded, renewed, sale } from '../support/ledger-dsl.js';
import { appendFacts } from '../support/seed-log.js';
import { removeDir, tempDir } from '../support/test-app.js';
import { history } from '../../src/income/people/history.query.js';
import type { WhatIfReport } from '../../src/income/generations/what-if.js';
import { whatIfReportOf } from '../../src/income/generations/what-if.query.js';

const PLAN_FILE = 'plans/examples/every-rule.plan.json';
const dir = tempDir('rebuild-worker-');
const env = {
  EVENT_STORE_PATH: join(dir, 'events.sqlite'),
  READ_MODEL_DIR: join(dir, 'read-models'),
  PLAN_FILE,
  PORT: '1',
};
afterAll(() => removeDir(dir));

/** Every rule at work: a kit (fixed amount), PRO renewals by count up to their end, caps, fast start, refunds. */
const facts = [
  ...network('ann <- ben <- cat'),
  recruited('dan', 'cat', '2025-01-01'),
  sale('S-KIT', 'dan', '80.00 USD', '2025-01-10', null, 'KIT'), // within dan's fast start
  sale('S-PRO', 'dan', '200.00 USD', '2025-01-12', 'SUB-PRO', 'PRO'),
  ...[1, 2, 3, 4, 5].map((n) => renewed('SUB-PRO', `R-PRO-${n}`, '150.00 USD', `2025-0${n + 1}-12`)),
  sale('S-BIG', 'cat', '900.00 USD', '2025-02-01', 'SUB-BIG'), // cut by the per-line cap
  ...[1, 2, 3].map((n) => renewed('SUB-BIG', `R-BIG-${n}`, '400.00 USD', `2025-0${n + 2}-01`)),
  sale('S-EUR', 'ben', '120.00 EUR', '2025-02-02'),
  refunded('S-PRO', 'F-1', '50.00 USD', '2025-03-01'),
  refunded('S-EUR', 'F-2', '120.00 EUR', '2025-03-02'),
  converted('K-1', 'ann', '30.00 USD', '2025-03-03'),
  converted('K-2', 'ann', '30.00 GBP', '2025-03-04'),
];

/** Folded here, on this thread, in batches of three with each batch's first event delivered again. */
function foldedHere(log: readonly RecordedEvent[], file = 'here.sqlite'): string {
  const readModel = new ReadModel(join(dir, file));
  const plan = loadPlanFile(PLAN_FILE).plan;
  for (let from = 0; from < log.length; from += 3)
    readModel.applyBatch(log.slice(Math.max(0, from - 1), from + 3), plan);
  const digest = readModel.contentDigest();
  readModel.close();
  return digest;
}

/** The generation the catalogue of a read model folder says serves. */
function servingIn(readModelDir: string): GenerationRecord {
  const catalog = new ReadModelCatalog(readModelDir);
  const current = catalog.current()!;
  catalog.close();
  return current;
}

/** The indexes on a generation's lines, read without opening it as a ReadModel (which would add what is missing). */
function queryIndexesOf(path: string): string[] {
  const file = new Database(path, { readonly: true, fileMustExist: true });
  const names = file
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'income_lines'")
    .all()
    .map((row) => row.name);
  file.close();
  return names;
}

let log: RecordedEvent[];
beforeAll(async () => {
  const store = new SqliteEventStore(env.EVENT_STORE_PATH);
  await appendFacts(store, recorded(facts));
  log = await store.readAll({ maxCount: 1000 });
  await store.close();
});

describe('a rebuild folded in the build worker', () => {
  it('given a log under the plan with every rule, when the offline rebuild builds a generation, then it equals, row for row, the fold of this thread', async () => {
    expect(existsSync('dist/income/generations/generation-build.worker.js')).toBe(true);

    const run = await runNode('dist/cli/rebuild.js', ['--offline'], env);

    expect(run.code).toBe(0);
    const current = servingIn(env.READ_MODEL_DIR);
    expect(current.id).toBe(2); // the first generation folded here at start; the rebuild's is the second
    const rebuilt = new ReadModel(current.path);
    const digest = rebuilt.contentDigest();
    const capped = history(rebuilt, 'cat', { limit: 100 }).lines.filter((l) => l.cap !== null);
    rebuilt.close();
    expect(capped.length).toBeGreaterThan(0); // the log does reach a cap
    expect(digest).toBe(foldedHere(log));
  }, 60_000);
});

describe('a rebuild folded in the build worker from EventStoreDB', () => {
  it('given the same log on the test-only fake EventStoreDB server, when the offline rebuild builds a generation, then the worker reads it through the client and folds what this thread folds', async () => {
    const fake = await startFakeEventStoreDb();
    try {
      const store = new EventStoreDbEventStore(fake.connectionString);
      await appendFacts(store, recorded(facts));
      const onServer = await store.readAll({ maxCount: 1000 });
      await store.close();
      const onEsdb = {
        EVENTSTORE_CONNECTION_STRING: fake.connectionString,
        READ_MODEL_DIR: join(dir, 'read-models-esdb'),
        PLAN_FILE,
        PORT: '1',
      };

      const run = await runNode('dist/cli/rebuild.js', ['--offline'], onEsdb);

      expect(run.code).toBe(0);
      const current = servingIn(onEsdb.READ_MODEL_DIR);
      expect(current.id).toBe(2);
      const rebuilt = new ReadModel(current.path);
      const digest = rebuilt.contentDigest();
      rebuilt.close();
      expect(onServer).toHaveLength(log.length);
      expect(digest).toBe(foldedHere(onServer, 'here-esdb.sqlite'));
    } finally {
      await fake.stop();
    }
  }, 60_000);
});

describe('a what-if report made in its own worker thread', () => {
  it('given the log folded under the plan with every rule, when an offline dry run prices it under the default plan, then its report equals the one made in this thread from the same two generations', async () => {
    expect(existsSync('dist/income/generations/what-if-report.worker.js')).toBe(true);
    // the CLI writes its report under its working directory: the test's folder, with every path absolute
    const absolute = { ...env, PLAN_FILE: resolve(PLAN_FILE) };
    const args = ['--offline', '--dry-run', '--plan', resolve('plans/default.plan.json')];

    const run = await runNode(resolve('dist/cli/rebuild.js'), args, absolute, dir);

    expect(run.code).toBe(0);
    const id = /what-if report: reports\/what-if-(\S+)\.csv/.exec(run.stdout)![1]!;
    const report = JSON.parse(readFileSync(join(dir, 'reports', `what-if-${id}.json`), 'utf8')) as WhatIfReport;
    const catalog = new ReadModelCatalog(env.READ_MODEL_DIR);
    const [current, candidate] = [
      catalog.current()!,
      catalog.generation(Number(/: succeeded, generation (\d+)/.exec(run.stdout)![1]))!,
    ];
    catalog.close();
    expect(queryIndexesOf(current.path)).toEqual(['lines_by_earner']);
    expect(queryIndexesOf(candidate.path)).toEqual([]); // finished and opened without it: only totals read it
    const [serving, whatIf] = [new ReadModel(current.path), new ReadModel(candidate.path, { indexes: false })];
    const plans = { current: report.currentPlan, candidate: report.candidatePlan };
    const here = whatIfReportOf({ current: serving, candidate: whatIf }, plans, report.upTo);
    serving.close();
    whatIf.close();
    expect(report.upTo).toBe(log[log.length - 1]!.position);
    expect(report.rows.some((row) => row.difference !== '0.00')).toBe(true); // the plans do pay differently
    expect(report).toEqual(here);
  }, 60_000);
});
