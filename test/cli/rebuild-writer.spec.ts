// A generation is built on two threads: the build worker folds, a writer thread of its own commits the
// rows (read-model-writer.ts). A failed batch is dropped whole, wherever it failed: the rows the writer
// was handed since its last commit are rolled back, and a writer that failed is replaced by one started
// from the file's checkpoint, where the fold goes on, as after any failed batch. Run from dist/ (built by
// `npm test`'s pretest step), where the writer's worker is compiled.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedEvent } from '../../src/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store.js';
import { repStream, SALE_MADE, saleStream } from '../../src/income/events.js';
import { loadPlanFile } from '../../src/income/plan/plan-file.js';
import { ReadModel } from '../../src/income/read-model/read-model.js';
import { runNode } from '../support/cli-process.js';
import { converted, network, recorded, recruited, refunded, renewed, sale } from '../support/ledger-dsl.js';
import { appendFacts, type StoredFact } from '../support/seed-log.js';
import { removeDir, tempDir } from '../support/test-app.js';

const PLAN_FILE = 'plans/default.plan.json';
const dir = tempDir('rebuild-writer-');
afterAll(() => removeDir(dir));

/** A log in its own store; events given as they are stored, bypassing the commands' checks. */
async function logOf(name: string, events: readonly StoredFact[]) {
  const store = new SqliteEventStore(join(dir, `${name}.sqlite`));
  await appendFacts(store, events);
  const log = await store.readAll({ maxCount: 10_000 });
  await store.close();
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(log));
  return { log, file };
}

function foldedInOneThread(name: string, log: readonly RecordedEvent[]): string {
  const readModel = new ReadModel(join(dir, `${name}-one-thread.sqlite`), { building: true });
  readModel.applyBatch(log, loadPlanFile(PLAN_FILE).plan);
  const digest = readModel.contentDigest();
  readModel.close();
  return digest;
}

function builtFile(path: string): { digest: string; checkpoint: string | null } {
  const built = new ReadModel(path);
  const answer = { digest: built.contentDigest(), checkpoint: built.checkpoint() };
  built.close();
  return answer;
}

/** A scenario of the writer-failure script, in a child process: what its fold saw (it says nothing on stderr). */
async function scenario<Seen>(args: readonly string[]): Promise<Seen> {
  const run = await runNode('test/support/writer-failure.mjs', args);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as Seen;
}

beforeAll(() => expect(existsSync('dist/income/read-model/read-model-writer.worker.js')).toBe(true));

