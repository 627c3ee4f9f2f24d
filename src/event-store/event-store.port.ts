// The event store port. Shaped after EventStoreDB so that its adapter drops in unchanged:
// streams `<category>-<id>`, revisions from 0, optimistic appends atomic per stream only,
// caller-chosen event ids, and one global log with opaque, increasing positions.

/**
 * A place in the global log: the decimal digits of an unsigned integer below 2^128. Opaque:
 * strictly increasing from one event to the next, gaps allowed. Compare only with
 * comparePositions; carried as a string in JSON. SQLite uses its 64-bit row ids; EventStoreDB
 * packs an event's commit and prepare positions (commit × 2^64 + prepare), because the events of
 * one append share a commit position.
 */
export type Position = string;

/** Decimal digits of 2^128 − 1. */
export const POSITION_DIGITS_MAX = 39;

export function comparePositions(a: Position, b: Position): number {
  if (SAFE_DECIMAL.test(a) && SAFE_DECIMAL.test(b)) return Math.sign(Number(a) - Number(b)); // no BigInt an event
  const x = BigInt(a),
    y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Decimal text of at most 15 digits (every SQLite position): a safe integer, which a Number holds exactly. */
export const SAFE_DECIMAL = /^\d{1,15}$/;

export function isPosition(text: string): boolean {
  return /^(0|[1-9][0-9]{0,38})$/.test(text) && BigInt(text) < 2n ** 128n;
}

/** What the caller believes the stream looks like before the append. */
export type ExpectedState =
  { readonly kind: 'no-stream' } | { readonly kind: 'any' } | { readonly kind: 'revision'; readonly revision: number };

export const NO_STREAM: ExpectedState = { kind: 'no-stream' };
export const ANY: ExpectedState = { kind: 'any' };
export const atRevision = (revision: number): ExpectedState => ({ kind: 'revision', revision });

/** Readable metadata stored with every event. */
export interface EventMetadata {
  /** When the ledger recorded the fact (knowledge time), ISO 8601 UTC. */
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** The command's business key, e.g. `sale:S-1`; the event id is derived from it. */
  readonly businessKey: string;
}

export interface EventToAppend {
  /** A UUID, derived from the business key so that a retried append is recognisable. */
  readonly id: string;
  readonly type: string;
  /** A JSON object. */
  readonly data: object;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  /** Place in its stream, from 0. */
  readonly revision: number;
  readonly position: Position;
  /** As stored; decode before trusting it. */
  readonly data: unknown;
  readonly metadata: unknown;
}

export interface AppendResult {
  readonly stream: string;
  /** Revision of the last event appended (or found, on an idempotent re-append). */
  readonly revision: number;
  /** Global position of the last event appended (or found). */
  readonly position: Position;
  /** False when every event was already there (a retried append), so nothing was written. */
  readonly written: boolean;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the first (forwards) or last (backwards) event. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events after this position. Omitted: from the start of the log. */
  readonly after?: Position;
  readonly maxCount: number;
}

/** One delivery of a catch-up subscription: events in log order, and whether it is now live. */
export interface SubscriptionBatch {
  readonly events: readonly RecordedEvent[];
  readonly caughtUp: boolean;
}

export interface AllSubscription extends AsyncIterable<SubscriptionBatch> {
  /** Stops the subscription; the iteration then ends. */
  close(): void;
}

export interface SubscribeOptions {
  /** Exclusive, as in readAll. */
  readonly after?: Position;
  readonly batchSizeMax?: number;
}

/** The stream's actual state did not match the expected state. Safe to re-read and retry. */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedState,
    readonly actualRevision: number | null,
  ) {
    super(
      `stream ${stream}: expected ${describeExpected(expected)}, found ${actualRevision === null ? 'no stream' : `revision ${actualRevision}`}`,
    );
    this.name = 'WrongExpectedVersionError';
  }
}

/** The store refused an append as larger than it accepts. */
export class AppendTooLargeError extends Error {
  constructor(
    readonly stream: string,
    readonly maxAppendSizeBytes: number,
  ) {
    super(`append to ${stream} is larger than the store accepts (${maxAppendSizeBytes} bytes)`);
    this.name = 'AppendTooLargeError';
  }
}

/** The store cannot be reached or is not answering. Commands answer 503. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

function describeExpected(expected: ExpectedState): string {
  switch (expected.kind) {
    case 'no-stream':
      return 'no stream';
    case 'any':
      return 'any state';
    case 'revision':
      return `revision ${expected.revision}`;
    default: {
      const never: never = expected;
      throw new Error(`unexpected state ${JSON.stringify(never)}`);
    }
  }
}

/** Dependency-injection token and contract for every event store implementation. */
export abstract class EventStore {
  /**
   * Appends events to one stream, atomically, if the stream is in the expected state.
   * Re-appending events whose ids are already the stream's (a retry after a lost
   * acknowledgement) succeeds without writing and returns where they already are.
   * @throws WrongExpectedVersionError, StoreUnavailableError
   */
  abstract append(stream: string, events: readonly EventToAppend[], expected: ExpectedState): Promise<AppendResult>;

  /** Events of one stream; an empty array when the stream does not exist. */
  abstract readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Events of the global log in position order. */
  abstract readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;

  /** How many events the global log holds, when the store can tell cheaply (for progress); else null. */
  abstract countEvents(): Promise<number | null>;

  /** Position of the last event in the global log, or null when it is empty. */
  abstract headPosition(): Promise<Position | null>;

  /** Reads the log from a position, then follows it live. */
  abstract subscribeToAll(options: SubscribeOptions): AllSubscription;

  abstract close(): Promise<void>;
}

/** `<category>-<id>`; the category has no dash, the id may. */
export function streamName(category: string, id: string): string {
  if (!/^[A-Za-z]+$/.test(category)) throw new Error(`invalid stream category ${category}`);
  if (id.length === 0) throw new Error('empty stream id');
  return `${category}-${id}`;
}

export function categoryOf(stream: string): string {
  const dash = stream.indexOf('-');
  return dash < 0 ? stream : stream.slice(0, dash);
}
