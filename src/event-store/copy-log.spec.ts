import { describe, expect, it } from '@jest/globals';
import { anEvent } from '../../test/contract/event-store.contract.js';
import { startFakeEventStoreDb } from '../../test/doubles/fake-eventstoredb-server.js';
import { copyLog, summarizeLog } from './copy-log.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { NO_STREAM, atRevision } from './event-store.port.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

async function aLog(): Promise<SqliteEventStore> {
  const store = new SqliteEventStore(':memory:');
  await store.append('rep-ana', [anEvent('RepRecruited')], NO_STREAM);
  await store.append('subscription-SUB-1', [anEvent('SubscriptionStarted')], NO_STREAM);
  await store.append('sale-S-1', [anEvent('SaleMade', { amount: '49.99', nested: { a: [1, 2] } })], NO_STREAM);
  await store.append('subscription-SUB-1', [anEvent('SubscriptionRenewed')], atRevision(0));
  return store;
}

describe('copying the log between stores', () => {
  it('copies SQLite into EventStoreDB (the fake server) in order and verifies counts and digest', async () => {
    const source = await aLog();
    const fake = await startFakeEventStoreDb();
    const target = new EventStoreDbEventStore(fake.connectionString);
    try {
      fake.appendSystemEvent('$settings', '$metadata'); // the target's own system events do not count
      const report = await copyLog(source, target);
      expect(report).toMatchObject({ verified: true, alreadyThere: 0, source: { events: 4 }, target: { events: 4 } });
      expect(report.target.digest).toBe(report.source.digest);
      expect((await target.readStream('subscription-SUB-1')).map((e) => e.type)).toEqual([
        'SubscriptionStarted',
        'SubscriptionRenewed',
      ]);
    } finally {
      await target.close();
      await fake.stop();
      await source.close();
    }
  });

  it('resumes an interrupted copy without writing anything twice', async () => {
    const source = await aLog();
    const target = new SqliteEventStore(':memory:');
    const [first] = await source.readAll({ maxCount: 1 });
    await target.append(
      first!.stream,
      [{ id: first!.id, type: first!.type, data: first!.data as object, metadata: first!.metadata as never }],
      NO_STREAM,
    );
    const report = await copyLog(source, target);
    expect(report).toMatchObject({ verified: true, alreadyThere: 1, target: { events: 4 } });
    await Promise.all([source.close(), target.close()]);
  });

  it('reports a target that holds other events as not verified', async () => {
    const source = await aLog();
    const target = new SqliteEventStore(':memory:');
    await target.append('rep-someone-else', [anEvent('RepRecruited')], NO_STREAM);
    const report = await copyLog(source, target);
    expect(report.verified).toBe(false);
    expect(report.target.events).toBe(5);
    expect((await summarizeLog(source)).events).toBe(4);
    await Promise.all([source.close(), target.close()]);
  });
});
