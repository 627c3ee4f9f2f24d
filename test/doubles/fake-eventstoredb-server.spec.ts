// Tests of the fake EventStoreDB gRPC server (a test double), driven by the REAL
// @eventstore/db-client over the network: no mocks.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import grpc from '@grpc/grpc-js';
import serverFeaturesGrpcPb from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import streamsGrpcPb from '@eventstore/db-client/generated/streams_grpc_pb.js';
import serverFeaturesModule from '@eventstore/db-client/dist/Client/ServerFeatures.js';
import {
  ANY,
  BACKWARDS,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { startFakeEventStoreDb, type FakeEventStoreDb, type FakeServerFeatures } from './fake-eventstoredb-server.js';

const UNAVAILABLE = 14;

function anEvent(type = 'Tested', data: Record<string, unknown> = { n: 1 }, id: string = randomUUID()) {
  return jsonEvent({ id, type, data, metadata: { correlationId: `c-${id}` } });
}

async function collect<E>(read: AsyncIterable<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const item of read) out.push(item);
  return out;
}

async function failureOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Polls `condition` every few ms; fails after `timeoutMs`. Leaves no timer behind. */
async function eventually(condition: () => boolean, timeoutMs = 1500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Watched {
  readonly subscription: AllStreamSubscription;
  readonly received: AllStreamResolvedEvent[];
  readonly checkpoints: Position[];
  caughtUp: boolean;
  error: unknown;
}

function watch(subscription: AllStreamSubscription, checkpoints: Position[] = []): Watched {
  const watched: Watched = { subscription, received: [], checkpoints, caughtUp: false, error: undefined };
  subscription.on('data', (event: AllStreamResolvedEvent) => watched.received.push(event));
  subscription.on('caughtUp', () => {
    watched.caughtUp = true;
  });
  subscription.on('error', (error: unknown) => {
    watched.error = error;
  });
  return watched;
}

const typesOf = (events: readonly (ResolvedEvent | AllStreamResolvedEvent)[]): string[] =>
  events.map((e) => e.event!.type);

/** Asks the fake for its features the way the client does, and answers with the client's own ServerFeatures. */
async function serverFeaturesOf(fake: FakeEventStoreDb) {
  const raw = new serverFeaturesGrpcPb.ServerFeaturesClient(
    `127.0.0.1:${fake.port}`,
    grpc.credentials.createInsecure(),
  );
  try {
    const [, , fetch] = serverFeaturesModule.ServerFeatures.createServerFeatures;
    return await fetch(raw);
  } finally {
    raw.close();
  }
}

const MODES: readonly FakeServerFeatures[] = ['modern', 'none'];

describe('fake EventStoreDB gRPC server (test double) driven by the real client', () => {
  let fake: FakeEventStoreDb;
  let client: EventStoreDBClient;

  afterEach(async () => {
    await client.dispose();
    await fake.stop();
  });

  describe.each(MODES)("with serverFeatures '%s'", (mode) => {
    const viaBatchAppend = mode === 'modern';

    beforeEach(async () => {
      fake = await startFakeEventStoreDb({ serverFeatures: mode });
      client = EventStoreDBClient.connectionString`${fake.connectionString}`;
    });

    describe('server features', () => {
      it(`when the client asks for the server's features, then it ${viaBatchAppend ? 'gets a 21.10+ version and method list, BatchAppend included' : 'gets UNIMPLEMENTED and assumes an unknown server'}`, async () => {
        const features = await serverFeaturesOf(fake);
        const { StreamsService } = streamsGrpcPb;

        expect(fake.serverFeatures).toBe(mode);
        expect(features.serverVersion).toBe(viaBatchAppend ? '24.10.0' : 'unknown');
        expect(features.supports(StreamsService.batchAppend)).toBe(viaBatchAppend);
        expect(features.supports(StreamsService.append)).toBe(viaBatchAppend);
        expect(features.supports(StreamsService.read, 'position')).toBe(viaBatchAppend);
        expect(features.supports(StreamsService.delete)).toBe(false);
      });

      it(`when events are appended, then they go through ${viaBatchAppend ? 'one long-lived Streams.BatchAppend call' : 'classic Streams.Append calls'}`, async () => {
        await client.appendToStream('path-1', anEvent());
        await client.appendToStream('path-1', [anEvent(), anEvent()], { expectedRevision: 0n });

        expect(fake.appendStats()).toEqual(
          viaBatchAppend
            ? { classicAppends: 0, batchAppends: 2, openBatchAppendStreams: 1 }
            : { classicAppends: 2, batchAppends: 0, openBatchAppendStreams: 0 },
        );
      });
    });

    describe('appending and reading a stream', () => {
      it('given events appended to a stream, when read forwards and backwards, then they come back in order with their revisions, data, metadata and increasing positions', async () => {
        const first = await client.appendToStream('order-1', [anEvent('Placed', { n: 1 }), anEvent('Paid', { n: 2 })], {
          expectedRevision: NO_STREAM,
        });
        const second = await client.appendToStream('order-1', anEvent('Shipped', { n: 3 }), { expectedRevision: 1n });

        expect(first.nextExpectedRevision).toBe(1n);
        expect(second.nextExpectedRevision).toBe(2n);
        expect(second.position!.commit > first.position!.commit).toBe(true);
        expect(second.position!.prepare).toBe(second.position!.commit);

        const forwards = await collect(client.readStream('order-1', { direction: FORWARDS, fromRevision: START }));
        expect(typesOf(forwards)).toEqual(['Placed', 'Paid', 'Shipped']);
        expect(forwards.map((e) => e.event!.revision)).toEqual([0n, 1n, 2n]);
        expect(forwards[0]!.event).toMatchObject({
          streamId: 'order-1',
          isJson: true,
          data: { n: 1 },
          metadata: { correlationId: expect.stringMatching(/^c-/) },
        });
        const created = forwards[0]!.event!.created.getTime();
        expect(Math.abs(created - Date.now())).toBeLessThan(60_000);
        expect(forwards[1]!.event!.position).toEqual(first.position);
        expect(forwards[2]!.event!.position).toEqual(second.position);

        const backwards = await collect(client.readStream('order-1', { direction: BACKWARDS, fromRevision: END }));
        expect(typesOf(backwards)).toEqual(['Shipped', 'Paid', 'Placed']);

        const fromRevision = await collect(client.readStream('order-1', { fromRevision: 1n, maxCount: 1 }));
        expect(typesOf(fromRevision)).toEqual(['Paid']);
      });

      it('given a batch split into many chunks (tiny batchAppendSize), when appended, then it is written whole, once', async () => {
        const events = [
          anEvent('C1', { text: 'a'.repeat(80) }),
          anEvent('C2'),
          anEvent('C3', { text: 'c'.repeat(80) }),
        ];
        const result = await client.appendToStream('chunky', events, {
          expectedRevision: NO_STREAM,
          batchAppendSize: 64,
        });

        expect(result.nextExpectedRevision).toBe(2n);
        expect(typesOf(await collect(client.readStream('chunky')))).toEqual(['C1', 'C2', 'C3']);
      });

      it('given concurrent appends to several streams, when they complete, then each gets its own answer', async () => {
        const results = await Promise.all(
          ['p-1', 'p-2', 'p-3', 'p-1'].map((stream, i) =>
            client.appendToStream(stream, anEvent(`E${i}`), { expectedRevision: ANY }),
          ),
        );

        expect(results.map((r) => r.nextExpectedRevision).sort()).toEqual([0n, 0n, 0n, 1n]);
        expect(new Set(results.map((r) => r.position!.commit)).size).toBe(4);
        expect(await collect(client.readStream('p-1'))).toHaveLength(2);
      });

      it('given no such stream, when it is read, then the client throws StreamNotFoundError', async () => {
        const error = await failureOf(collect(client.readStream('nobody-wrote-here')));
        expect(error).toBeInstanceOf(StreamNotFoundError);
        expect((error as StreamNotFoundError).streamName).toBe('nobody-wrote-here');
      });
    });

    describe('expected revisions', () => {
      it('given a stream at revision 1, when appending with a stale or impossible expectation, then the client throws WrongExpectedVersionError with the actual revision and nothing is written', async () => {
        await client.appendToStream('account-1', [anEvent(), anEvent()], { expectedRevision: NO_STREAM });

        const stale = await failureOf(client.appendToStream('account-1', anEvent(), { expectedRevision: 0n }));
        expect(stale).toBeInstanceOf(WrongExpectedVersionError);
        expect(stale).toMatchObject({ streamName: 'account-1', expectedVersion: 0n, actualVersion: 1n });

        const ahead = await failureOf(client.appendToStream('account-1', anEvent(), { expectedRevision: 5n }));
        expect(ahead).toMatchObject({ streamName: 'account-1', expectedVersion: 5n, actualVersion: 1n });

        const notNew = await failureOf(client.appendToStream('account-1', anEvent(), { expectedRevision: NO_STREAM }));
        expect(notNew).toBeInstanceOf(WrongExpectedVersionError);
        expect(notNew).toMatchObject({ expectedVersion: 'no_stream', actualVersion: 1n });

        const missing = await failureOf(
          client.appendToStream('account-2', anEvent(), { expectedRevision: STREAM_EXISTS }),
        );
        expect(missing).toBeInstanceOf(WrongExpectedVersionError);
        expect(missing).toMatchObject({
          streamName: 'account-2',
          expectedVersion: 'stream_exists',
          actualVersion: 'no_stream',
        });

        expect(await collect(client.readStream('account-1'))).toHaveLength(2);
        expect(await failureOf(collect(client.readStream('account-2')))).toBeInstanceOf(StreamNotFoundError);

        // The append call (or stream) is still good after the failures.
        const next = await client.appendToStream('account-1', anEvent(), { expectedRevision: 1n });
        expect(next.nextExpectedRevision).toBe(2n);
      });

      it('given a batch already appended, when the same event ids are appended again, then it succeeds idempotently with the original revision and log position, without writing twice', async () => {
        const batch = [anEvent('A'), anEvent('B')];
        const written = await client.appendToStream('cart-1', batch, { expectedRevision: NO_STREAM });
        const again = await client.appendToStream('cart-1', batch, { expectedRevision: NO_STREAM });
        const againAny = await client.appendToStream('cart-1', batch);
        const lastAgain = await client.appendToStream('cart-1', batch[1]!, { expectedRevision: 0n });

        // As KurrentDB: nothing written, and the answer names the original last event, position included.
        expect(written.position).toBeDefined();
        expect(again).toEqual(written);
        expect(againAny).toEqual(written);
        expect(lastAgain).toEqual(written);
        expect(typesOf(await collect(client.readStream('cart-1')))).toEqual(['A', 'B']);
        expect(typesOf(await collect(client.readAll()))).toEqual(['A', 'B']);

        // With ANY each id is looked up on its own: re-sending only A answers with A's revision and position.
        const [a] = await collect(client.readStream('cart-1'));
        const onlyA = await client.appendToStream('cart-1', batch[0]!, { expectedRevision: ANY });
        expect(onlyA).toEqual({ success: true, nextExpectedRevision: 0n, position: a!.event!.position });

        const clash = await failureOf(
          client.appendToStream('cart-1', [batch[0]!, anEvent('C')], { expectedRevision: NO_STREAM }),
        );
        expect(clash).toBeInstanceOf(WrongExpectedVersionError);
        expect(clash).toMatchObject({ expectedVersion: 'no_stream', actualVersion: 1n });
        const clashAny = await failureOf(
          client.appendToStream('cart-1', [batch[1]!, anEvent('D')], { expectedRevision: ANY }),
        );
        expect(clashAny).toMatchObject({ expectedVersion: 'any', actualVersion: 1n });
        expect(typesOf(await collect(client.readStream('cart-1')))).toEqual(['A', 'B']);
      });
    });

    describe('maximum append size and deadlines', () => {
      it('given a small maximum append size, when a larger batch is appended, whole or in chunks, then the client throws MaxAppendSizeExceededError and writes nothing', async () => {
        fake.setMaxAppendSizeBytes(300); // each event below is about 225 bytes of data + metadata + type
        const big = anEvent('Big', { text: 'x'.repeat(150) });
        const alsoBig = anEvent('Big', { text: 'y'.repeat(150) });

        for (const batchAppendSize of [undefined, 64]) {
          const error = await failureOf(client.appendToStream('bulky', [big, alsoBig], { batchAppendSize }));
          expect(error).toBeInstanceOf(MaxAppendSizeExceededError);
          expect((error as MaxAppendSizeExceededError).maxAppendSize).toBe(300);
        }
        expect(await failureOf(collect(client.readStream('bulky')))).toBeInstanceOf(StreamNotFoundError);

        await client.appendToStream('bulky', big);
        expect(await collect(client.readStream('bulky'))).toHaveLength(1);
      });

      it('given a deadline already past, when appending, then the client throws DeadlineExceededError and nothing is written', async () => {
        const error = await failureOf(client.appendToStream('late', anEvent(), { deadline: 0 }));
        expect(error).toBeInstanceOf(DeadlineExceededError);
        expect(await failureOf(collect(client.readStream('late')))).toBeInstanceOf(StreamNotFoundError);

        const onTime = await client.appendToStream('late', anEvent());
        expect(onTime.nextExpectedRevision).toBe(0n);
      });
    });

    describe('stopping and restarting the server', () => {
      it('given a stopped server, when calls are made, then they fail with UNAVAILABLE; when restarted, then the same data is served on the same port', async () => {
        await client.appendToStream('durable', anEvent('Before'));
        const sub = watch(client.subscribeToAll({ fromPosition: START }));
        await eventually(() => sub.caughtUp && sub.received.length === 1);
        expect(fake.appendStats().openBatchAppendStreams).toBe(viaBatchAppend ? 1 : 0);

        await fake.stop();
        await eventually(() => sub.error !== undefined);
        expect(sub.error).toBeInstanceOf(UnavailableError);
        expect(fake.appendStats().openBatchAppendStreams).toBe(0);
        expect(await failureOf(client.appendToStream('durable', anEvent('Lost')))).toMatchObject({ code: UNAVAILABLE });
        expect(await failureOf(collect(client.readStream('durable')))).toMatchObject({ code: UNAVAILABLE });

        const port = fake.port;
        await fake.restart();
        expect(fake.port).toBe(port);
        expect(typesOf(await collect(client.readStream('durable')))).toEqual(['Before']);
        const after = await client.appendToStream('durable', anEvent('After'), { expectedRevision: 0n });
        expect(after.nextExpectedRevision).toBe(1n);
        expect(fake.appendStats().openBatchAppendStreams).toBe(viaBatchAppend ? 1 : 0);
      });

      it('given an append stream in use, when the server drops calls as unavailable, then the open BatchAppend call ends, appends racing the drop fail with UNAVAILABLE, and a retry lands once on a new call', async () => {
        await client.appendToStream('dropped', anEvent('One'));
        expect(fake.appendStats().openBatchAppendStreams).toBe(viaBatchAppend ? 1 : 0);

        fake.dropSubscriptions('unavailable');
        expect(fake.appendStats().openBatchAppendStreams).toBe(0);

        // The client may still write to the dropped call until its status arrives; the client then
        // rejects every append pending on it. Retrying with the same event id is safe (idempotent).
        const two = anEvent('Two');
        const failures: unknown[] = [];
        for (;;) {
          try {
            const next = await client.appendToStream('dropped', two, { expectedRevision: 0n });
            expect(next.nextExpectedRevision).toBe(1n);
            break;
          } catch (error) {
            failures.push(error);
            if (failures.length > 5) throw error;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        }
        for (const failure of failures) expect(failure).toBeInstanceOf(UnavailableError);
        if (!viaBatchAppend) expect(failures).toEqual([]);
        expect(fake.appendStats().openBatchAppendStreams).toBe(viaBatchAppend ? 1 : 0);
        expect(typesOf(await collect(client.readStream('dropped')))).toEqual(['One', 'Two']);
      });
    });
  });

  describe('reading and subscribing (default server features)', () => {
    beforeEach(async () => {
      fake = await startFakeEventStoreDb();
      client = EventStoreDBClient.connectionString`${fake.connectionString}`;
    });

    it('defaults to a modern server', () => {
      expect(fake.serverFeatures).toBe('modern');
    });

    describe('reading $all', () => {
      it('given user and system events, when $all is read, then it includes the system events in log order, backwards too, and from a position inclusively', async () => {
        await client.appendToStream('s-1', anEvent('One'));
        fake.appendSystemEvent('$settings', '$metadata');
        await client.appendToStream('s-2', [anEvent('Two'), anEvent('Three')]);

        const all = await collect(client.readAll());
        expect(typesOf(all)).toEqual(['One', '$metadata', 'Two', 'Three']);
        expect(all[1]!.event!.streamId).toBe('$settings');
        const commits = all.map((e) => e.event!.position.commit);
        expect([...commits].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(commits);
        expect(new Set(commits).size).toBe(commits.length);
        expect(all.map((e) => e.commitPosition)).toEqual(commits);

        expect(typesOf(await collect(client.readAll({ direction: BACKWARDS, fromPosition: END })))).toEqual([
          'Three',
          'Two',
          '$metadata',
          'One',
        ]);
        const fromTwo = all[2]!.event!.position;
        expect(typesOf(await collect(client.readAll({ fromPosition: fromTwo })))).toEqual(['Two', 'Three']);
        expect(typesOf(await collect(client.readAll({ fromPosition: fromTwo, direction: BACKWARDS })))).toEqual([
          '$metadata',
          'One',
        ]);
        expect(typesOf(await collect(client.readAll({ maxCount: 2 })))).toEqual(['One', '$metadata']);
      });
    });

    describe('subscribing to $all', () => {
      it('given past user and system events, when subscribing with excludeSystemEvents, then past user events arrive, caughtUp is emitted, then live events follow', async () => {
        await client.appendToStream('s-1', [anEvent('Past1'), anEvent('Past2')]);
        fake.appendSystemEvent('$settings', '$metadata');

        const checkpoints: Position[] = [];
        const sub = watch(
          client.subscribeToAll({
            fromPosition: START,
            filter: excludeSystemEvents({ checkpointReached: (_s, position) => void checkpoints.push(position) }),
          }),
          checkpoints,
        );
        try {
          await eventually(() => sub.caughtUp && sub.received.length === 2);
          expect(typesOf(sub.received)).toEqual(['Past1', 'Past2']);
          expect(checkpoints.length).toBeGreaterThan(0);

          await client.appendToStream('s-2', anEvent('Live1'));
          fake.appendSystemEvent('$settings', '$metadata');
          await client.appendToStream('s-2', anEvent('Live2'));
          await eventually(() => sub.received.length === 4);
          expect(typesOf(sub.received)).toEqual(['Past1', 'Past2', 'Live1', 'Live2']);
          expect(sub.error).toBeUndefined();
        } finally {
          await sub.subscription.unsubscribe();
        }
      });

      it('given a subscription stopped part-way, when resubscribing from the last event position or the last checkpoint, then nothing is skipped or repeated', async () => {
        await client.appendToStream('s-1', [anEvent('E1'), anEvent('E2'), anEvent('E3')]);
        fake.appendSystemEvent('$settings', '$metadata');

        const checkpoints: Position[] = [];
        const first = watch(
          client.subscribeToAll({
            fromPosition: START,
            filter: excludeSystemEvents({ checkpointReached: (_s, position) => void checkpoints.push(position) }),
          }),
        );
        await eventually(() => first.caughtUp && first.received.length === 3 && checkpoints.length > 0);
        await first.subscription.unsubscribe();
        const lastSeen = first.received[2]!.event!.position;
        const lastCheckpoint = checkpoints[checkpoints.length - 1]!;

        await client.appendToStream('s-1', [anEvent('E4'), anEvent('E5')]);

        for (const fromPosition of [lastSeen, lastCheckpoint]) {
          const again = watch(client.subscribeToAll({ fromPosition, filter: excludeSystemEvents() }));
          try {
            await eventually(() => again.caughtUp && again.received.length >= 2);
            expect(typesOf(again.received)).toEqual(['E4', 'E5']);
          } finally {
            await again.subscription.unsubscribe();
          }
        }
      });

      it('given a live subscription, when the server drops it as a too-slow consumer, then the client surfaces an error', async () => {
        const sub = watch(client.subscribeToAll({ fromPosition: END }));
        try {
          await eventually(() => sub.caughtUp);
          fake.dropSubscriptions('consumer-too-slow');
          await eventually(() => sub.error !== undefined);
          expect(sub.error).toBeInstanceOf(TimeoutError);
        } finally {
          await sub.subscription.unsubscribe();
        }
      });
    });
  });
});
