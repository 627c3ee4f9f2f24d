// One contract for every EventStore implementation. Each implementation's spec calls
// describeEventStoreContract with a factory for a store. The store may already hold events
// (a real EventStoreDB): every case uses streams of its own and reads the log after the head it
// found, so the suite also runs against a shared server.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  ANY,
  AppendTooLargeError,
  NO_STREAM,
  WrongExpectedVersionError,
  atRevision,
  comparePositions,
  type EventStore,
  type EventToAppend,
  type Position,
  type RecordedEvent,
  type SubscriptionBatch,
} from '../../src/event-store/event-store.port.js';

export function anEvent(type = 'Tested', data: object = { at: randomUUID() }): EventToAppend {
  const id = randomUUID();
  return {
    id,
    type,
    data,
    metadata: { recordedAt: '2026-01-01T00:00:00.000Z', correlationId: id, causationId: id, businessKey: `test:${id}` },
  };
}

/** Reads a subscription until `until` says stop, or fails after `timeoutMs`. */
export async function collect(
  iterator: AsyncIterator<SubscriptionBatch>,
  until: (events: RecordedEvent[], caughtUp: boolean) => boolean,
  timeoutMs = 5000,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), Math.max(1, deadline - Date.now()));
      }),
    ]).finally(() => clearTimeout(timer));
    if (next === 'timeout')
      throw new Error(`subscription delivered ${events.length} events, then nothing within ${timeoutMs} ms`);
    if (next.done) return events;
    events.push(...next.value.events);
    if (until(events, next.value.caughtUp)) return events;
  }
}

export interface ContractStore {
  readonly store: EventStore;
  /** Drops every live subscription as the server would (a fault); absent where a store cannot. */
  readonly dropSubscriptions?: () => void;
  /** Whether the store starts empty. */
  readonly fresh: boolean;
  readonly close: () => Promise<void>;
}

