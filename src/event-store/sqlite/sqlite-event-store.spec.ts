import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anEvent, describeEventStoreContract } from '../../../test/contract/event-store.contract.js';
import { ANY, NO_STREAM, WrongExpectedVersionError, atRevision, type SubscriptionBatch } from '../event-store.port.js';
import { openSqlite } from './open-sqlite.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const dir = mkdtempSync(join(tmpdir(), 'event-store-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const contractStore = (store: SqliteEventStore) => ({ store, fresh: true, close: () => store.close() });
describeEventStoreContract('SQLite in memory', async () => contractStore(new SqliteEventStore(':memory:')));
describeEventStoreContract('SQLite file', async () =>
  contractStore(new SqliteEventStore(join(dir, `events-${++files}.sqlite`))),
);

describe('the SQLite event store', () => {
  it('opens every connection with WAL and synchronous=FULL', () => {
    const db = openSqlite(join(dir, 'pragmas.sqlite'));
    expect([db.pragma('journal_mode', { simple: true }), db.pragma('synchronous', { simple: true })]).toEqual([
      'wal',
      2,
    ]);
    db.close();
  });

  it('keeps acknowledged events across a reopen', async () => {
    const path = join(dir, 'reopen.sqlite');
    const first = new SqliteEventStore(path);
    const written = await first.append('test-a', [anEvent('Kept')], NO_STREAM);
    await first.close();
    const second = new SqliteEventStore(path);
    expect(await second.readStream('test-a')).toMatchObject([{ type: 'Kept', position: written.position }]);
    await second.close();
  });

  it('sees appends made by another connection to the same file', async () => {
    const path = join(dir, 'two-writers.sqlite');
    const reader = new SqliteEventStore(path);
    const writer = new SqliteEventStore(path);
    const subscription = reader.subscribeToAll({});
    const iterator = subscription[Symbol.asyncIterator]();
    await iterator.next(); // caught up on the empty log
    await writer.append('test-a', [anEvent('FromElsewhere')], NO_STREAM);
    const next = await iterator.next();
    expect((next.value as SubscriptionBatch).events.map((e) => e.type)).toEqual(['FromElsewhere']);
    subscription.close();
    await Promise.all([reader.close(), writer.close()]);
  });

  describe('group commit of concurrent appends', () => {
    it('commits appends made in the same turn together, in arrival order, each with its own answer', async () => {
      const store = new SqliteEventStore(join(dir, 'group.sqlite'));
      const results = await Promise.all([
        store.append('test-a', [anEvent('A0')], NO_STREAM),
        store.append('test-b', [anEvent('B0'), anEvent('B1')], NO_STREAM),
        store.append('test-a', [anEvent('A1')], atRevision(0)), // sees A0, queued before it in the same group
      ]);
      expect(results.map((r) => [r.stream, r.revision, r.written])).toEqual([
        ['test-a', 0, true],
        ['test-b', 1, true],
        ['test-a', 1, true],
      ]);
      expect(results.map((r) => Number(r.position))).toEqual([1, 3, 4]);
      expect((await store.readAll({ maxCount: 10 })).map((e) => e.type)).toEqual(['A0', 'B0', 'B1', 'A1']);
      await store.close();
    });

    it('refuses only the conflicting append of a group; the others are written', async () => {
      const store = new SqliteEventStore(join(dir, 'group-conflict.sqlite'));
      await store.append('test-a', [anEvent('A0')], NO_STREAM);
      const [first, conflicting, last] = await Promise.allSettled([
        store.append('test-b', [anEvent('B0')], NO_STREAM),
        store.append('test-a', [anEvent('Stale')], NO_STREAM), // test-a already exists
        store.append('test-a', [anEvent('A1')], atRevision(0)),
      ]);
      expect(first).toMatchObject({ status: 'fulfilled', value: { stream: 'test-b', revision: 0, written: true } });
      expect(conflicting).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedVersionError) });
      expect(last).toMatchObject({ status: 'fulfilled', value: { stream: 'test-a', revision: 1, written: true } });
      expect((await store.readAll({ maxCount: 10 })).map((e) => e.type)).toEqual(['A0', 'B0', 'A1']);
      await store.close();
    });

    it('recognises a retry queued in the same group as the append it repeats', async () => {
      const store = new SqliteEventStore(join(dir, 'group-retry.sqlite'));
      const event = anEvent('Once');
      const [original, retry] = await Promise.all([
        store.append('test-a', [event], NO_STREAM),
        store.append('test-a', [event], ANY),
      ]);
      expect(original.written).toBe(true);
      expect(retry).toEqual({ ...original, written: false });
      expect(await store.readStream('test-a')).toHaveLength(1);
      await store.close();
    });

    it('commits appends still queued when the store closes, and keeps them across a reopen', async () => {
      const path = join(dir, 'group-close.sqlite');
      const store = new SqliteEventStore(path);
      const pending = store.append('test-a', [anEvent('Queued')], NO_STREAM);
      await store.close();
      await expect(pending).resolves.toMatchObject({ written: true });
      const reopened = new SqliteEventStore(path);
      expect((await reopened.readStream('test-a')).map((e) => e.type)).toEqual(['Queued']);
      await reopened.close();
    });
  });
});
