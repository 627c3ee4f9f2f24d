import { EventEmitter } from 'node:events';
import { openSqlite, type SqliteDatabase } from './open-sqlite.js';
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

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT    NOT NULL UNIQUE,
    stream      TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    UNIQUE (stream, revision)
  );
`;

const READ_BATCH_MAX = 10_000;
const APPEND_BATCH_MAX = 1_000;
/** Appends committed together in one transaction at most (group commit); more wait for the next one. */
const APPEND_GROUP_MAX = 1_000;
/** Like EventStoreDB's default MaxAppendSize: data and metadata of one append, serialized. */
const APPEND_BYTES_MAX = 1_048_576;
/** A waiting subscription also re-reads this often, to see appends made by another process. */
const POLL_MS = 250;

interface SerializedEvent {
  event: EventToAppend;
  data: string;
  metadata: string;
}

interface QueuedAppend {
  readonly stream: string;
  readonly events: readonly SerializedEvent[];
  readonly expected: ExpectedState;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/** Where an event already stored stands: what a retried append is checked against. */
interface StoredAt {
  stream: string;
  revision: number;
  position: number;
}

/**
 * The embedded event store: one SQLite file (or `:memory:`). Global positions are the
 * AUTOINCREMENT row ids, so they only ever increase, even after a rolled-back append.
 */
export class SqliteEventStore extends EventStore {
  private readonly db: SqliteDatabase;
  private readonly appended = new EventEmitter();
  private closed = false;
  private readonly statements;
  /** Built once: better-sqlite3 builds four wrappers per `transaction()` call, too dear for every commit. */
  private readonly transactions;
  /** Appends waiting for the next group commit. */
  private readonly queued: QueuedAppend[] = [];

  constructor(path: string) {
    super();
    this.db = openSqlite(path);
    this.db.exec(SCHEMA);
    this.appended.setMaxListeners(0);
    this.statements = {
      lastRevision: this.db.prepare<[string], { revision: number | null }>(
        'SELECT MAX(revision) AS revision FROM events WHERE stream = ?',
      ),
      byEventId: this.db.prepare<[string], StoredAt>(
        'SELECT stream, revision, position FROM events WHERE event_id = ?',
      ),
      insert: this.db.prepare(
        'INSERT INTO events (event_id, stream, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      // rows as arrays, not objects with named fields: every rebuild reads the whole log through `all`
      forwards: this.db
        .prepare<[string, number, number], EventColumns>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
        )
        .raw(true),
      backwards: this.db
        .prepare<[string, number, number], EventColumns>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
        )
        .raw(true),
      all: this.db
        .prepare<[number, number], EventColumns>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`,
        )
        .raw(true),
      head: this.db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
    };
    this.transactions = {
      group: this.db.transaction((group: readonly QueuedAppend[]) => this.appendGroup(group)),
      alone: this.db.transaction((append: QueuedAppend) =>
        this.appendInTransaction(append.stream, append.events, append.expected),
      ),
    };
  }

  async append(stream: string, events: readonly EventToAppend[], expected: ExpectedState): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0 || events.length > APPEND_BATCH_MAX) {
      throw new Error(`append takes 1 to ${APPEND_BATCH_MAX} events, got ${events.length}`);
    }
    const serialized = events.map((e) => ({
      event: e,
      data: JSON.stringify(e.data),
      metadata: JSON.stringify(e.metadata),
    }));
    const bytes = serialized.reduce((sum, s) => sum + Buffer.byteLength(s.data) + Buffer.byteLength(s.metadata), 0);
    if (bytes > APPEND_BYTES_MAX) throw new AppendTooLargeError(stream, APPEND_BYTES_MAX);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queued.push({ stream, events: serialized, expected, resolve, reject });
      if (this.queued.length === 1) setImmediate(() => this.commitQueued());
    });
  }

  /**
   * Group commit: every append that arrived since the last commit (in this turn of the event loop)
   * goes into one IMMEDIATE transaction, so that one fsync makes them all durable. Each append runs
   * in a savepoint of its own with its own expected-version check, in arrival order, exactly as if
   * it had been alone: a refused append rolls back to its savepoint and fails alone, and a later
   * append to the same stream sees the earlier ones. Nobody hears back before the commit.
   */
  private commitQueued(): void {
    const group = this.queued.splice(0, APPEND_GROUP_MAX);
    if (this.queued.length > 0) setImmediate(() => this.commitQueued());
    if (group.length === 0) return;
    if (this.closed) {
      for (const append of group) append.reject(new StoreUnavailableError('the event store is closed'));
      return;
    }
    let outcomes: AppendOutcome[];
    try {
      outcomes = this.transactions.group.immediate(group);
    } catch (error) {
      // the group's transaction failed or was rolled back as a whole: none of it was written
      for (const append of group) append.reject(error);
      return;
    }
    if (outcomes.some((o) => o.ok && o.result.written)) this.appended.emit('appended');
    outcomes.forEach((outcome, i) =>
      outcome.ok ? group[i]!.resolve(outcome.result) : group[i]!.reject(outcome.error),
    );
  }

  /**
   * The body of a group's transaction. Alone in its group, an append needs no savepoint: when it is
   * refused, the whole transaction rolls back, which is the same thing (and two statements fewer).
   */
  private appendGroup(group: readonly QueuedAppend[]): AppendOutcome[] {
    if (group.length === 1) {
      const only = group[0]!;
      return [{ ok: true, result: this.appendInTransaction(only.stream, only.events, only.expected) }];
    }
    return group.map((append) => {
      try {
        return { ok: true as const, result: this.transactions.alone(append) }; // nested: a SAVEPOINT
      } catch (error) {
        // Some SQLite errors (disk full, I/O) roll back the whole transaction, not just the
        // savepoint: the group cannot go on (later appends would commit on their own).
        if (!this.db.inTransaction) throw error;
        return { ok: false as const, error };
      }
    });
  }

  private appendInTransaction(
    stream: string,
    events: readonly SerializedEvent[],
    expected: ExpectedState,
  ): AppendResult {
    const already = this.findRetriedAppend(
      stream,
      events.map((e) => e.event),
    );
    if (already !== null) return already;

    const current = this.statements.lastRevision.get(stream)?.revision ?? null;
    if (!matches(expected, current)) throw new WrongExpectedVersionError(stream, expected, current);

    let revision = current ?? -1;
    let position = 0;
    for (const { event, data, metadata } of events) {
      revision += 1;
      const info = this.statements.insert.run(event.id, stream, revision, event.type, data, metadata);
      position = Number(info.lastInsertRowid);
    }
    return { stream, revision, position: String(position), written: true };
  }

  /**
   * A retry of an append that already happened: every event id is already in this stream,
   * one after the other. Ids found elsewhere, or only some of them, are a conflict.
   */
  private findRetriedAppend(stream: string, events: readonly EventToAppend[]): AppendResult | null {
    const found = events.map((e) => this.statements.byEventId.get(e.id));
    if (found.every((row) => row === undefined)) return null;
    const consecutive = found.every(
      (row, i) => row !== undefined && row.stream === stream && row.revision === found[0]!.revision + i,
    );
    if (!consecutive) {
      const actual = this.statements.lastRevision.get(stream)?.revision ?? null;
      throw new WrongExpectedVersionError(stream, { kind: 'any' }, actual);
    }
    const last = found[found.length - 1]!;
    return { stream, revision: last.revision, position: String(last.position), written: false };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const maxCount = Math.min(options.maxCount ?? READ_BATCH_MAX, READ_BATCH_MAX);
    const rows =
      options.direction === 'backwards'
        ? this.statements.backwards.all(stream, options.fromRevision ?? Number.MAX_SAFE_INTEGER, maxCount)
        : this.statements.forwards.all(stream, options.fromRevision ?? 0, maxCount);
    return rows.map(fromColumns);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readAllNow(options.after, options.maxCount);
  }

  private readAllNow(after: Position | undefined, maxCount: number): RecordedEvent[] {
    const from = after === undefined ? 0 : Number(after);
    if (!Number.isSafeInteger(from)) throw new Error(`position ${after} is beyond this store`);
    return this.statements.all.all(from, Math.min(Math.max(maxCount, 1), READ_BATCH_MAX)).map(fromColumns);
  }

  async countEvents(): Promise<number | null> {
    this.assertOpen();
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events').get()?.n ?? 0;
  }

  async headPosition(): Promise<Position | null> {
    this.assertOpen();
    const head = this.statements.head.get()?.position ?? null;
    return head === null ? null : String(head);
  }

  subscribeToAll(options: SubscribeOptions): AllSubscription {
    const batchSizeMax = Math.min(options.batchSizeMax ?? 1000, READ_BATCH_MAX);
    let after = options.after;
    let stopped = false;
    let wake: (() => void) | null = null;
    const onAppended = () => wake?.();
    this.appended.on('appended', onAppended);

    const waitForAppend = () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }).finally(() => {
        wake = null;
      });

    // eslint-disable-next-line @typescript-eslint/no-this-alias -- a generator cannot be an arrow function
    const store = this;
    async function* batches(): AsyncGenerator<SubscriptionBatch> {
      let live = false;
      try {
        while (!stopped && !store.closed) {
          const events = store.readAllNow(after, batchSizeMax);
          if (events.length > 0) after = events[events.length - 1]!.position;
          const caughtUp = events.length < batchSizeMax;
          if (events.length > 0 || (caughtUp && !live)) yield { events, caughtUp };
          live = caughtUp;
          if (caughtUp) await waitForAppend();
          // Catching up reads synchronously: give the event loop a turn between batches, so that a
          // rebuild of a long log never keeps the service from answering.
          else await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        store.appended.off('appended', onAppended);
      }
    }

    const iterator = batches();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: () => {
        stopped = true;
        wake?.();
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.queued.length > 0) this.commitQueued(); // appends already accepted are committed, not dropped
    this.closed = true;
    this.appended.emit('appended');
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }
}

function matches(expected: ExpectedState, current: number | null): boolean {
  switch (expected.kind) {
    case 'any':
      return true;
    case 'no-stream':
      return current === null;
    case 'revision':
      return current === expected.revision;
    default: {
      const never: never = expected;
      throw new Error(`unexpected state ${JSON.stringify(never)}`);
    }
  }
}

/** The events table's columns, in the order fromColumns reads them from a row read as an array. */
const EVENT_COLUMNS = 'position, event_id, stream, revision, type, data, metadata';
type EventColumns = [number, string, string, number, string, string, string];

function fromColumns([position, id, stream, revision, type, data, metadata]: EventColumns): RecordedEvent {
  return {
    id,
    type,
    stream,
    revision,
    position: String(position),
    data: JSON.parse(data),
    metadata: JSON.parse(metadata),
  };
}
