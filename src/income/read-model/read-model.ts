// The read model's writer: people, subscriptions and priced income lines, in their own SQLite file,
// with the checkpoint in the same transaction as the rows it covers. A redelivered event is at
// or below the checkpoint and is skipped, so nothing is ever counted twice. It is also the fold's
// view of what it has folded (LedgerView). The fold turns a batch into rows (FoldedRows), which are
// written in the batch's transaction here, or, while a generation is built, by a writer thread of
// their own (read-model-writer.ts) while the next batch is folded. Lines become rows through the
// row codec (line-row.codec.ts); the queries sit beside the use cases that ask them and read through it.
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { openSqlite, type SqliteDatabase } from '../../event-store/sqlite/open-sqlite.js';
import { comparePositions, type Position, type RecordedEvent } from '../../event-store/event-store.port.js';
import { Money } from '../../shared/money.js';
import { decodeLedgerEvent, isLedgerStream, recordedAtOf } from '../events.js';
import type { Plan } from '../plan/plan.js';
import { machineBootId } from '../generations/machine-boot.js';
import {
  foldEvent,
  type FoldEffect,
  type IncomeLine,
  type LedgerView,
  type PersonNode,
  type SaleNode,
  type SubscriptionNode,
} from './income.fold.js';
import {
  LINE_COLUMNS,
  SOURCE_COLUMNS,
  encodeLine,
  encodeSource,
  provenanceOf,
  storedPosition,
  type LineRow,
} from './line-row.codec.js';

/** Bumped whenever the tables change; a generation file of another version is rebuilt from the log. */
export const READ_MODEL_SCHEMA_VERSION = 7;

const TABLES = `
  CREATE TABLE IF NOT EXISTS checkpoint (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    position         TEXT
  );
  INSERT OR IGNORE INTO checkpoint (id, position) VALUES (1, NULL);
  CREATE TABLE IF NOT EXISTS people (
    person_id    TEXT PRIMARY KEY,
    sponsor_id   TEXT,
    name         TEXT NOT NULL,
    recruited_at TEXT NOT NULL,
    position     BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS people_by_sponsor ON people (sponsor_id, recruited_at, person_id);
  CREATE TABLE IF NOT EXISTS subscriptions (
    subscription_id TEXT PRIMARY KEY,
    sale_id         TEXT NOT NULL,
    owner_id        TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    product_code    TEXT,
    currency        TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    renewals        INTEGER NOT NULL
  );
  -- Positions are stored as blobs that sort as the numbers do (see storedPosition); the event a
  -- line came from, with the plan version and base amount its lines share, is stored once, in
  -- line_sources, however many lines it produced.
  CREATE TABLE IF NOT EXISTS income_lines (
    position     BLOB    NOT NULL,
    line_no      INTEGER NOT NULL,
    earner_id    TEXT    NOT NULL,
    rule         TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    level        INTEGER,
    amount_minor INTEGER NOT NULL,
    currency     TEXT    NOT NULL,
    rate         TEXT,
    fixed_minor  INTEGER,
    product      TEXT,
    step         TEXT,
    cap          TEXT,
    uncapped_minor INTEGER,
    occurred_at  TEXT    NOT NULL,
    PRIMARY KEY (position, line_no)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS line_sources (
    position     BLOB    NOT NULL PRIMARY KEY,
    event_id     TEXT    NOT NULL,
    event_type   TEXT    NOT NULL,
    stream       TEXT    NOT NULL,
    revision     INTEGER NOT NULL,
    recorded_at  TEXT    NOT NULL,
    plan_version TEXT    NOT NULL,
    base_minor   INTEGER NOT NULL
  ) WITHOUT ROWID;
  -- A sale's position is its SaleMade's: where the fold finds the lines a refund reverses.
  CREATE TABLE IF NOT EXISTS sales (
    sale_id         TEXT PRIMARY KEY,
    customer_id     TEXT    NOT NULL,
    subscription_id TEXT,
    amount_minor    INTEGER NOT NULL,
    currency        TEXT    NOT NULL,
    refunded_minor  INTEGER NOT NULL,
    position        BLOB    NOT NULL
  );
  -- What each earner has had from one subscription or one customer, net of refunds: the lifetime caps' memory.
  CREATE TABLE IF NOT EXISTS cap_usage (
    usage_key    TEXT PRIMARY KEY,
    currency     TEXT    NOT NULL,
    earned_minor INTEGER NOT NULL
  ) WITHOUT ROWID;
  -- One row while the file is being built as a new generation, with the boot it was built in.
  CREATE TABLE IF NOT EXISTS build (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    boot_id TEXT
  );
`;

