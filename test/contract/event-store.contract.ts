// One contract for every EventStore implementation. Each implementation's spec calls
// describeEventStoreContract with a factory that returns a fresh, empty store.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  ANY,
  NO_STREAM,
  WrongExpectedVersionError,
  atRevision,
  comparePositions,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
  type SubscriptionBatch,
} from '../../src/event-store/event-store.port.js';

let counter = 0;
export function anEvent(type = 'Tested', data: object = { n: ++counter }): EventToAppend {
  const n = ++counter;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type,
    data,
    metadata: { recordedAt: '2026-01-01T00:00:00.000Z', correlationId: `c-${n}`, causationId: `c-${n}`, businessKey: `test:${n}` },
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
    if (next === 'timeout') throw new Error(`subscription delivered ${events.length} events, then nothing within ${timeoutMs} ms`);
    if (next.done) return events;
    events.push(...next.value.events);
    if (until(events, next.value.caughtUp)) return events;
  }
}

export function describeEventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('appending with an expected state', () => {
      it('creates a stream at revision 0 when no stream is expected', async () => {
        const result = await store.append('test-a', [anEvent()], NO_STREAM);
        expect(result).toEqual({ stream: 'test-a', revision: 0, position: expect.stringMatching(/^[0-9]+$/) });
      });

      it('refuses "no stream" when the stream exists', async () => {
        await store.append('test-a', [anEvent()], NO_STREAM);
        await expect(store.append('test-a', [anEvent()], NO_STREAM)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      });

      it('appends at the exact revision and refuses a stale one', async () => {
        await store.append('test-a', [anEvent()], NO_STREAM);
        await expect(store.append('test-a', [anEvent()], atRevision(0))).resolves.toMatchObject({ revision: 1 });
        await expect(store.append('test-a', [anEvent()], atRevision(0))).rejects.toMatchObject({ actualRevision: 1 });
        await expect(store.append('test-b', [anEvent()], atRevision(0))).rejects.toMatchObject({ actualRevision: null });
      });

      it('appends in any state when asked to', async () => {
        await expect(store.append('test-a', [anEvent()], ANY)).resolves.toMatchObject({ revision: 0 });
        await expect(store.append('test-a', [anEvent(), anEvent()], ANY)).resolves.toMatchObject({ revision: 2 });
      });

      it('writes all events of one append or none', async () => {
        const first = anEvent();
        await store.append('test-a', [first], NO_STREAM);
        await expect(store.append('test-b', [anEvent(), first], NO_STREAM)).rejects.toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.readStream('test-b')).toEqual([]);
      });
    });

    describe('re-appending the same event ids', () => {
      it('answers where they already are and writes nothing', async () => {
        const events = [anEvent(), anEvent()];
        const first = await store.append('test-a', events, NO_STREAM);
        const head = await store.headPosition();
        await expect(store.append('test-a', events, NO_STREAM)).resolves.toEqual(first);
        await expect(store.append('test-a', events, atRevision(5))).resolves.toEqual(first);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream('test-a')).toHaveLength(2);
      });

      it('refuses ids that already belong to another stream', async () => {
        const event = anEvent();
        await store.append('test-a', [event], NO_STREAM);
        await expect(store.append('test-b', [event], NO_STREAM)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      });
    });

    describe('reading one stream', () => {
      it('reads forwards and backwards, from a revision, up to a count', async () => {
        const events = [anEvent('A'), anEvent('B'), anEvent('C')];
        await store.append('test-a', events, NO_STREAM);
        await store.append('test-other', [anEvent('X')], NO_STREAM);
        const types = (read: RecordedEvent[]) => read.map((e) => `${e.type}@${e.revision}`);
        expect(types(await store.readStream('test-a'))).toEqual(['A@0', 'B@1', 'C@2']);
        expect(types(await store.readStream('test-a', { direction: 'backwards' }))).toEqual(['C@2', 'B@1', 'A@0']);
        expect(types(await store.readStream('test-a', { fromRevision: 1, maxCount: 1 }))).toEqual(['B@1']);
        expect(types(await store.readStream('test-a', { direction: 'backwards', fromRevision: 1 }))).toEqual(['B@1', 'A@0']);
      });

      it('gives back data, metadata and ids as appended', async () => {
        const event = anEvent('Typed', { amount: '12.50', nested: { list: [1, 2] } });
        await store.append('test-a', [event], NO_STREAM);
        const [read] = await store.readStream('test-a');
        expect(read).toMatchObject({ id: event.id, type: 'Typed', stream: 'test-a', revision: 0, data: event.data, metadata: event.metadata });
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await store.readStream('test-missing')).toEqual([]);
      });
    });

    describe('the global log', () => {
      it('holds every stream in append order with increasing positions', async () => {
        await store.append('test-a', [anEvent('A1')], NO_STREAM);
        await store.append('test-b', [anEvent('B1')], NO_STREAM);
        await store.append('test-a', [anEvent('A2')], atRevision(0));
        const all = await store.readAll({ maxCount: 100 });
        expect(all.map((e) => e.type)).toEqual(['A1', 'B1', 'A2']);
        for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1]!.position, all[i]!.position)).toBe(-1);
        expect(await store.headPosition()).toBe(all[2]!.position);
      });

      it('reads after a position, exclusive, up to a count', async () => {
        for (let i = 0; i < 5; i++) await store.append(`test-${i}`, [anEvent(`E${i}`)], NO_STREAM);
        const all = await store.readAll({ maxCount: 100 });
        expect((await store.readAll({ after: all[1]!.position, maxCount: 2 })).map((e) => e.type)).toEqual(['E2', 'E3']);
      });

      it('has no head while empty', async () => {
        expect(await store.headPosition()).toBeNull();
        expect(await store.readAll({ maxCount: 10 })).toEqual([]);
      });
    });

    describe('the catch-up subscription', () => {
      it('delivers the past, says it caught up, then delivers new events live', async () => {
        await store.append('test-a', [anEvent('Past1'), anEvent('Past2')], NO_STREAM);
        const subscription = store.subscribeToAll({ batchSizeMax: 1 });
        const iterator = subscription[Symbol.asyncIterator]();
        const past = await collect(iterator, (_, caughtUp) => caughtUp);
        expect(past.map((e) => e.type)).toEqual(['Past1', 'Past2']);
        await store.append('test-b', [anEvent('Live1')], NO_STREAM);
        const live = await collect(iterator, (events) => events.length >= 1);
        expect(live.map((e) => e.type)).toEqual(['Live1']);
        subscription.close();
        await expect(iterator.next()).resolves.toMatchObject({ done: true });
      });

      it('resumes after a checkpoint with no gap and no repeat', async () => {
        for (let i = 0; i < 6; i++) await store.append(`test-${i}`, [anEvent(`E${i}`)], NO_STREAM);
        const first = store.subscribeToAll({ batchSizeMax: 2 });
        const seen = await collect(first[Symbol.asyncIterator](), (events) => events.length >= 3);
        first.close();
        const checkpoint = seen[2]!.position;
        await store.append('test-late', [anEvent('Late')], NO_STREAM);
        const second = store.subscribeToAll({ after: checkpoint });
        const rest = await collect(second[Symbol.asyncIterator](), (events) => events.some((e) => e.type === 'Late'));
        second.close();
        expect([...seen.slice(0, 3), ...rest].map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4', 'E5', 'Late']);
      });
    });
  });
}
