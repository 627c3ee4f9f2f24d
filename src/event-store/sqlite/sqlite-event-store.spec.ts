import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anEvent, describeEventStoreContract } from '../../../test/contract/event-store.contract.js';
import { NO_STREAM, type SubscriptionBatch } from '../event-store.port.js';
import { openSqlite } from './open-sqlite.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const dir = mkdtempSync(join(tmpdir(), 'event-store-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const contractStore = (store: SqliteEventStore) => ({ store, fresh: true, close: () => store.close() });
describeEventStoreContract('SQLite in memory', async () => contractStore(new SqliteEventStore(':memory:')));
describeEventStoreContract('SQLite file', async () => contractStore(new SqliteEventStore(join(dir, `events-${++files}.sqlite`))));

describe('the SQLite event store', () => {
  it('opens every connection with WAL and synchronous=FULL', () => {
    const db = openSqlite(join(dir, 'pragmas.sqlite'));
    expect([db.pragma('journal_mode', { simple: true }), db.pragma('synchronous', { simple: true })]).toEqual(['wal', 2]);
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
});
