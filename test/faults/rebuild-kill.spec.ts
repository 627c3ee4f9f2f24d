// kill -9 during a rebuild, again and again: the serving generation always holds the full,
// correct read model, and the next run resumes the interrupted rebuild and finishes it.
// The rebuild runs in a child process (the offline CLI, built by `npm test`'s pretest step).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { loadPlanFile } from '../../src/income/plan/plan-file.js';
import { ReadModelCatalog } from '../../src/income/generations/catalog.js';
import { ProjectionManager } from '../../src/income/generations/projection-manager.js';
import { ReadModel } from '../../src/income/read-model/read-model.js';
import { SystemClock } from '../../src/shared/clock.js';
import { seedNetwork } from '../support/seed-log.js';
import { removeDir, tempDir } from '../support/test-app.js';

/** More than two commits of the build's writer thread (10,000 events each): a kill can land between them. */
const EVENTS = 22_000;
const ROUNDS = 6;
const dir = tempDir('rebuild-kill-');
const env = {
  ...process.env,
  EVENT_STORE_PATH: join(dir, 'events.sqlite'),
  READ_MODEL_DIR: join(dir, 'read-models'),
  PORT: '1',
  LOG_LEVEL: 'silent',
};
let expectedDigest: string;

function digestOfCurrent(): { generation: number; digest: string } {
  const catalog = new ReadModelCatalog(env.READ_MODEL_DIR);
  const current = catalog.current()!;
  catalog.close();
  const readModel = new ReadModel(current.path);
  const digest = readModel.contentDigest();
  readModel.close();
  return { generation: current.id, digest };
}

/** The checkpoint of the generation a running rebuild builds, or undefined when none runs. */
function buildingCheckpoint(): string | null | undefined {
  const catalog = new ReadModelCatalog(env.READ_MODEL_DIR);
  try {
    const running = catalog.runningRebuild();
    if (running === null) return undefined;
    const path = catalog.generation(running.generation)!.path;
    if (!existsSync(path)) return null;
    // read-only: a read model opened to write would wait for the build's writer, whose commits follow each other
    const file = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return file.prepare<[], { position: string | null }>('SELECT position FROM checkpoint').get()?.position ?? null;
    } catch {
      return null; // its tables are not there yet
    } finally {
      file.close();
    }
  } finally {
    catalog.close();
  }
}

/** Runs the offline rebuild in a child; with `killWithinMs`, kills it -9 at most that long after it has folded a first batch. */
function runRebuild(killWithinMs: number | null): Promise<{ killed: boolean; code: number | null }> {
  const before = buildingCheckpoint();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli/rebuild.js', '--offline'], { env, stdio: 'ignore' });
    let exited = false;
    child.on('exit', (code, signal) => {
      exited = true;
      resolve({ killed: signal === 'SIGKILL', code });
    });
    if (killWithinMs === null) return;
    const poll = setInterval(() => {
      const now = exited ? before : buildingCheckpoint();
      if (exited || (now !== undefined && now !== null && now !== before)) {
        clearInterval(poll);
        if (!exited) setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * killWithinMs));
      }
    }, 5);
  });
}

beforeAll(async () => {
  const store = new SqliteEventStore(env.EVENT_STORE_PATH);
  const network = { reps: EVENTS / 2, recruitedAt: '2024-01-01T00:00:00.000Z', soldAt: '2025-01-01T00:00:00.000Z' };
  await seedNetwork(store, { ...network, amountOf: (i) => `${(i % 997) + 1}.99` });
  // the serving generation, folded in full, as a running service leaves it
  const manager = new ProjectionManager(
    store,
    loadPlanFile('plans/default.plan.json'),
    { dir: env.READ_MODEL_DIR, planChangeRebuild: 'manual', generationsKept: 100 },
    new Logger('test'),
    new SystemClock(),
  );
  await manager.start();
  const head = (await store.headPosition())!;
  expect(await manager.waitFor(head, 30_000)).toBe(true);
  await manager.stop();
  await store.close();
  expectedDigest = digestOfCurrent().digest;
}, 120_000);

afterAll(() => removeDir(dir));

describe('kill -9 during a rebuild', () => {
  it('never leaves a serving generation other than the full read model, and the rebuild finishes on the next run', async () => {
    expect(existsSync('dist/cli/rebuild.js')).toBe(true);
    let interrupted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { killed } = await runRebuild(60);
      const catalog = new ReadModelCatalog(env.READ_MODEL_DIR);
      if (killed && catalog.runningRebuild() !== null) interrupted += 1;
      catalog.close();
      expect(digestOfCurrent().digest).toBe(expectedDigest);
    }
    expect(interrupted).toBeGreaterThan(0); // some kill landed between two commits of a rebuild, which resumed
    const last = await runRebuild(null);
    expect(last.code).toBe(0);
    const catalog = new ReadModelCatalog(env.READ_MODEL_DIR);
    expect(catalog.runningRebuild()).toBeNull();
    catalog.close();
    const current = digestOfCurrent();
    expect(current.generation).toBeGreaterThan(1);
    expect(current.digest).toBe(expectedDigest);
    console.log(
      `kill -9 during rebuilds: ${ROUNDS} rounds, ${interrupted} left a rebuild half-done and resumed, serving read model correct after every one`,
    );
  }, 120_000);
});