/** The indexes only queries use: a generation being built gets them in one sorted pass at its end. */
const QUERY_INDEXES = `
  CREATE INDEX IF NOT EXISTS lines_by_earner ON income_lines (earner_id, position, line_no);
`;

interface SubscriptionRow {
  subscription_id: string;
  sale_id: string;
  owner_id: string;
  customer_id: string;
  product_code: string | null;
  currency: string;
  started_at: string;
  renewals: number;
}

interface SaleRow {
  sale_id: string;
  customer_id: string;
  subscription_id: string | null;
  amount_minor: bigint;
  currency: string;
  refunded_minor: bigint;
  position: Buffer;
}

/** A generation file written by another version of this service: its tables are not these. */
export class ReadModelSchemaError extends Error {
  constructor(
    readonly path: string,
    readonly version: number,
  ) {
    super(`read model ${path} has schema version ${version}, this service writes version ${READ_MODEL_SCHEMA_VERSION}`);
    this.name = 'ReadModelSchemaError';
  }
}

/**
 * How many of each the fold's view keeps in memory (smaller only in a test): a full cache starts again
 * empty, and from then on a name it lacks is looked up in the file.
 */
export interface CacheBounds {
  /** People are never changed once recruited: the fold's upline walks read them from memory. */
  readonly people: number;
  /**
   * Every renewal reads its subscription from memory; a subscription changes only through the fold's
   * effects (its renewal count), which write it here and to its row together.
   */
  readonly subscriptions: number;
  /**
   * The lifetime caps' usage: what the fold has written, and what it has read back (a key names a
   * scope, its id, a currency and an earner: about 150 bytes an entry, 15 MB at most).
   */
  readonly capUsage: number;
}

const CACHE_BOUNDS: CacheBounds = { people: 200_000, subscriptions: 500_000, capUsage: 100_000 };

/**
 * Rows of a table go this many to a statement: one call into SQLite for many rows. A statement that
 * writes many rows and may abort half-way has SQLite keep a journal of its own, to undo just that
 * statement (five times the bytes written in a build, and 2.4 against 1.3 µs a row). Here a failed
 * statement fails its whole batch, whose transaction is rolled back: inserts are OR FAIL, which
 * needs no such journal; an upsert (OR REPLACE) does, and a generation being built keeps it in memory.
 */
const ROWS_PER_INSERT = 32;
/** Values of one row of each table in FoldedRows. */
const LINE_VALUES = LINE_COLUMNS.length;
const SOURCE_VALUES = SOURCE_COLUMNS.length;
const PERSON_VALUES = 5;
const SUBSCRIPTION_VALUES = 8;
const SALE_VALUES = 7;
const CAP_USAGE_VALUES = 3;
/**
 * Lines folded, at most, before a writer thread is handed them (and the rows that came with them):
 * 512 against 2,048 was 3% faster at 100k events (median of 8 alternated runs) and 20 MB smaller.
 */
const LINES_PER_HANDOVER = 512;

/**
 * An insert of rows of `width` values each, from a flat array: ROWS_PER_INSERT to a statement, the
 * rest one by one; `then` follows the values (an upsert's ON CONFLICT).
 */
function rowsInsert(db: SqliteDatabase, into: string, width: number, then = ''): (values: readonly unknown[]) => void {
  const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  const one = db.prepare(`${into} VALUES ${row} ${then}`);
  const many = db.prepare(`${into} VALUES ${Array.from({ length: ROWS_PER_INSERT }, () => row).join(', ')} ${then}`);
  const manyValues = width * ROWS_PER_INSERT;
  return (values) => {
    let i = 0;
    for (; i + manyValues <= values.length; i += manyValues) many.run(values.slice(i, i + manyValues));
    for (; i < values.length; i += width) one.run(values.slice(i, i + width));
  };
}

