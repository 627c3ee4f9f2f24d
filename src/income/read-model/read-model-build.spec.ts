// A generation built fast (no fsyncs, no query indexes until its end) holds what a serving
// generation fed the same log in batches holds, and a build from another boot of the machine is
// begun again rather than trusted; and caches too small for the log fold it as caches with room for all of it.
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../event-store/event-store.port.js';
import {
  converted,
  defaultPlan,
  network,
  planWith,
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

describe("the fold's caches, bounded", () => {
  // Six people in a line, six subscriptions sold by the lower four, renewed month after month in
  // turn, under lifetime caps: every renewal walks the upline and reads its subscription and the
  // earners' cap usage, so caches of one or two are emptied again and again and the file answers.
  const plan = planWith({
    caps: { default: { perSubscription: { USD: '25.00' }, perCustomer: { USD: '40.00' } } },
  });
  const sellers = ['c', 'd', 'e', 'f'];
  const subscriptions = [1, 2, 3, 4, 5, 6].map((i) => `SUB-${i}`);
  const capped: RecordedEvent[] = recorded([
    ...network('a <- b <- c <- d <- e <- f'),
    ...subscriptions.map((sub, i) => sale(`S-${i + 1}`, sellers[i % sellers.length]!, '80.00 USD', '2024-02-01', sub)),
    ...['03', '04', '05', '06', '07'].flatMap((month) =>
      subscriptions.map((sub, i) => renewed(sub, `R-${month}-${i + 1}`, '80.00 USD', `2024-${month}-0${(i % 6) + 1}`)),
    ),
    refunded('S-2', 'F-1', '80.00 USD', '2024-08-01'),
    ...subscriptions.map((sub, i) => renewed(sub, `R-09-${i + 1}`, '80.00 USD', `2024-09-0${i + 1}`)),
  ]).map((e) => ({ ...e, metadata: { recordedAt: '2026-01-01T00:00:00.000Z' } }));

  const build = (name: string, cacheBounds?: { people: number; subscriptions: number; capUsage: number }) => {
    const model = new ReadModel(join(dir, name), { building: true, ...(cacheBounds && { cacheBounds }) });
    for (let from = 0; from < capped.length; from += 10) model.applyBatch(capped.slice(from, from + 10), plan);
    model.finishBuild({ indexes: true });
    return model;
  };

  it('given caches that hold one or two of each, when a log is built, then the generation equals one built with room for everything', () => {
    const roomy = build('roomy.sqlite');
    const tight = build('tight.sqlite', { people: 1, subscriptions: 1, capUsage: 1 });
    const small = build('small.sqlite', { people: 2, subscriptions: 3, capUsage: 2 });

    const raw = new Database(join(dir, 'roomy.sqlite'), { readonly: true });
    const count = (sql: string) => (raw.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT count(*) AS n FROM income_lines WHERE cap IS NOT NULL')).toBeGreaterThan(0);
    expect(count('SELECT count(*) AS n FROM cap_usage')).toBeGreaterThan(2);
    raw.close();
    expect(tight.contentDigest()).toBe(roomy.contentDigest());
    expect(small.contentDigest()).toBe(roomy.contentDigest());
    for (const model of [roomy, tight, small]) model.close();
  });
});