describe("a build's writer thread that fails", () => {
  it("given a file that refuses one person's row, when the fold goes on past it, then a batch fails with the writer's reason, the checkpoint stays before the row, and once the refusal is gone the fold from there equals the fold in one thread", async () => {
    // dan's recruitment is refused; more events than the writer's backlog follow it, so that the fold sees the failure
    const facts = [
      ...network('ann <- ben <- cat'),
      sale('S-1', 'cat', '100.00 USD', '2025-01-10'),
      recruited('dan', 'cat', '2025-01-20'),
      sale('S-2', 'dan', '200.00 USD', '2025-01-21'),
      ...Array.from({ length: 40 }, (_, n) => converted(`K-${n}`, 'ben', '10.00 USD', '2025-02-01')),
    ];
    const { log, file } = await logOf('refused', recorded(facts));
    const generation = join(dir, 'refused-generation.sqlite');
    const beforeDan = log[log.findIndex((e) => e.stream === repStream('dan')) - 1]!.position;

    const seen = await scenario<Record<string, { error: string | null; checkpoint: string | null }>>([
      'refused-row',
      file,
      PLAN_FILE,
      generation,
      'dan',
    ]);

    expect(seen.refused).toEqual({
      error: "the build's writer thread failed: refused by the test",
      checkpoint: beforeDan,
    });
    expect(seen.again!.error).toBeNull();
    expect(builtFile(generation)).toEqual({
      digest: foldedInOneThread('refused', log),
      checkpoint: log.at(-1)!.position,
    });
  }, 60_000);

  it('given a writer thread whose code throws as it loads, when the fold hands it more rows than it may be behind, then the batch fails with that reason instead of waiting for it, and closing the file says so too', async () => {
    const facts = [
      ...network('ann <- ben <- cat'),
      ...Array.from({ length: 40 }, (_, n) => converted(`K-${n}`, 'ben', '10.00 USD', '2025-02-01')),
    ];
    const { file } = await logOf('unloadable', recorded(facts));

    const seen = await scenario<{ failed: { error: string | null; checkpoint: string | null }; closed: string | null }>(
      ['unloadable', file, PLAN_FILE, join(dir, 'unloadable-generation.sqlite')],
    );

    const reason = "the build's writer thread failed: it could not start: this writer cannot start (a test)";
    expect(seen.failed).toEqual({ error: reason, checkpoint: null });
    expect(seen.closed).toBe(reason);
  }, 60_000);

  it('given one batch of more lines than the writer is handed at once, when its last event cannot be read, then none of its rows is in the file, and the batch without that event folds as in one thread', async () => {
    const facts = [
      ...network('ann <- ben <- cat <- dan'),
      ...Array.from({ length: 1200 }, (_, n) => sale(`S-${n}`, 'dan', '10.00 USD', '2025-01-10')),
    ];
    const unreadable = {
      id: '00000000-0000-4000-8000-999999999999',
      type: SALE_MADE,
      stream: saleStream('S-BAD'),
      revision: 0,
      data: { saleId: 'S-BAD', amount: 'ten dollars' },
    };
    const { log, file } = await logOf('failed', [...recorded(facts), unreadable]);
    const generation = join(dir, 'failed-generation.sqlite');

    const seen = await scenario<{ failed: { error: string; checkpoint: string | null }; linesAfterFailure: number }>([
      'failed-fold',
      file,
      PLAN_FILE,
      generation,
    ]);

    expect(seen.failed.error).toMatch(/S-BAD|amount/);
    expect(seen.failed.checkpoint).toBeNull();
    expect(seen.linesAfterFailure).toBe(0);
    const withoutIt = log.slice(0, -1);
    expect(builtFile(generation)).toEqual({
      digest: foldedInOneThread('failed', withoutIt),
      checkpoint: withoutIt.at(-1)!.position,
    });
  }, 60_000);

  it('given batches delivered again in part and committed several at a time, when one fails after rows were handed over, then the fold from the checkpoint equals the fold in one thread', async () => {
    // sales with subscriptions, renewals and refunds: a refund reads its sale from the file, after a commit
    const facts = [
      ...network('ann <- ben <- cat <- dan'),
      ...[1, 2, 3, 4, 5, 6].flatMap((n) => [
        sale(`S-${n}`, n % 2 ? 'dan' : 'cat', `${n}0.00 USD`, `2025-01-0${n}`, `SUB-${n}`),
        renewed(`SUB-${n}`, `R-${n}-1`, `${n}0.00 USD`, `2025-02-0${n}`),
        refunded(`S-${n}`, `F-${n}`, '5.00 USD', `2025-02-1${n}`),
        renewed(`SUB-${n}`, `R-${n}-2`, `${n}0.00 USD`, `2025-03-0${n}`),
      ]),
      ...Array.from({ length: 12 }, (_, n) => converted(`K-${n}`, 'ben', '10.00 USD', '2025-04-01')),
    ];
    const { log, file } = await logOf('redelivered', recorded(facts));
    const generation = join(dir, 'redelivered-generation.sqlite');

    const { failures } = await scenario<{ failures: { error: string; checkpoint: string | null; failedAt: string }[] }>(
      ['redelivered', file, PLAN_FILE, generation],
    );

    expect(failures).toHaveLength(1);
    expect(failures[0]!.error).toMatch(/(renewedAt|refundedAt|occurredAt|convertedAt) is not a canonical UTC instant/);
    expect(Number(failures[0]!.checkpoint)).toBeLessThan(Number(failures[0]!.failedAt));
    expect(builtFile(generation)).toEqual({
      digest: foldedInOneThread('redelivered', log),
      checkpoint: log.at(-1)!.position,
    });
  }, 60_000);
});