export function describeEventStoreContract(name: string, open: () => Promise<ContractStore>): void {
  describe(`event store contract: ${name}`, () => {
    let opened: ContractStore;
    let store: EventStore;
    let run: string;
    let headBefore: Position | undefined;
    /** A stream of this case only: category `test`, id unique to the run. */
    const s = (id: string) => `test-${run}${id}`;
    const ours = (events: RecordedEvent[]) => events.filter((e) => e.stream.startsWith(`test-${run}`));

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
      run = randomUUID().slice(0, 8);
      headBefore = (await store.headPosition()) ?? undefined;
    });
    afterEach(async () => {
      await opened.close();
    });

    describe('appending with an expected state', () => {
      it('creates a stream at revision 0 when no stream is expected', async () => {
        const result = await store.append(s('a'), [anEvent()], NO_STREAM);
        expect(result).toEqual({
          stream: s('a'),
          revision: 0,
          position: expect.stringMatching(/^[0-9]+$/),
          written: true,
        });
      });

      it('refuses "no stream" when the stream exists', async () => {
        await store.append(s('a'), [anEvent()], NO_STREAM);
        await expect(store.append(s('a'), [anEvent()], NO_STREAM)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      });

      it('appends at the exact revision and refuses a stale one, saying what it found', async () => {
        await store.append(s('a'), [anEvent()], NO_STREAM);
        await expect(store.append(s('a'), [anEvent()], atRevision(0))).resolves.toMatchObject({ revision: 1 });
        await expect(store.append(s('a'), [anEvent()], atRevision(0))).rejects.toMatchObject({
          name: 'WrongExpectedVersionError',
          actualRevision: 1,
        });
        await expect(store.append(s('b'), [anEvent()], atRevision(0))).rejects.toMatchObject({
          name: 'WrongExpectedVersionError',
          actualRevision: null,
        });
      });

      it('appends in any state when asked to', async () => {
        await expect(store.append(s('a'), [anEvent()], ANY)).resolves.toMatchObject({ revision: 0 });
        await expect(store.append(s('a'), [anEvent(), anEvent()], ANY)).resolves.toMatchObject({ revision: 2 });
      });

      it('refuses a batch over the size limit and writes none of it', async () => {
        const big = anEvent('Big', { blob: 'x'.repeat(1_100_000) });
        await expect(store.append(s('big'), [anEvent(), big], NO_STREAM)).rejects.toBeInstanceOf(AppendTooLargeError);
        expect(await store.readStream(s('big'))).toEqual([]);
      });
    });

    describe('re-appending the same event ids', () => {
      it('answers where they already are and writes nothing', async () => {
        const events = [anEvent(), anEvent()];
        const first = await store.append(s('a'), events, NO_STREAM);
        await expect(store.append(s('a'), events, NO_STREAM)).resolves.toEqual({ ...first, written: false });
        expect(await store.readStream(s('a'))).toHaveLength(2);
        expect(ours(await store.readAll({ after: headBefore, maxCount: 100 }))).toHaveLength(2);
      });
    });

    describe('reading one stream', () => {
      it('reads forwards and backwards, from a revision, up to a count', async () => {
        await store.append(s('a'), [anEvent('A'), anEvent('B'), anEvent('C')], NO_STREAM);
        await store.append(s('other'), [anEvent('X')], NO_STREAM);
        const types = (read: RecordedEvent[]) => read.map((e) => `${e.type}@${e.revision}`);
        expect(types(await store.readStream(s('a')))).toEqual(['A@0', 'B@1', 'C@2']);
        expect(types(await store.readStream(s('a'), { direction: 'backwards' }))).toEqual(['C@2', 'B@1', 'A@0']);
        expect(types(await store.readStream(s('a'), { fromRevision: 1, maxCount: 1 }))).toEqual(['B@1']);
        expect(types(await store.readStream(s('a'), { direction: 'backwards', fromRevision: 1 }))).toEqual([
          'B@1',
          'A@0',
        ]);
      });

      it('gives back data, metadata and ids as appended', async () => {
        const event = anEvent('Typed', { amount: '12.50', nested: { list: [1, 2] } });
        await store.append(s('a'), [event], NO_STREAM);
        const [read] = await store.readStream(s('a'));
        expect(read).toMatchObject({
          id: event.id,
          type: 'Typed',
          stream: s('a'),
          revision: 0,
          data: event.data,
          metadata: event.metadata,
        });
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await store.readStream(s('missing'))).toEqual([]);
      });
    });

    describe('the global log', () => {
      it('holds every stream in append order, with strictly increasing positions', async () => {
        await store.append(s('a'), [anEvent('A1'), anEvent('A2')], NO_STREAM);
        await store.append(s('b'), [anEvent('B1')], NO_STREAM);
        await store.append(s('a'), [anEvent('A3')], atRevision(1));
        const all = ours(await store.readAll({ after: headBefore, maxCount: 100 }));
        expect(all.map((e) => e.type)).toEqual(['A1', 'A2', 'B1', 'A3']);
        for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1);
        expect(await store.headPosition()).toBe(all[3]!.position);
      });

      it('reads after a position, exclusive, up to a count', async () => {
        for (let i = 0; i < 5; i++) await store.append(s(`${i}`), [anEvent(`E${i}`)], NO_STREAM);
        const all = ours(await store.readAll({ after: headBefore, maxCount: 100 }));
        expect((await store.readAll({ after: all[1]!.position, maxCount: 2 })).map((e) => e.type)).toEqual([
          'E2',
          'E3',
        ]);
      });

      it('answers an append with the position the log gives the event', async () => {
        const written = await store.append(s('a'), [anEvent('Only')], NO_STREAM);
        const [read] = ours(await store.readAll({ after: headBefore, maxCount: 10 }));
        expect(read?.position).toBe(written.position);
      });

      it('has no head while empty', async () => {
        if (!opened.fresh) return; // a shared server is never empty
        expect(await store.headPosition()).toBeNull();
        expect(await store.readAll({ maxCount: 10 })).toEqual([]);
      });
    });

    describe('the catch-up subscription', () => {
      it('delivers the past, says it caught up, then delivers new events live', async () => {
        await store.append(s('a'), [anEvent('Past1'), anEvent('Past2')], NO_STREAM);
        const subscription = store.subscribeToAll({ after: headBefore, batchSizeMax: 1 });
        const iterator = subscription[Symbol.asyncIterator]();
        const past = await collect(iterator, (_, caughtUp) => caughtUp);
        expect(ours(past).map((e) => e.type)).toEqual(['Past1', 'Past2']);
        await store.append(s('b'), [anEvent('Live1')], NO_STREAM);
        const live = await collect(iterator, (events) => ours(events).length >= 1);
        expect(ours(live).map((e) => e.type)).toEqual(['Live1']);
        subscription.close();
        await expect(iterator.next()).resolves.toMatchObject({ done: true });
      });

      it('resumes after a checkpoint with no gap and no repeat', async () => {
        for (let i = 0; i < 6; i++) await store.append(s(`${i}`), [anEvent(`E${i}`)], NO_STREAM);
        const first = store.subscribeToAll({ after: headBefore, batchSizeMax: 2 });
        const seen = ours(await collect(first[Symbol.asyncIterator](), (events) => ours(events).length >= 3));
        first.close();
        const checkpoint = seen[2]!.position;
        await store.append(s('late'), [anEvent('Late')], NO_STREAM);
        const second = store.subscribeToAll({ after: checkpoint });
        const rest = ours(
          await collect(second[Symbol.asyncIterator](), (events) => events.some((e) => e.type === 'Late')),
        );
        second.close();
        expect([...seen.slice(0, 3), ...rest].map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4', 'E5', 'Late']);
      });

      it('after a dropped subscription, resubscribing from the last event seen loses and repeats nothing', async () => {
        await store.append(s('a'), [anEvent('Before1'), anEvent('Before2')], NO_STREAM);
        const first = store.subscribeToAll({ after: headBefore });
        const iterator = first[Symbol.asyncIterator]();
        const seen = ours(await collect(iterator, (events, caughtUp) => caughtUp && ours(events).length >= 2));
        if (opened.dropSubscriptions) {
          opened.dropSubscriptions();
          await expect(collect(iterator, () => false)).rejects.toMatchObject({ name: 'StoreUnavailableError' });
        } else {
          first.close();
        }
        await store.append(s('b'), [anEvent('WhileDown')], NO_STREAM);
        const second = store.subscribeToAll({ after: seen[seen.length - 1]!.position });
        const rest = ours(
          await collect(second[Symbol.asyncIterator](), (events) => events.some((e) => e.type === 'WhileDown')),
        );
        second.close();
        expect([...seen, ...rest].map((e) => e.type)).toEqual(['Before1', 'Before2', 'WhileDown']);
      });
    });
  });
}
