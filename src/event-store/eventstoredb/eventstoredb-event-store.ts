// The production event store: EventStoreDB (KurrentDB) through @eventstore/db-client.
// Only this folder knows; everything else talks to the EventStore port.
import { randomUUID } from 'node:crypto';
import {
  ANY as ESDB_ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM as ESDB_NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Position as EsdbPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  AppendTooLargeError,
  EventStore,
  StoreUnavailableError,
  WrongExpectedVersionError,
  type AllSubscription,
  type AppendResult,
  type EventToAppend,
  type ExpectedState,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type SubscriptionBatch,
} from '../event-store.port.js';

const TWO_TO_64 = 2n ** 64n;
/** Metadata key the adapter adds to the last event of an append, and strips when reading. */
const APPEND_ATTEMPT = 'appendAttempt';
const READ_COUNT_MAX = 10_000;
/** Pause the gRPC stream when this many events wait for the projector. */
const BUFFER_HIGH_WATER = 2_000;
/**
 * While a subscription catches up, a batch is handed over once this many events wait (or the stream
 * is caught up, or CATCH_UP_FILL_MS_MAX has passed): the consumer folds each batch in one transaction,
 * and handed over as they trickle in, batches of a few events cost a commit each.
 */
const CATCH_UP_BATCH_MIN = BUFFER_HIGH_WATER;
const CATCH_UP_FILL_MS_MAX = 50;
/** readAll skips system events; give up on a page after this many reads that held only those. */
const SYSTEM_ONLY_PAGES_MAX = 1_000;

/** commit × 2^64 + prepare: one strictly increasing number per event of $all. */
export function packPosition(position: EsdbPosition): Position {
  return (position.commit * TWO_TO_64 + position.prepare).toString();
}

export function unpackPosition(position: Position): EsdbPosition {
  const packed = BigInt(position);
  return { commit: packed / TWO_TO_64, prepare: packed % TWO_TO_64 };
}

export class EventStoreDbEventStore extends EventStore {
  private readonly client: EventStoreDBClient;
  private closed = false;