/**
 * Rows of folded events as column values, table by table, each table's rows in the order they were
 * folded, and the checkpoint they reach: null for rows handed to a writer thread ahead of the rest of
 * their batch, which it commits with the part that has the checkpoint. Flat arrays of primitives,
 * so that they cross to a writer thread cheaply.
 */
export interface FoldedRows {
  readonly sources: unknown[];
  readonly people: unknown[];
  readonly subscriptions: unknown[];
  readonly sales: unknown[];
  readonly capUsage: unknown[];
  readonly lines: unknown[];
  checkpoint: Position | null;
}

function noRows(): FoldedRows {
  return { sources: [], people: [], subscriptions: [], sales: [], capUsage: [], lines: [], checkpoint: null };
}

/**
 * The position column of each row (`width` values from `offset`) from its text to its stored blob,
 * in place; a position is converted once for the rows in a run that share it (an event's lines).
 */
function storePositions(values: unknown[], width: number, offset: number): void {
  let text: unknown = undefined;
  let stored: Buffer | undefined;
  for (let i = offset; i < values.length; i += width) {
    if (values[i] !== text) {
      text = values[i];
      stored = storedPosition(text as Position);
    }
    values[i] = stored;
  }
}

const tablesOf = (rows: FoldedRows) => [
  rows.sources,
  rows.people,
  rows.subscriptions,
  rows.sales,
  rows.capUsage,
  rows.lines,
];

function clearRows(rows: FoldedRows): void {
  for (const values of tablesOf(rows)) values.length = 0;
  rows.checkpoint = null;
}

export function hasRows(rows: FoldedRows): boolean {
  return tablesOf(rows).some((values) => values.length > 0);
}

/**
 * A thread that commits folded rows to this file, in the order they were handed over (read-model-writer.ts).
 * `post` may wait for it to catch up; `settle` waits until everything posted is committed.
 */
export interface RowWriter {
  post(rows: FoldedRows): void;
  /** Waits until every row posted is committed (the last rows posted had their checkpoint). */
  settle(): void;
  /** Drops the rows posted since the last checkpoint, and settles. */
  rollback(): void;
  committedCheckpoint(): Position | null;
  /** Settles, then has the writer finish the build (finishBuild) and close the file. */
  finish(options: { indexes: boolean }): void;
  /** Settles, then has the writer close the file unfinished. */
  close(): void;
}

export class ReadModel implements LedgerView {
  private readonly db: SqliteDatabase;
  private readonly sql;
  private readonly people = new Map<string, PersonNode>();
  private readonly subscriptions = new Map<string, SubscriptionNode>();
  /** The queries' statements, by their SQL (a few dozen at most: each query module's constants). */
  private readonly queries = new Map<string, unknown>();
  private readonly capUsages = new Map<string, Money>();
  private readonly bounds: CacheBounds;
  /**
   * True while the caches hold every person, subscription and cap usage the file has: a build begun on
   * an empty file, until a cache is full and cleared. Then a name they lack is not in the file either.
   */
  private complete: boolean;
  /** Rows folded and not yet written (or handed to the writer thread). */
  private readonly pending = noRows();
  /** The last event whose rows are all in `pending` or written. */
  private folded: Position | null = null;
  private writer: RowWriter | null = null;
  private startWriter: ((checkpoint: Position | null) => RowWriter) | null = null;
  /** With a writer thread: events folded since its last commit, and how many it commits at once. */
  private foldedSinceCommit = 0;
  private eventsPerCommit = 0;

