// A build worker starts with a bounded heap (BUILD_HEAP_MB), so that a rebuild's memory does not grow with
// the log. One that reaches it is not a failed rebuild: a worker without the limit goes on from the
// checkpoint of the last batch the first one committed, and the generation is the same, row for row.
// The offline rebuild runs from dist/ (built by `npm test`'s pretest step), where the worker is compiled.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { ReadModelCatalog } from '../../src/income/generations/catalog.js';
import { ReadModel } from '../../src/income/read-model/read-model.js';
import { decidedAppends, generateWorkload } from '../../src/workload/workload.js';
import { runNode } from '../support/cli-process.js';
import { removeDir, tempDir } from '../support/test-app.js';

const dir = tempDir('rebuild-heap-');
const log = join(dir, 'events.sqlite');
afterAll(() => removeDir(dir));

/**
 * The benchmark's workload log of about 40,000 events: four commits of the build's writer thread, of 10,000
 * each, and enough of what the fold holds to pass a heap of 8 MB (20,000 no longer did once the worker stopped
 * loading the EventStoreDB client for a SQLite log; 30,000 did).
 */
beforeAll(async () => {
  const store = new SqliteEventStore(log);
  const { requests } = generateWorkload(40_000);
  for (let i = 0; i < requests.length; i += 2000) {
    const appends = requests
      .slice(i, i + 2000)
      .flatMap((r, j) => decidedAppends(r, { correlationId: `bulk-${i + j}` }, '2026-01-01T00:00:00.000Z'));
    await Promise.all(appends.map((a) => store.append(a.stream, a.events, a.expected)));
  }
  await store.close();
}, 60_000);

/** The offline rebuild of the log into a folder of its own: what it printed, and the digest of what it built. */
async function rebuilt(name: string, env: Record<string, string> = {}) {
  const readModels = join(dir, name);
  const run = await runNode('dist/cli/rebuild.js', ['--offline'], {
    EVENT_STORE_PATH: log,
    READ_MODEL_DIR: readModels,
    PLAN_FILE: 'plans/default.plan.json',
    PORT: '1',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const catalog = new ReadModelCatalog(readModels);
  const current = catalog.current()!;
  catalog.close();
  const readModel = new ReadModel(current.path);
  const digest = readModel.contentDigest();
  const checkpoint = readModel.checkpoint();
  readModel.close();
  return { run, generation: current.id, digest, checkpoint };
}

describe("a build worker's heap", () => {
  it('given a heap too small for what the fold holds of this log, when the offline rebuild runs, then it says so, goes on without the limit and builds the same generation as with the default heap', async () => {
    expect(existsSync('dist/income/generations/generation-build.worker.js')).toBe(true);

    const [small, usual] = [await rebuilt('small', { BUILD_HEAP_MB: '8' }), await rebuilt('usual')];

    expect(small.run.code).toBe(0);
    expect(small.run.stdout + small.run.stderr).toContain(
      'the build worker reached its heap of 8 MB; going on from its checkpoint without that limit',
    );
    expect(usual.run.code).toBe(0);
    expect(usual.run.stdout + usual.run.stderr).not.toContain('reached its heap');
    expect([small.generation, usual.generation]).toEqual([2, 2]);
    expect(small.checkpoint).not.toBeNull();
    expect(small.checkpoint).toBe(usual.checkpoint);
    expect(small.digest).toBe(usual.digest);
  }, 120_000);
});
