// The EventStoreDB adapter, through the real @eventstore/db-client, against (1) the test-only fake
// EventStoreDB gRPC server, in every build, and (2) a real EventStoreDB/KurrentDB when
// EVENTSTORE_CONNECTION_STRING is set.
import { describe, expect, it } from '@jest/globals';
import { anEvent, describeEventStoreContract } from '../../../test/contract/event-store.contract.js';
import { startFakeEventStoreDb } from '../../../test/doubles/fake-eventstoredb-server.js';
import { ANY, NO_STREAM, StoreUnavailableError } from '../event-store.port.js';
import { EventStoreDbEventStore, packPosition, unpackPosition } from './eventstoredb-event-store.js';

describeEventStoreContract('EventStoreDB adapter against the fake EventStoreDB server (test double)', async () => {
  const fake = await startFakeEventStoreDb();
  const store = new EventStoreDbEventStore(fake.connectionString);
  return {
    store,
    fresh: true,
    dropSubscriptions: () => fake.dropSubscriptions('consumer-too-slow'),
    close: async () => {
      await store.close();
      await fake.stop();
    },
  };
});

const realServer = process.env.EVENTSTORE_CONNECTION_STRING;
if (realServer) {
  describeEventStoreContract(
    `EventStoreDB adapter against the real server at ${realServer.replace(/\/\/[^@/]*@/, '//***@')}`,
    async () => {
      const store = new EventStoreDbEventStore(realServer);
      return { store, fresh: false, close: () => store.close() };
    },
  );
} else {
  console.warn(
    'SKIPPED: the event store contract against a real EventStoreDB/KurrentDB. Set EVENTSTORE_CONNECTION_STRING ' +
      "(e.g. esdb://localhost:2113?tls=false, after `docker compose up -d kurrentdb`) to run it. The fake server's run above is not that check.",
  );
  describe('EventStoreDB adapter against a real server', () => {
    it.skip('is skipped: set EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false) to run the contract against a real EventStoreDB or KurrentDB', () => {});
  });
}

describe('the EventStoreDB adapter', () => {
  it('packs commit and prepare positions into one increasing number and back', () => {
    const positions = [
      { commit: 0n, prepare: 0n },
      { commit: 1000n, prepare: 900n },
      { commit: 1000n, prepare: 1150n },
      { commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n },
    ];
    const packed = positions.map(packPosition);
    expect(packed.map(unpackPosition)).toEqual(positions);
    expect([...packed].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(packed);
  });

  it('skips system events in the global log', async () => {
    const fake = await startFakeEventStoreDb();
    const store = new EventStoreDbEventStore(fake.connectionString);
    try {
      fake.appendSystemEvent('$settings', '$metadata');
      await store.append('test-a', [anEvent('Ours')], NO_STREAM);
      fake.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
      expect((await store.readAll({ maxCount: 10 })).map((e) => e.type)).toEqual(['Ours']);
      expect(await store.headPosition()).toBe((await store.readStream('test-a'))[0]!.position);
    } finally {
      await store.close();
      await fake.stop();
    }
  });

  it('turns a server that went away into StoreUnavailableError, and works again when it is back', async () => {
    const fake = await startFakeEventStoreDb();
    const store = new EventStoreDbEventStore(fake.connectionString);
    try {
      await store.append('test-a', [anEvent()], NO_STREAM);
      await fake.stop();
      await expect(store.append('test-b', [anEvent()], NO_STREAM)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.readStream('test-a')).rejects.toBeInstanceOf(StoreUnavailableError);
      await fake.restart();
      let readBack: unknown[] = [];
      for (let attempt = 0; attempt < 50 && readBack.length === 0; attempt++) {
        readBack = await store.readStream('test-a').catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return [];
        });
      }
      expect(readBack).toHaveLength(1);
    } finally {
      await store.close();
      await fake.stop();
    }
  });

  it('hands a subscription that is catching up over in whole batches, not as the events trickle in', async () => {
    const fake = await startFakeEventStoreDb();
    const store = new EventStoreDbEventStore(fake.connectionString);
    try {
      for (let i = 0; i < 8; i++)
        await store.append(
          'test-a',
          range(500).map(() => anEvent()),
          i === 0 ? NO_STREAM : ANY,
        );
      const subscription = store.subscribeToAll({ batchSizeMax: 10_000 });
      const sizes: number[] = [];
      for await (const batch of subscription) {
        if (batch.events.length > 0) sizes.push(batch.events.length);
        if (batch.caughtUp) break;
      }
      subscription.close();

      expect(sizes.reduce((a, b) => a + b, 0)).toBe(4000);
      // each batch is folded in one transaction downstream
      // handed over as they arrived, 4,000 events came as 4,000 batches of one; filled for up to 50 ms, a few
      // hundred each on a loaded machine: at most 100 batches leaves room for a slow one and none for a trickle
      expect(sizes.length).toBeLessThanOrEqual(100);
    } finally {
      await store.close();
      await fake.stop();
    }
  });
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