  /**
   * `building`: a new generation nobody reads yet. It is written without fsyncs (whole after a killed
   * process; begun again if the machine restarted meanwhile), with a bigger cache and without the
   * query indexes, and becomes a durable, indexed read model in finishBuild().
   * `indexes: false`: a what-if generation, finished without the query indexes (nobody's queries read
   * it, only its report's totals), is opened without them too; otherwise a file that lacks them gets
   * them when opened.
   */
  constructor(
    path: string,
    private readonly options: { building?: boolean; indexes?: boolean; cacheBounds?: CacheBounds } = {},
  ) {
    this.bounds = options.cacheBounds ?? CACHE_BOUNDS;
    this.db = openReadModelFile(path, options.building === true, options.indexes !== false);
    const db = this.db;
    this.sql = {
      checkpoint: db.prepare<[], { position: string | null }>('SELECT position FROM checkpoint WHERE id = 1'),
      setCheckpoint: db.prepare('UPDATE checkpoint SET position = ? WHERE id = 1'),
      person: db.prepare<
        [string],
        { person_id: string; sponsor_id: string | null; name: string; recruited_at: string }
      >('SELECT person_id, sponsor_id, name, recruited_at FROM people WHERE person_id = ?'),
      insertPeople: rowsInsert(
        db,
        'INSERT OR FAIL INTO people (person_id, sponsor_id, name, recruited_at, position)',
        PERSON_VALUES,
      ),
      subscription: db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE subscription_id = ?'),
      upsertSubscriptions: rowsInsert(
        db,
        `INSERT OR REPLACE INTO subscriptions (subscription_id, sale_id, owner_id, customer_id, product_code, currency,
         started_at, renewals)`,
        SUBSCRIPTION_VALUES,
      ),
      sale: db.prepare<[string], SaleRow>('SELECT * FROM sales WHERE sale_id = ?').safeIntegers(true),
      capUsage: db
        .prepare<[string], { currency: string; earned_minor: bigint }>(
          'SELECT currency, earned_minor FROM cap_usage WHERE usage_key = ?',
        )
        .safeIntegers(true),
      upsertCapUsages: rowsInsert(
        db,
        'INSERT OR REPLACE INTO cap_usage (usage_key, currency, earned_minor)',
        CAP_USAGE_VALUES,
      ),
      saleLines: db
        .prepare<[Buffer], LineRow>(
          'SELECT * FROM line_sources JOIN income_lines USING (position) WHERE position = ? ORDER BY line_no',
        )
        .safeIntegers(true),
      // a refund's row comes with the refund's position: a sale keeps its SaleMade's
      upsertSales: rowsInsert(
        db,
        'INSERT INTO sales (sale_id, customer_id, subscription_id, amount_minor, currency, refunded_minor, position)',
        SALE_VALUES,
        `ON CONFLICT (sale_id) DO UPDATE SET customer_id = excluded.customer_id,
         subscription_id = excluded.subscription_id, amount_minor = excluded.amount_minor,
         currency = excluded.currency, refunded_minor = excluded.refunded_minor`,
      ),
      insertSources: rowsInsert(db, `INSERT OR FAIL INTO line_sources (${SOURCE_COLUMNS.join(', ')})`, SOURCE_VALUES),
      insertLines: rowsInsert(db, `INSERT OR FAIL INTO income_lines (${LINE_COLUMNS.join(', ')})`, LINE_VALUES),
    };
    this.complete = options.building === true && this.checkpoint() === null;
  }

  /**
   * Hands this build's writing to a writer thread on the same file (generation-build.worker.ts),
   * started from the file's checkpoint (again so after a writer fails): from now on this connection
   * only reads, when the fold's view is not in its caches. The writer commits `eventsPerCommit`
   * events at a time, whatever the batches they come in: fewer commits rewrite fewer pages, and
   * smaller batches die young in the fold's heap.
   */
  writeThrough(start: (checkpoint: Position | null) => RowWriter, options: { eventsPerCommit: number }): void {
    if (!this.options.building) throw new Error('a writer thread is for a generation being built');
    this.startWriter = start;
    this.eventsPerCommit = options.eventsPerCommit;
    this.db.pragma(`cache_size = -${READING_CACHE_KIB}`); // the writer's connection has the big one
    this.folded = this.fileCheckpoint();
    this.writer = start(this.folded);
  }

  // ---- writing

  /**
   * Folds a batch of events of the global log, skipping any at or below the checkpoint, and moves
   * the checkpoint to the last one: in one transaction of this file, or, with a writer thread
   * (pipelined builds), by handing the rows to it, which commits them with their checkpoint once
   * enough have come. Returns the position the batch reaches (checkpoint() is what is committed).
   */
  applyBatch(events: readonly RecordedEvent[], plan: Plan): Position | null {
    try {
      if (this.writer !== null) return this.foldForWriter(events, plan);
      return this.db.transaction(() => this.foldAndWrite(events, plan)).immediate();
    } catch (error) {
      this.forgetUnwritten();
      throw error;
    }
  }