  constructor(connectionString: string) {
    super();
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  /**
   * EventStoreDB acknowledges a re-append of events it already has (same ids, right place) as a
   * success, like a write. To tell which it was, the last event carries a fresh append-attempt id
   * in its metadata; reading that event back shows whether this attempt wrote it.
   */
  async append(stream: string, events: readonly EventToAppend[], expected: ExpectedState): Promise<AppendResult> {
    this.assertOpen();
    const attempt = randomUUID();
    const data = events.map((e, i) =>
      jsonEvent({
        id: e.id,
        type: e.type,
        data: e.data as Record<string, unknown>,
        metadata: i === events.length - 1 ? { ...e.metadata, [APPEND_ATTEMPT]: attempt } : e.metadata,
      }),
    );
    try {
      const result = await this.client.appendToStream(stream, data, { expectedRevision: toExpectedRevision(expected) });
      const revision = Number(result.nextExpectedRevision);
      const last = await this.readOne(stream, revision);
      if (last === null)
        throw new StoreUnavailableError(`EventStoreDB acknowledged an append to ${stream} that it cannot read back`);
      const written = (last.metadata as Record<string, unknown> | null)?.[APPEND_ATTEMPT] === attempt;
      const position = result.position !== undefined ? packPosition(result.position) : packPosition(last.position);
      return { stream, revision, position, written };
    } catch (error) {
      if (error instanceof EsdbWrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new WrongExpectedVersionError(stream, expected, typeof actual === 'bigint' ? Number(actual) : null);
      }
      if (error instanceof MaxAppendSizeExceededError) {
        throw new AppendTooLargeError(stream, error.maxAppendSize);
      }
      throw unavailable(error, `append to ${stream}`);
    }
  }

  /** One event with its raw metadata and position, or null. */
  private async readOne(
    stream: string,
    revision: number,
  ): Promise<{ metadata: unknown; position: EsdbPosition } | null> {
    let found: { metadata: unknown; position: EsdbPosition } | null = null;
    // read to the end (one event): leaving the loop early would cancel the call mid-stream
    for await (const resolved of this.client.readStream(stream, {
      direction: BACKWARDS,
      fromRevision: BigInt(revision),
      maxCount: 1,
    })) {
      const event = resolved.event;
      if (event?.position !== undefined) found = { metadata: event.metadata, position: event.position };
    }
    return found;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(stream, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        maxCount: Math.min(options.maxCount ?? READ_COUNT_MAX, READ_COUNT_MAX),
      });
      for await (const resolved of read) {
        const event = toRecorded(resolved);
        if (event !== null) events.push(event);
      }
      return events;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw unavailable(error, `read ${stream}`);
    }
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = Math.min(Math.max(options.maxCount, 1), READ_COUNT_MAX);
    const events: RecordedEvent[] = [];
    let after = options.after;
    // readAll in 6.2.1 takes no filter: system events are read and skipped here.
    for (let page = 0; events.length < maxCount && page < SYSTEM_ONLY_PAGES_MAX; page++) {
      const raw = await this.readAllPage(after, maxCount - events.length);
      if (raw.length === 0) break;
      after = raw[raw.length - 1]!.position;
      events.push(...raw.filter((e) => !e.type.startsWith('$')));
    }
    return events;
  }

  /** Events strictly after `after` (EventStoreDB reads from a position inclusively). */
  private async readAllPage(after: Position | undefined, count: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readAll({
        direction: FORWARDS,
        fromPosition: after === undefined ? START : unpackPosition(after),
        maxCount: after === undefined ? count : count + 1,
      });
      for await (const resolved of read) {
        const event = toRecordedFromAll(resolved);
        if (event !== null && event.position !== after) events.push(event);
      }
    } catch (error) {
      throw unavailable(error, 'read $all');
    }
    return events.slice(0, count);
  }

  /** $all cannot be counted without reading it: progress then goes by position. */
  async countEvents(): Promise<number | null> {
    return null;
  }

  async headPosition(): Promise<Position | null> {
    this.assertOpen();
    try {
      let from: EsdbPosition | typeof END = END;
      for (let page = 0; page < SYSTEM_ONLY_PAGES_MAX; page++) {
        const batch: RecordedEvent[] = [];
        for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: 100 })) {
          const event = toRecordedFromAll(resolved);
          if (event !== null) batch.push(event);
        }
        const found = batch.find((e) => !e.type.startsWith('$'));
        if (found) return found.position;
        if (batch.length < 100) return null;
        from = unpackPosition(batch[batch.length - 1]!.position);
      }
      return null;
    } catch (error) {
      throw unavailable(error, 'read the head of $all');
    }
  }

  subscribeToAll(options: SubscribeOptions): AllSubscription {
    this.assertOpen();
    const batchSizeMax = options.batchSizeMax ?? 1000;
    const subscription = this.client.subscribeToAll({
      fromPosition: options.after === undefined ? START : unpackPosition(options.after),
      filter: excludeSystemEvents(),
    });
    const buffer: RecordedEvent[] = [];
    let caughtUp = false;
    let caughtUpReported = false;
    let failure: unknown = null;
    let ended = false;
    let wake: (() => void) | null = null;
    let waitingToFill = false;
    const signal = () => {
      const w = wake;
      wake = null;
      w?.();
    };

    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      const event = toRecordedFromAll(resolved);
      if (event !== null && !event.type.startsWith('$')) buffer.push(event);
      if (buffer.length >= BUFFER_HIGH_WATER) subscription.pause();
      if (!(waitingToFill && filling())) signal(); // a batch being filled is woken once it is full
    });
    subscription.on('caughtUp', () => {
      caughtUp = true;
      signal();
    });
    subscription.on('error', (error: unknown) => {
      failure = error;
      signal();
    });
    subscription.on('end', () => {
      ended = true;
      signal();
    });

    const filling = () =>
      !caughtUp && !ended && failure === null && buffer.length < Math.min(batchSizeMax, CATCH_UP_BATCH_MIN);
    /** Catching up: waits (at most CATCH_UP_FILL_MS_MAX) for a whole batch rather than a trickle. */
    async function fill(): Promise<void> {
      const until = performance.now() + CATCH_UP_FILL_MS_MAX;
      waitingToFill = true;
      while (filling() && performance.now() < until) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(1, until - performance.now()));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      waitingToFill = false;
    }

    async function* batches(): AsyncGenerator<SubscriptionBatch> {
      try {
        for (;;) {
          if (buffer.length > 0 && filling()) await fill();
          if (buffer.length > 0) {
            const events = buffer.splice(0, batchSizeMax);
            if (buffer.length < BUFFER_HIGH_WATER / 2 && subscription.isPaused()) subscription.resume();
            caughtUpReported = caughtUp && buffer.length === 0;
            yield { events, caughtUp: caughtUpReported };
            continue;
          }
          if (caughtUp && !caughtUpReported) {
            caughtUpReported = true;
            yield { events: [], caughtUp: true };
            continue;
          }
          if (failure !== null) throw unavailable(failure, 'the $all subscription was dropped');
          if (ended) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      } finally {
        // not awaited: the client's unsubscribe first awaits the gRPC stream's creation, which never settles
        // when the server went away meanwhile, and the one who ends this loop (a projector's stop) must not
        // wait on it
        void subscription.unsubscribe().catch(() => undefined);
      }
    }

    const iterator = batches();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: () => {
        ended = true;
        signal();
        void subscription.unsubscribe().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }
}

function toExpectedRevision(expected: ExpectedState): AppendExpectedRevision {
  switch (expected.kind) {
    case 'no-stream':
      return ESDB_NO_STREAM;
    case 'any':
      return ESDB_ANY;
    case 'revision':
      return BigInt(expected.revision);
    default: {
      const never: never = expected;
      throw new Error(`unexpected state ${JSON.stringify(never)}`);
    }
  }
}

function toRecorded(resolved: ResolvedEvent): RecordedEvent | null {
  const event = resolved.event;
  if (event === undefined || event.position === undefined) return null;
  let metadata = event.metadata;
  if (metadata !== null && typeof metadata === 'object' && APPEND_ATTEMPT in metadata) {
    const { [APPEND_ATTEMPT]: _attempt, ...rest } = metadata as Record<string, unknown>;
    metadata = rest;
  }
  return {
    id: event.id,
    type: event.type,
    stream: event.streamId,
    revision: Number(event.revision),
    position: packPosition(event.position),
    data: event.data,
    metadata,
  };
}

function toRecordedFromAll(resolved: AllStreamResolvedEvent): RecordedEvent | null {
  return toRecorded(resolved);
}

/** Anything that is not a domain outcome means the server could not serve us: 503 upstream. */
function unavailable(error: unknown, doing: string): Error {
  if (
    error instanceof StoreUnavailableError ||
    error instanceof WrongExpectedVersionError ||
    error instanceof AppendTooLargeError
  )
    return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`EventStoreDB could not ${doing}: ${message}`, { cause: error });
}
