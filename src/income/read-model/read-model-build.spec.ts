// A generation built fast (no fsyncs, no query indexes until its end) holds what a serving
// generation fed the same log in batches holds, and a build from another boot of the machine is
// begun again rather than trusted.
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/event-store.port.js';
import {
  converted,
  defaultPlan,
  network,
  recorded,
  refunded,
  renewed,
  sale,
} from '../../../test/support/ledger-dsl.js';
import { removeDir, tempDir } from '../../../test/support/test-app.js';
import { ReadModel } from './read-model.js';
import { history } from '../people/history.query.js';

const dir = tempDir('read-model-build-');
afterAll(() => removeDir(dir));

const log: RecordedEvent[] = recorded([
  ...network('a <- b <- c <- d'),
  sale('S-1', 'd', '100.00 USD', '2024-02-01', 'SUB-1'),
  renewed('SUB-1', 'R-1', '100.00 USD', '2024-03-01'),
  sale('S-2', 'c', '50.00 EUR', '2024-03-02'),
  refunded('S-2', 'F-1', '20.00 EUR', '2024-03-03'), // in the same batch as its sale
  converted('K-1', 'b', '9.99 GBP', '2024-03-04'),
  refunded('S-1', 'F-2', '100.00 USD', '2024-04-01'),
]).map((e) => ({ ...e, metadata: { recordedAt: '2026-01-01T00:00:00.000Z' } }));

describe('building a new generation', () => {
  it('given a log, when it is built in one pass and finished, then it equals a serving read model fed it in batches with redeliveries', () => {
    const built = new ReadModel(join(dir, 'built.sqlite'), { building: true });
    built.applyBatch(log, defaultPlan());
    built.finishBuild({ indexes: true });
    const serving = new ReadModel(join(dir, 'serving.sqlite'));
    for (let from = 0; from < log.length; from += 3)
      serving.applyBatch(log.slice(Math.max(0, from - 1), from + 3), defaultPlan());

    expect(built.contentDigest()).toBe(serving.contentDigest());
    expect(history(built, 'b', { limit: 100 }).lines.map((l) => l.amount)).toEqual(
      history(serving, 'b', { limit: 100 }).lines.map((l) => l.amount),
    );
    built.close();
    serving.close();
  });

  it('given a build interrupted in another boot of the machine, when it is opened to build again, then it starts from an empty file', () => {
    const path = join(dir, 'torn.sqlite');
    const first = new ReadModel(path, { building: true });
    first.applyBatch(log.slice(0, 5), defaultPlan());
    const resumed = first.checkpoint();
    first.close();
    const raw = new Database(path);
    raw.prepare("UPDATE build SET boot_id = 'a-boot-before-a-power-cut' WHERE boot_id IS NOT NULL").run();
    raw.close();

    const again = new ReadModel(path, { building: true });

    expect(resumed).not.toBeNull();
    expect(again.checkpoint()).toBeNull();
    again.close();
  });

  it('given a build interrupted in this boot, when it is opened to build again, then it resumes from its checkpoint', () => {
    const path = join(dir, 'killed.sqlite');
    const first = new ReadModel(path, { building: true });
    const checkpoint = first.applyBatch(log.slice(0, 5), defaultPlan());
    first.close();

    const again = new ReadModel(path, { building: true });

    expect(again.checkpoint()).toBe(checkpoint);
    again.close();
  });
});