  private foldAndWrite(events: readonly RecordedEvent[], plan: Plan): Position | null {
    const checkpoint = this.fold(events, plan, this.checkpoint());
    this.pending.checkpoint = checkpoint;
    this.writeRows(this.pending);
    clearRows(this.pending);
    return checkpoint;
  }

  private foldForWriter(events: readonly RecordedEvent[], plan: Plan): Position | null {
    const reached = this.fold(events, plan, this.folded);
    this.foldedSinceCommit += events.length;
    if (this.foldedSinceCommit >= this.eventsPerCommit) {
      this.commitFolded();
    } else {
      this.writer!.post(this.pending);
      clearRows(this.pending);
    }
    return reached;
  }

  /** The writer thread is handed the rows folded so far with their checkpoint: it commits them. */
  private commitFolded(): void {
    this.pending.checkpoint = this.folded;
    this.writer!.post(this.pending);
    clearRows(this.pending);
    this.foldedSinceCommit = 0;
  }

  /**
   * The fold of a batch into `pending`'s rows, from the position `from` (events up to it are skipped);
   * `folded` is the last event whose rows are all there (or handed over).
   */
  private fold(events: readonly RecordedEvent[], plan: Plan, from: Position | null): Position | null {
    this.folded = from;
    for (const event of events) {
      if (this.folded !== null && comparePositions(event.position, this.folded) <= 0) continue;
      if (isLedgerStream(event.stream))
        this.collect(foldEvent(decodeLedgerEvent(event), this, plan), event.position, recordedAtOf(event));
      this.folded = event.position;
    }
    return this.folded;
  }

  /** A failed batch: its rows are dropped, and the caches may hold what they described. */
  private forgetUnwritten(): void {
    clearRows(this.pending);
    this.people.clear();
    this.subscriptions.clear();
    this.capUsages.clear();
    this.complete = false;
    if (this.writer === null) return;
    this.foldedSinceCommit = 0;
    try {
      // a writer thread drops the rows it was handed since its last commit; the fold goes on from there
      this.writer.rollback();
      this.folded = this.writer.committedCheckpoint();
    } catch {
      // it failed (and closed the file): the next starts from what was committed, where the fold goes on
      this.folded = this.fileCheckpoint();
      this.writer = this.startWriter!(this.folded);
    }
  }

  /** An event's effect as rows, in `pending`; the caches take the fold's new state at once. */
  private collect(effect: FoldEffect, position: Position, recordedAt: string): void {
    const rows = this.pending;
    const at = position; // stored as a blob by writeRows
    const first = effect.lines[0];
    if (first !== undefined) encodeSource(first, at, recordedAt, rows.sources);
    if (effect.person) {
      const p = effect.person;
      rows.people.push(p.personId, p.sponsorId, p.name, p.recruitedAt, at);
      this.remember(p);
    }
    if (effect.subscription) {
      const s = effect.subscription;
      rows.subscriptions.push(
        ...[s.subscriptionId, s.saleId, s.ownerId, s.customerId, s.productCode, s.currency, s.startedAt, s.renewals],
      );
      this.rememberSubscription(s);
    }
    if (effect.sale) {
      const s = effect.sale;
      const { saleId, customerId, subscriptionId, amount, currency, refunded } = s;
      rows.sales.push(saleId, customerId, subscriptionId, amount.minorUnits, currency, refunded.minorUnits, at);
    }
    for (const usage of effect.capUsage ?? []) {
      rows.capUsage.push(usage.key, usage.currency, usage.amount.minorUnits);
      this.rememberCapUsage(usage.key, usage.amount);
    }
    effect.lines.forEach((line: IncomeLine, i) => encodeLine(line, first!, at, i, rows.lines));
    // handed over as they come, not a whole batch at once: arrays that die young cost the GC little
    if (this.writer !== null && rows.lines.length >= LINE_VALUES * LINES_PER_HANDOVER) {
      this.writer.post(rows);
      clearRows(rows);
    }
  }

