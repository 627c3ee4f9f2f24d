// A refold whose client has gone stops: it reads no more of the log, answers nothing, and leaves
// no scratch file behind.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, RecordedEvent } from '../../event-store/event-store.port.js';
import { defaultPlan, recorded, recruited } from '../../../test/support/ledger-dsl.js';
import { BuildStoppedError } from '../generations/generation-build.js';
import { scratchDir, withRefold } from './refold.js';

const silent = { log: () => {}, warn: () => {}, error: () => {} };
const plan = { plan: defaultPlan(), json: '{}' };

/** A log of `batches` full batches of recruits, answering each read only when released. */
function slowLog(batches: number) {
  const events = recorded(Array.from({ length: 2000 * batches }, (_, i) => recruited(`p${i}`, null))).map(
    (e): RecordedEvent => ({ ...e, metadata: { recordedAt: '2026-01-01T00:00:00.000Z' } }),
  );
  const releases: (() => void)[] = [];
  let reads = 0;
  const store = {
    readAll: ({ after }: { after?: string }) =>
      new Promise<RecordedEvent[]>((resolve) => {
        reads += 1;
        const from = after === undefined ? 0 : events.findIndex((e) => e.position === after) + 1;
        releases.push(() => resolve(events.slice(from, from + 2000)));
      }),
  } as unknown as EventStore;
  return { store, releases, reads: () => reads, head: events[events.length - 1]!.position };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('a refold whose client has gone', () => {
  it('given a refold reading a long log, when its client goes after the first batch, then it reads no further and leaves no scratch file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refold-cancel-'));
    const log = slowLog(5);
    const gone = new AbortController();
    const answer = withRefold(log.store, plan, dir, log.head, () => 'answered', {
      signal: gone.signal,
      logger: silent,
    });
    while (log.releases.length < 1) await settle();
    log.releases.shift()!();
    while (log.reads() < 2) await settle();

    gone.abort();
    log.releases.shift()!(); // the second batch arrives after the client has gone

    await expect(answer).rejects.toBeInstanceOf(BuildStoppedError);
    for (let i = 0; i < 10; i++) await settle();
    expect(log.reads()).toBe(2);
    expect(readdirSync(scratchDir(dir))).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a client gone before the turn of its refold came, then nothing of the log is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refold-cancel-'));
    const log = slowLog(1);
    const gone = new AbortController();
    gone.abort();

    await expect(
      withRefold(log.store, plan, dir, log.head, () => 'answered', { signal: gone.signal, logger: silent }),
    ).rejects.toBeInstanceOf(BuildStoppedError);
    expect(log.reads()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a client that stays, then the refold answers from the whole log up to its point', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refold-cancel-'));
    const log = slowLog(2);
    const answer = withRefold(log.store, plan, dir, log.head, (readModel) => readModel.checkpoint(), {
      logger: silent,
    });
    for (let released = 0; released < 3; released++) {
      while (log.releases.length < 1) await settle();
      log.releases.shift()!();
    }

    expect(await answer).toBe(log.head);
    rmSync(dir, { recursive: true, force: true });
  });
});