  /**
   * Writes folded rows, and their checkpoint if they have one, in the caller's transaction (the
   * writer thread's, or applyBatch's), ROWS_PER_INSERT to a statement.
   */
  private writeRows(rows: FoldedRows): void {
    storePositions(rows.sources, SOURCE_VALUES, 0);
    storePositions(rows.people, PERSON_VALUES, PERSON_VALUES - 1);
    storePositions(rows.sales, SALE_VALUES, SALE_VALUES - 1);
    storePositions(rows.lines, LINE_VALUES, 0);
    this.sql.insertSources(rows.sources);
    this.sql.insertPeople(rows.people);
    this.sql.upsertSubscriptions(rows.subscriptions);
    this.sql.upsertSales(rows.sales);
    this.sql.upsertCapUsages(rows.capUsage);
    this.sql.insertLines(rows.lines);
    if (rows.checkpoint !== null) this.sql.setCheckpoint.run(rows.checkpoint);
  }

  /**
   * The writer thread's side: rows handed over are written in the batch's transaction, begun by its
   * first rows and committed by the rows with its checkpoint.
   */
  writeHandedRows(rows: FoldedRows): void {
    if (!this.db.inTransaction) this.db.exec('BEGIN IMMEDIATE');
    try {
      this.writeRows(rows);
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
    if (rows.checkpoint !== null) this.db.exec('COMMIT');
  }

  /** The rows handed over since the last commit, dropped. */
  rollbackHandedRows(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  /**
   * Before the fold's view reads this file: the rows folded so far go in first (into this batch's
   * transaction, or through the writer thread, waited for), so that the file holds all the fold knows.
   */
  private drain(): void {
    if (this.writer === null) {
      this.writeRows(this.pending);
      clearRows(this.pending);
    } else {
      this.commitFolded();
      this.writer.settle();
    }
  }

  /**
   * Ends the build of a new generation before it serves: the query indexes in one sorted pass, every
   * page synced into the file, then the file marked built (synced again), and the serving settings.
   * `indexes: false` for a what-if generation, which is kept for its totals only.
   */
  finishBuild(options: { indexes: boolean }): void {
    if (!this.options.building) throw new Error('finishBuild of a read model that was not opened for building');
    if (this.writer !== null) {
      this.commitFolded();
      // this connection must not be the file's last (its close would checkpoint the finished file unsynced)
      this.db.close();
      return this.writer.finish(options);
    }
    // the index's sort takes as much memory again as the page cache, on top of what the cache holds already:
    // a small one for the sort (B4; no slower: 4.8 to 5.3 s against 6.6 to 7.8 s for 4.6M lines at 64 MiB)
    // (and it spills to files, not to memory as the upserts' journals do while building)
    this.db.pragma(`cache_size = -${INDEXING_CACHE_KIB}`);
    this.db.pragma('temp_store = DEFAULT');
    // the fold is over, and its core idle: SQLite's sorter may take it (2.0 to 2.3 s against 2.6 to 3.1 s for 2.3M lines)
    this.db.pragma(`threads = ${INDEXING_SORT_HELPERS}`);
    if (options.indexes) this.db.exec(QUERY_INDEXES);
    this.db.pragma('threads = 0');
    this.db.pragma(`cache_size = -${SERVING_CACHE_KIB}`);
    // in WAL mode a checkpoint at synchronous=FULL syncs the log before it copies, whatever readers hold
    this.db.pragma('synchronous = FULL');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.prepare('DELETE FROM build').run();
    this.db.pragma('synchronous = NORMAL');
  }

  /** Runs reads in one read transaction: one consistent snapshot, whatever the projector does meanwhile. */
  read<T>(reads: () => T): T {
    return this.db.transaction(reads).deferred();
  }

  /**
   * A read-only statement on this file, for the queries that sit beside their use case (people/,
   * statement/, pay-cycle/, generations/): integers come back as bigint, so money sums stay exact.
   * Prepared once per file and kept; `fresh` for a statement that will be iterated (it is busy until
   * its loop ends, so a kept one could not serve another query meanwhile).
   */
  prepareQuery<Params extends unknown[], Row>(
    sql: string,
    options: { fresh?: boolean } = {},
  ): Database.Statement<Params, Row> {
    const kept = options.fresh ? undefined : this.queries.get(sql);
    if (kept !== undefined) return kept as Database.Statement<Params, Row>;
    const statement = this.db.prepare<Params, Row>(sql);
    if (!statement.readonly) throw new Error(`a read model query must not write: ${sql}`);
    statement.safeIntegers(true);
    if (!options.fresh) this.queries.set(sql, statement);
    return statement;
  }

  // ---- the fold's view

  person(personId: string): PersonNode | undefined {
    const cached = this.people.get(personId);
    if (cached !== undefined || this.complete) return cached;
    this.drain();
    const row = this.sql.person.get(personId);
    if (row === undefined) return undefined;
    const person = {
      personId: row.person_id,
      sponsorId: row.sponsor_id,
      name: row.name,
      recruitedAt: row.recruited_at,
    };
    this.remember(person);
    return person;
  }

  private remember(person: PersonNode): void {
    if (this.people.size >= this.bounds.people) this.evict(this.people);
    this.people.set(person.personId, person);
  }

  subscription(subscriptionId: string): SubscriptionNode | undefined {
    const cached = this.subscriptions.get(subscriptionId);
    if (cached !== undefined || this.complete) return cached;
    this.drain();
    const row = this.sql.subscription.get(subscriptionId);
    if (row === undefined) return undefined;
    const subscription = {
      subscriptionId: row.subscription_id,
      saleId: row.sale_id,
      ownerId: row.owner_id,
      customerId: row.customer_id,
      productCode: row.product_code,
      currency: row.currency,
      startedAt: row.started_at,
      renewals: row.renewals,
    };
    this.rememberSubscription(subscription);
    return subscription;
  }

  private rememberSubscription(subscription: SubscriptionNode): void {
    if (this.subscriptions.size >= this.bounds.subscriptions) this.evict(this.subscriptions);
    this.subscriptions.set(subscription.subscriptionId, subscription);
  }

  capUsage(key: string): Money | undefined {
    const cached = this.capUsages.get(key);
    if (cached !== undefined || this.complete) return cached;
    this.drain();
    const row = this.sql.capUsage.get(key);
    const usage = row && Money.fromMinorUnits(row.earned_minor, row.currency);
    if (usage !== undefined) this.rememberCapUsage(key, usage);
    return usage;
  }

  private rememberCapUsage(key: string, usage: Money): void {
    if (this.capUsages.size >= this.bounds.capUsage) this.evict(this.capUsages);
    this.capUsages.set(key, usage);
  }

  /** A full cache starts again empty: from now on a name it lacks is looked up in the file. */
  private evict(cache: Map<string, unknown>): void {
    cache.clear();
    this.complete = false;
  }

  /** A sale, with its lines, for a refund: read from the file (after the rows folded before it). */
  sale(saleId: string): SaleNode | undefined {
    this.drain();
    const row = this.sql.sale.get(saleId);
    if (row === undefined) return undefined;
    const money = (minor: bigint) => Money.fromMinorUnits(minor, row.currency);
    return {
      saleId,
      customerId: row.customer_id,
      subscriptionId: row.subscription_id,
      amount: money(row.amount_minor),
      currency: row.currency,
      refunded: money(row.refunded_minor),
      lines: this.sql.saleLines
        .all(row.position)
        .map((l) => ({ ...provenanceOf(l), earnerId: l.earner_id, amount: money(l.amount_minor) })),
    };
  }

  // ---- the checkpoint and the whole file

  /** The position the file's committed rows reach (with a writer thread: what it has committed). */
  checkpoint(): Position | null {
    return this.writer === null ? this.fileCheckpoint() : this.writer.committedCheckpoint();
  }

  private fileCheckpoint(): Position | null {
    return this.sql.checkpoint.get()?.position ?? null;
  }

  /** sha256 over every row of every table, in key order: equal digests, equal read models. */
  contentDigest(): string {
    const hash = createHash('sha256');
    const tables = [
      'SELECT position FROM checkpoint',
      'SELECT * FROM people ORDER BY person_id',
      'SELECT * FROM subscriptions ORDER BY subscription_id',
      'SELECT * FROM sales ORDER BY sale_id',
      'SELECT * FROM cap_usage ORDER BY usage_key',
      'SELECT * FROM income_lines ORDER BY position, line_no',
      'SELECT * FROM line_sources ORDER BY position',
    ];
    for (const query of tables) {
      for (const row of this.db.prepare(query).safeIntegers(true).iterate()) {
        hash.update(JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
        hash.update('\n');
      }
    }
    return hash.digest('hex');
  }

  /** Closes the file; with a writer thread, what was folded is committed first (a stop keeps its work). */
  close(): void {
    if (this.writer !== null && this.db.open) this.commitFolded();
    if (this.db.open) this.db.close();
    this.writer?.close();
  }
}

const SERVING_CACHE_KIB = 65_536;
/** The page cache while the query index of a finished build is sorted: the sort's memory is as much again. */
const INDEXING_CACHE_KIB = 16_384;
/** The fold's own connection to a file a writer thread builds: it reads a sale for a refund, and little else. */
const READING_CACHE_KIB = 8_192;
/** Threads of its own SQLite may sort the query indexes with, besides the writer's. */
const INDEXING_SORT_HELPERS = 1;
const BUILDING_CACHE_KIB = 131_072;
const SERVING_WAL_PAGES = 25_000;

/**
 * Opens (creating) a generation file. Atomic, not durable: a read model is derived from the log,
 * and its checkpoint commits with its rows, so a power cut can only take both back together, and
 * the fold redoes them (WAL with synchronous=NORMAL is safe against a killed process). The event
 * store stays synchronous=FULL. A file being built runs synchronous=OFF until finishBuild().
 */
function openReadModelFile(path: string, building: boolean, indexes: boolean): SqliteDatabase {
  let db = openSqlite(path, { busyTimeoutMs: 30_000 });
  const empty = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table'").get() === undefined;
  const version = empty ? READ_MODEL_SCHEMA_VERSION : (db.pragma('user_version', { simple: true }) as number);
  if (version !== READ_MODEL_SCHEMA_VERSION) {
    db.close();
    throw new ReadModelSchemaError(path, version);
  }
  const bootId = machineBootId();
  if (building && !empty && builtInAnotherBoot(db, bootId)) {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    db = openSqlite(path, { busyTimeoutMs: 30_000 });
  }
  const midBuild = !empty && buildRow(db) !== undefined;
  const unsynced = building && bootId !== null;
  db.pragma(`synchronous = ${unsynced ? 'OFF' : 'NORMAL'}`);
  db.pragma(`cache_size = -${building ? BUILDING_CACHE_KIB : SERVING_CACHE_KIB}`);
  // an upsert's statement journal (ROWS_PER_INSERT) in memory: a few pages a statement
  if (building) db.pragma('temp_store = MEMORY');
  db.pragma(`wal_autocheckpoint = ${SERVING_WAL_PAGES}`);
  // tables and version in one transaction: a crash leaves an empty file or a whole schema
  const start = building && !midBuild ? 'INSERT OR REPLACE INTO build (id, boot_id) VALUES (1, ?);' : '';
  db.transaction(() => {
    db.exec(
      `${TABLES}; ${building || midBuild || !indexes ? '' : QUERY_INDEXES}; PRAGMA user_version = ${READ_MODEL_SCHEMA_VERSION};`,
    );
    if (start !== '') db.prepare(start).run(unsynced ? bootId : null);
  }).immediate();
  return db;
}

/** True when the file was being built without fsyncs in another boot of the machine (or on another machine). */
function builtInAnotherBoot(db: SqliteDatabase, bootId: string | null): boolean {
  const row = buildRow(db);
  return row !== undefined && row.boot_id !== null && row.boot_id !== bootId;
}

/** The build's row: present from the start of a build to its finish (files of other layouts may not have the table). */
function buildRow(db: SqliteDatabase): { boot_id: string | null } | undefined {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'build'").get();
  return table === undefined
    ? undefined
    : db.prepare<[], { boot_id: string | null }>('SELECT boot_id FROM build').get();
}
