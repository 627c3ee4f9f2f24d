// The read models: people, subscriptions and priced income lines, in their own SQLite file,
// with the checkpoint in the same transaction as the rows it covers. A redelivered event is at
// or below the checkpoint and is skipped, so nothing is ever counted twice.
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { ApiProperty } from '@nestjs/swagger';
import type Database from 'better-sqlite3';
import { openSqlite, type SqliteDatabase } from '../../event-store/sqlite/open-sqlite.js';
import { comparePositions, type Position, type RecordedEvent } from '../../event-store/event-store.port.js';
import { everyOf } from '../../shared/exhaustive.js';
import { Money, minorUnitsOfAmount } from '../../shared/money.js';
import { decodeLedgerEvent, isLedgerStream, recordedAtOf } from '../events.js';
import type { CapName, Plan } from '../plan/plan.js';
import type { KnowledgePoint } from '../generations/catalog.js';
import { machineBootId } from '../generations/machine-boot.js';
import {
  foldEvent,
  type IncomeKind,
  type IncomeLine,
  type LedgerView,
  type PersonNode,
  type RuleName,
  type SaleNode,
  type SourceRef,
  type SubscriptionNode,
} from './income.fold.js';

/** Bumped whenever the tables change; a generation file of another version is rebuilt from the log. */
export const READ_MODEL_SCHEMA_VERSION = 4;

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
  -- line came from is stored once, in line_sources, however many lines it produced.
  CREATE TABLE IF NOT EXISTS income_lines (
    position     BLOB    NOT NULL,
    line_no      INTEGER NOT NULL,
    earner_id    TEXT    NOT NULL,
    rule         TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    generation   INTEGER,
    amount_minor INTEGER NOT NULL,
    currency     TEXT    NOT NULL,
    base_minor   INTEGER NOT NULL,
    rate         TEXT,
    fixed_minor  INTEGER,
    product      TEXT,
    step         TEXT,
    cap          TEXT,
    uncapped_minor INTEGER,
    plan_version TEXT    NOT NULL,
    occurred_at  TEXT    NOT NULL,
    PRIMARY KEY (position, line_no)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS line_sources (
    position     BLOB    NOT NULL PRIMARY KEY,
    event_id     TEXT    NOT NULL,
    event_type   TEXT    NOT NULL,
    stream       TEXT    NOT NULL,
    revision     INTEGER NOT NULL,
    recorded_at  TEXT    NOT NULL
  ) WITHOUT ROWID;
  -- The fold looks up a sale's own lines (to answer a refund), nothing else by stream: indexing only
  -- the sales keeps renewals and conversions, most of the events, out of this index.
  CREATE INDEX IF NOT EXISTS sources_of_sales ON line_sources (stream) WHERE event_type = 'SaleMade';
  CREATE TABLE IF NOT EXISTS sales (
    sale_id         TEXT PRIMARY KEY,
    customer_id     TEXT    NOT NULL,
    subscription_id TEXT,
    amount_minor    INTEGER NOT NULL,
    currency        TEXT    NOT NULL,
    refunded_minor  INTEGER NOT NULL
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

// The answer types below are classes only so that their @ApiProperty describes them in the OpenAPI
// document; they are built as plain objects. Amounts are decimal strings fixed to the currency's minor units.
const AMOUNT = { description: "Decimal string fixed to the currency's minor units", example: '10.00' };

/** A person's income in one currency, split by kind. */
export class IncomeTotals {
  @ApiProperty({ description: 'ISO 4217', example: 'USD' })
  readonly currency!: string;
  @ApiProperty(AMOUNT)
  readonly residual!: string;
  @ApiProperty(AMOUNT)
  readonly passive!: string;
  @ApiProperty(AMOUNT)
  readonly oneOff!: string;
  @ApiProperty(AMOUNT)
  readonly total!: string;
}

/** Business-time window: from inclusive, to exclusive, canonical UTC instants. */
export interface Period {
  readonly from?: string;
  readonly to?: string;
}

/** The event a line came from, exactly (the fold's SourceRef). */
export class LineSource implements SourceRef {
  @ApiProperty({ format: 'uuid' })
  readonly eventId!: string;
  @ApiProperty({ example: 'SaleMade' })
  readonly eventType!: string;
  @ApiProperty({ example: 'sale-S-1' })
  readonly stream!: string;
  @ApiProperty({ type: 'integer', example: 0 })
  readonly revision!: number;
  @ApiProperty({ description: 'Global position, a decimal string', example: '3' })
  readonly position!: string;
}

/** One priced ledger line with its provenance. */
export class HistoryLine {
  @ApiProperty({ enum: everyOf<IncomeKind>()('one-off', 'residual', 'passive') })
  readonly kind!: IncomeKind;
  @ApiProperty({ enum: everyOf<RuleName>()('directSale', 'renewal', 'override', 'affiliate', 'fastStart') })
  readonly rule!: RuleName;
  @ApiProperty({ ...AMOUNT, description: `${AMOUNT.description}; negative for a refund` })
  readonly amount!: string;
  @ApiProperty({ example: 'USD' })
  readonly currency!: string;
  @ApiProperty({ ...AMOUNT, example: '100.00' })
  readonly baseAmount!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The rate applied, a decimal string; null for a fixed amount',
    example: '0.1',
  })
  readonly rate!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The fixed amount the rule pays, when it pays one' })
  readonly fixedAmount!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Overrides: 1 for the sponsor, 2 for theirs...' })
  readonly generation!: number | null;
  @ApiProperty({ type: String, nullable: true, description: "The sale's product code, if it had one" })
  readonly product!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The step of a recurring rule that applied' })
  readonly step!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: everyOf<CapName>()('perLine', 'perSubscription', 'perCustomer'),
    description: 'The cap that cut the line',
  })
  readonly cap!: CapName | null;
  @ApiProperty({ type: String, nullable: true, description: 'What the line would have been without the cap' })
  readonly uncappedAmount!: string | null;
  @ApiProperty({ example: '2025-01' })
  readonly planVersion!: string;
  @ApiProperty({ format: 'date-time', description: 'Business time of the fact' })
  readonly occurredAt!: string;
  /** When the ledger recorded the fact: the knowledge time of the line. */
  @ApiProperty({ format: 'date-time', description: 'When the ledger recorded the fact: its knowledge time' })
  readonly recordedAt!: string;
  @ApiProperty({ type: LineSource })
  readonly source!: LineSource;
}

export class HistoryPage {
  @ApiProperty({ type: [HistoryLine] })
  readonly lines!: HistoryLine[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' })
  readonly nextCursor!: string | null;
}

/** Sorts after every canonical instant: the open end of a period. */
const END_OF_TIME = '~';
/** Sorts after every stored position (whose first byte, their length, is at most 17). */
const END_OF_LOG = Buffer.from([0xff]);
/** Sorts before every stored position. */
const START_OF_LOG = Buffer.alloc(0);

/** A line with the event it came from. */
const LINES = 'SELECT * FROM income_lines JOIN line_sources USING (position)';

export class DownlineNode {
  @ApiProperty({ example: 'ben' })
  readonly personId!: string;
  @ApiProperty({ example: 'Ben' })
  readonly name!: string;
  @ApiProperty({ format: 'date-time' })
  readonly recruitedAt!: string;
  @ApiProperty({ type: 'integer', description: '1 for those the person recruited, 2 for theirs...' })
  readonly generation!: number;
  @ApiProperty({ type: () => [DownlineNode] })
  readonly downline!: DownlineNode[];
}

interface LineRow {
  position: Buffer;
  line_no: bigint;
  earner_id: string;
  rule: RuleName;
  kind: IncomeKind;
  generation: bigint | null;
  amount_minor: bigint;
  currency: string;
  base_minor: bigint;
  rate: string | null;
  fixed_minor: bigint | null;
  product: string | null;
  step: string | null;
  cap: CapName | null;
  uncapped_minor: bigint | null;
  plan_version: string;
  occurred_at: string;
  event_id: string;
  event_type: string;
  stream: string;
  revision: bigint;
  recorded_at: string;
}

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
}

/** Minor units of an amount the fold wrote (null stays null): by moving the decimal point, no decimal on the way. */
const minorOf = (amount: string | null, currency: string): bigint | null =>
  amount === null ? null : minorUnitsOfAmount(amount, currency);

const DOWNLINE_NODES_MAX = 10_000;

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

/** Lines of one kind, rule and/or currency only (a history query's filters; each optional). */
export interface HistoryFilters {
  readonly kind?: IncomeKind;
  readonly rule?: RuleName;
  readonly currency?: string;
}
type HistoryFilterParams = [
  IncomeKind | null,
  IncomeKind | null,
  RuleName | null,
  RuleName | null,
  string | null,
  string | null,
];

/** People are never changed once recruited: the fold's upline walks read them from memory. */
const PEOPLE_CACHED_MAX = 200_000;
/**
 * Every renewal reads its subscription from memory; a subscription changes only through the fold's
 * effects (its renewal count), which write it here and to its row together.
 */
const SUBSCRIPTIONS_CACHED_MAX = 500_000;

const LINE_INSERT = `INSERT INTO income_lines (position, line_no, earner_id, rule, kind, generation, amount_minor,
  currency, base_minor, rate, fixed_minor, product, step, cap, uncapped_minor, plan_version, occurred_at) VALUES `;
const LINE_COLUMNS = 17;
const LINES_PER_INSERT = 32;
const lineValues = (rows: number) =>
  Array.from({ length: rows }, () => `(${Array.from({ length: LINE_COLUMNS }, () => '?').join(', ')})`).join(', ');

export class ReadModel implements LedgerView {
  private readonly db: SqliteDatabase;
  private readonly sql;
  private readonly people = new Map<string, PersonNode>();
  private readonly subscriptions = new Map<string, SubscriptionNode>();
  /** Column values of lines folded but not yet inserted, LINE_COLUMNS per line. */
  private readonly pendingLines: unknown[] = [];

  /**
   * `building`: a new generation nobody reads yet. It is written without fsyncs (whole after a killed
   * process; begun again if the machine restarted meanwhile), with a bigger cache and without the
   * query indexes, and becomes a durable, indexed read model in finishBuild().
   */
  constructor(
    path: string,
    private readonly options: { building?: boolean } = {},
  ) {
    this.db = openReadModelFile(path, options.building === true);
    const db = this.db;
    this.sql = {
      checkpoint: db.prepare<[], { position: string | null }>('SELECT position FROM checkpoint WHERE id = 1'),
      setCheckpoint: db.prepare('UPDATE checkpoint SET position = ? WHERE id = 1'),
      person: db.prepare<
        [string],
        { person_id: string; sponsor_id: string | null; name: string; recruited_at: string }
      >('SELECT person_id, sponsor_id, name, recruited_at FROM people WHERE person_id = ?'),
      insertPerson: db.prepare(
        'INSERT INTO people (person_id, sponsor_id, name, recruited_at, position) VALUES (?, ?, ?, ?, ?)',
      ),
      subscription: db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE subscription_id = ?'),
      upsertSubscription: db.prepare(
        `INSERT OR REPLACE INTO subscriptions (subscription_id, sale_id, owner_id, customer_id, product_code, currency,
         started_at, renewals) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      sale: db.prepare<[string], SaleRow>('SELECT * FROM sales WHERE sale_id = ?').safeIntegers(true),
      capUsage: db
        .prepare<[string], { currency: string; earned_minor: bigint }>(
          'SELECT currency, earned_minor FROM cap_usage WHERE usage_key = ?',
        )
        .safeIntegers(true),
      upsertCapUsage: db.prepare(
        'INSERT OR REPLACE INTO cap_usage (usage_key, currency, earned_minor) VALUES (?, ?, ?)',
      ),
      saleLines: db
        .prepare<[string], LineRow>(
          `SELECT * FROM line_sources JOIN income_lines USING (position)
           WHERE stream = ? AND event_type = 'SaleMade' ORDER BY position, line_no`,
        )
        .safeIntegers(true),
      upsertSale: db.prepare(
        `INSERT OR REPLACE INTO sales (sale_id, customer_id, subscription_id, amount_minor, currency, refunded_minor)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      insertSource: db.prepare(
        'INSERT INTO line_sources (position, event_id, event_type, stream, revision, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertLine: db.prepare(LINE_INSERT + lineValues(1)),
      insertLines: db.prepare(LINE_INSERT + lineValues(LINES_PER_INSERT)),
      totals: db
        .prepare<[string, string, string], { currency: string; kind: IncomeKind; minor: bigint }>(
          `SELECT currency, kind, SUM(amount_minor) AS minor FROM income_lines
         WHERE earner_id = ? AND occurred_at >= ? AND occurred_at < ? GROUP BY currency, kind ORDER BY currency`,
        )
        .safeIntegers(true),
      history: db
        .prepare<[string, Buffer, bigint, string, string, ...HistoryFilterParams, number], LineRow>(
          `${LINES} WHERE earner_id = ? AND (position, line_no) > (?, ?)
           AND occurred_at >= ? AND occurred_at < ?
           AND (? IS NULL OR kind = ?) AND (? IS NULL OR rule = ?) AND (? IS NULL OR currency = ?)
           ORDER BY position, line_no LIMIT ?`,
        )
        .safeIntegers(true),
      downline: db.prepare<
        [string, number, number],
        { person_id: string; sponsor_id: string | null; name: string; recruited_at: string; generation: number }
      >(
        `WITH RECURSIVE tree (person_id, sponsor_id, name, recruited_at, generation) AS (
           SELECT person_id, sponsor_id, name, recruited_at, 0 FROM people WHERE person_id = ?
           UNION ALL
           SELECT p.person_id, p.sponsor_id, p.name, p.recruited_at, t.generation + 1
             FROM people p JOIN tree t ON p.sponsor_id = t.person_id WHERE t.generation < ?
         ) SELECT * FROM tree ORDER BY generation, recruited_at, person_id LIMIT ?`,
      ),
    };
  }

  // ---- writing

  /**
   * Folds a batch of events of the global log in one transaction, skipping any at or below the
   * checkpoint, and moves the checkpoint to the last one. Returns the new checkpoint.
   */
  applyBatch(events: readonly RecordedEvent[], plan: Plan): Position | null {
    try {
      return this.applyInTransaction(events, plan);
    } catch (error) {
      // they may hold people and subscriptions of the batch that was rolled back
      this.people.clear();
      this.subscriptions.clear();
      this.pendingLines.length = 0;
      throw error;
    }
  }

  private applyInTransaction(events: readonly RecordedEvent[], plan: Plan): Position | null {
    return this.db
      .transaction(() => {
        let checkpoint = this.checkpoint();
        for (const event of events) {
          if (checkpoint !== null && comparePositions(event.position, checkpoint) <= 0) continue;
          if (isLedgerStream(event.stream))
            this.write(foldEvent(decodeLedgerEvent(event), this, plan), event.position, recordedAtOf(event));
          checkpoint = event.position;
        }
        this.flushLines();
        if (checkpoint !== null) this.sql.setCheckpoint.run(checkpoint);
        return checkpoint;
      })
      .immediate();
  }

  private write(effect: ReturnType<typeof foldEvent>, position: Position, recordedAt: string): void {
    const at = storedPosition(position);
    const first = effect.lines[0];
    if (first !== undefined) {
      const source = first.source;
      this.sql.insertSource.run(at, source.eventId, source.eventType, source.stream, source.revision, recordedAt);
    }
    if (effect.person) {
      const p = effect.person;
      this.sql.insertPerson.run(p.personId, p.sponsorId, p.name, p.recruitedAt, at);
      this.remember(p);
    }
    if (effect.subscription) {
      const s = effect.subscription;
      this.sql.upsertSubscription.run(
        ...[s.subscriptionId, s.saleId, s.ownerId, s.customerId, s.productCode, s.currency, s.startedAt, s.renewals],
      );
      this.rememberSubscription(s);
    }
    if (effect.sale) {
      const s = effect.sale;
      const minor = (amount: string) => minorUnitsOfAmount(amount, s.currency);
      this.sql.upsertSale.run(s.saleId, s.customerId, s.subscriptionId, minor(s.amount), s.currency, minor(s.refunded));
    }
    for (const usage of effect.capUsage ?? [])
      this.sql.upsertCapUsage.run(usage.key, usage.currency, minorUnitsOfAmount(usage.amount, usage.currency));
    effect.lines.forEach((line: IncomeLine, i) => {
      const minor = (amount: string | null) => minorOf(amount, line.currency);
      this.pendingLines.push(
        at,
        i,
        line.earnerId,
        line.rule,
        line.kind,
        line.generation,
        minor(line.amount),
        line.currency,
        minor(line.baseAmount),
        line.rate,
        minor(line.fixedAmount),
        line.product,
        line.step,
        line.cap,
        minor(line.uncappedAmount),
        line.planVersion,
        line.occurredAt,
      );
      if (this.pendingLines.length === LINE_COLUMNS * LINES_PER_INSERT) this.flushLines();
    });
  }

  /** Lines are inserted LINES_PER_INSERT to a statement: one call into SQLite for many rows. */
  private flushLines(): void {
    const values = this.pendingLines;
    if (values.length === 0) return;
    if (values.length === LINE_COLUMNS * LINES_PER_INSERT) this.sql.insertLines.run(values);
    else
      for (let i = 0; i < values.length; i += LINE_COLUMNS) this.sql.insertLine.run(values.slice(i, i + LINE_COLUMNS));
    values.length = 0;
  }

  /**
   * Ends the build of a new generation before it serves: the query indexes in one sorted pass, every
   * page synced into the file, then the file marked built (synced again), and the serving settings.
   * `indexes: false` for a what-if generation, which is kept for its totals only.
   */
  finishBuild(options: { indexes: boolean }): void {
    if (!this.options.building) throw new Error('finishBuild of a read model that was not opened for building');
    if (options.indexes) this.db.exec(QUERY_INDEXES);
    // in WAL mode a checkpoint at synchronous=FULL syncs the log before it copies, whatever readers hold
    this.db.pragma('synchronous = FULL');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.prepare('DELETE FROM build').run();
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`cache_size = -${SERVING_CACHE_KIB}`);
  }

  /** Runs reads in one read transaction: one consistent snapshot, whatever the projector does meanwhile. */
  read<T>(reads: () => T): T {
    return this.db.transaction(reads).deferred();
  }

  /**
   * A read-only statement on this file, for the queries that sit beside their use case
   * (income/people/): integers come back as bigint, so money sums stay exact.
   */
  prepareQuery<Params extends unknown[], Row>(sql: string): Database.Statement<Params, Row> {
    const statement = this.db.prepare<Params, Row>(sql);
    if (!statement.readonly) throw new Error(`a read model query must not write: ${sql}`);
    return statement.safeIntegers(true);
  }

  // ---- the fold's view

  person(personId: string): PersonNode | undefined {
    const cached = this.people.get(personId);
    if (cached !== undefined) return cached;
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
    if (this.people.size >= PEOPLE_CACHED_MAX) this.people.clear();
    this.people.set(person.personId, person);
  }

  subscription(subscriptionId: string): SubscriptionNode | undefined {
    const cached = this.subscriptions.get(subscriptionId);
    if (cached !== undefined) return cached;
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
    if (this.subscriptions.size >= SUBSCRIPTIONS_CACHED_MAX) this.subscriptions.clear();
    this.subscriptions.set(subscription.subscriptionId, subscription);
  }

  capUsage(key: string): string | undefined {
    const row = this.sql.capUsage.get(key);
    return row && Money.fromMinorUnits(row.earned_minor, row.currency).toString();
  }

  sale(saleId: string): SaleNode | undefined {
    this.flushLines(); // a refund reads the sale's lines back from the table, maybe folded in this batch
    const row = this.sql.sale.get(saleId);
    if (row === undefined) return undefined;
    const money = (minor: bigint) => Money.fromMinorUnits(minor, row.currency).toString();
    return {
      saleId,
      customerId: row.customer_id,
      subscriptionId: row.subscription_id,
      amount: money(row.amount_minor),
      currency: row.currency,
      refunded: money(row.refunded_minor),
      lines: this.sql.saleLines.all(`sale-${saleId}`).map((l) => {
        const { rule, kind, generation, amount, rate, fixedAmount, product, step, cap, planVersion } = toHistoryLine(l);
        return {
          earnerId: l.earner_id,
          rule,
          kind,
          generation,
          amount,
          rate,
          fixedAmount,
          product,
          step,
          cap,
          planVersion,
        };
      }),
    };
  }

  // ---- queries

  checkpoint(): Position | null {
    return this.sql.checkpoint.get()?.position ?? null;
  }

  /** The latest business time of any line: a plan change from after it re-prices nothing. */
  latestBusinessTime(): string | null {
    return (
      this.db.prepare<[], { at: string | null }>('SELECT MAX(occurred_at) AS at FROM income_lines').get()?.at ?? null
    );
  }

  /** Every person's totals per currency and kind, over lines up to a position: for what-if reports. */
  allTotals(upTo: Position): Map<string, bigint> {
    const totals = new Map<string, bigint>();
    const rows = this.db
      .prepare<[Buffer], { earner_id: string; currency: string; kind: IncomeKind; minor: bigint }>(
        'SELECT earner_id, currency, kind, SUM(amount_minor) AS minor FROM income_lines WHERE position <= ? GROUP BY earner_id, currency, kind',
      )
      .safeIntegers(true)
      .all(storedPosition(upTo));
    for (const row of rows) totals.set(`${row.earner_id}\u0000${row.currency}\u0000${row.kind}`, row.minor);
    return totals;
  }

  /**
   * Per rule and currency (keyed `rule \0 currency`), how many events up to a position earned nothing
   * from a rule because its fixed amounts name no amount in their currency (lines with neither rate nor
   * fixed amount; their refunds not counted again).
   */
  unpricedEvents(upTo: Position): Map<string, number> {
    const rows = this.db
      .prepare<[Buffer], { rule: string; currency: string; events: number }>(
        `SELECT rule, currency, COUNT(DISTINCT position) AS events FROM income_lines JOIN line_sources USING (position)
         WHERE rate IS NULL AND fixed_minor IS NULL AND event_type <> 'SaleRefunded' AND position <= ?
         GROUP BY rule, currency`,
      )
      .all(storedPosition(upTo));
    return new Map(rows.map((row) => [`${row.rule}\u0000${row.currency}`, row.events]));
  }

  totals(personId: string, period: Period): IncomeTotals[] {
    const byCurrency = new Map<string, Record<IncomeKind, bigint>>();
    for (const row of this.sql.totals.all(personId, period.from ?? '', period.to ?? END_OF_TIME)) {
      const sums = byCurrency.get(row.currency) ?? { 'one-off': 0n, residual: 0n, passive: 0n };
      sums[row.kind] += row.minor;
      byCurrency.set(row.currency, sums);
    }
    return [...byCurrency.entries()].map(([currency, sums]) => ({
      currency,
      residual: Money.fromMinorUnits(sums.residual, currency).toString(),
      passive: Money.fromMinorUnits(sums.passive, currency).toString(),
      oneOff: Money.fromMinorUnits(sums['one-off'], currency).toString(),
      total: Money.fromMinorUnits(sums.residual + sums.passive + sums['one-off'], currency).toString(),
    }));
  }

  history(
    personId: string,
    options: Period & HistoryFilters & { after?: { position: string; lineNo: number }; limit: number },
  ): HistoryPage {
    const after = options.after ?? { position: '', lineNo: 0 };
    const { kind = null, rule = null, currency = null } = options;
    const rows = this.sql.history.all(
      personId,
      after.position === '' ? START_OF_LOG : storedPosition(after.position),
      BigInt(after.lineNo),
      options.from ?? '',
      options.to ?? END_OF_TIME,
      ...([kind, kind, rule, rule, currency, currency] as const),
      options.limit + 1,
    );
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      lines: page.map(toHistoryLine),
      nextCursor:
        rows.length > options.limit && last ? encodeCursor(loadedPosition(last.position), Number(last.line_no)) : null,
    };
  }

  /**
   * The events that produced lines for a person (their own sales and conversions, their downline's
   * sales and renewals, refunds of either), in log order, each with the person's lines from it.
   */
  eventsOf(
    personId: string,
    options: { after?: Position; limit: number },
  ): { events: { position: Position; lines: HistoryLine[] }[]; nextCursor: string | null } {
    const positions = this.db
      .prepare<[string, Buffer, number], { position: Buffer }>(
        'SELECT DISTINCT position FROM income_lines WHERE earner_id = ? AND position > ? ORDER BY position LIMIT ?',
      )
      .all(personId, options.after === undefined ? START_OF_LOG : storedPosition(options.after), options.limit + 1);
    const page = positions.slice(0, options.limit);
    const linesAt = this.db
      .prepare<[string, Buffer], LineRow>(`${LINES} WHERE earner_id = ? AND position = ? ORDER BY line_no`)
      .safeIntegers(true);
    const events = page.map(({ position }) => ({
      position: loadedPosition(position),
      lines: linesAt.all(personId, position).map(toHistoryLine),
    }));
    const last = events[events.length - 1];
    return { events, nextCursor: positions.length > options.limit && last ? encodeCursor(last.position, 0) : null };
  }

  /**
   * What a statement of a person needs, as the ledger knew it at a knowledge point (every line when
   * none is given): the sums before the period per currency and kind, and the period's lines in
   * business-time order. At most `limit` lines; `truncated` when there were more.
   */
  statementLines(
    personId: string,
    period: { from: string; to: string },
    known: KnowledgePoint | undefined,
    limit: number,
  ): { opening: { currency: string; kind: IncomeKind; minor: bigint }[]; lines: HistoryLine[]; truncated: boolean } {
    const upTo = known !== undefined && 'position' in known ? storedPosition(known.position) : END_OF_LOG;
    const recordedBy = known !== undefined && 'recordedAt' in known ? known.recordedAt : END_OF_TIME;
    const opening = this.db
      .prepare<[string, string, Buffer, string], { currency: string; kind: IncomeKind; minor: bigint }>(
        `SELECT currency, kind, SUM(amount_minor) AS minor FROM income_lines JOIN line_sources USING (position)
         WHERE earner_id = ? AND occurred_at < ? AND position <= ? AND recorded_at <= ?
         GROUP BY currency, kind ORDER BY currency, kind`,
      )
      .safeIntegers(true)
      .all(personId, period.from, upTo, recordedBy);
    const rows = this.db
      .prepare<[string, string, string, Buffer, string, number], LineRow>(
        `${LINES}
         WHERE earner_id = ? AND occurred_at >= ? AND occurred_at < ? AND position <= ? AND recorded_at <= ?
         ORDER BY occurred_at, position, line_no LIMIT ?`,
      )
      .safeIntegers(true)
      .all(personId, period.from, period.to, upTo, recordedBy, limit + 1);
    return { opening, lines: rows.slice(0, limit).map(toHistoryLine), truncated: rows.length > limit };
  }

  /** Every line dated before `to`, with its earner, in log order: what a close of the pay cycle folds. */
  *linesDatedBefore(to: string): Generator<HistoryLine & { readonly earnerId: string }> {
    const rows = this.db
      .prepare<[string], LineRow>(`${LINES} WHERE occurred_at < ? ORDER BY position, line_no`)
      .safeIntegers(true)
      .iterate(to);
    for (const row of rows) yield { ...toHistoryLine(row), earnerId: row.earner_id };
  }

  /** A person's refund lines the ledger did not yet know at a knowledge point, whatever their date. */
  refundLinesAfter(personId: string, known: KnowledgePoint): HistoryLine[] {
    const [column, value] =
      'position' in known ? ['position', storedPosition(known.position)] : ['recorded_at', known.recordedAt];
    return this.db
      .prepare<[string, Buffer | string], LineRow>(
        `${LINES} WHERE earner_id = ? AND event_type = 'SaleRefunded' AND ${column} > ? ORDER BY position, line_no`,
      )
      .safeIntegers(true)
      .all(personId, value)
      .map(toHistoryLine);
  }

  /** The tree under a person, `depth` generations deep. Null for an unknown person. */
  downline(personId: string, depth: number): { root: DownlineNode; truncated: boolean } | null {
    const rows = this.sql.downline.all(personId, depth, DOWNLINE_NODES_MAX + 1);
    if (rows.length === 0) return null;
    const nodes = new Map<string, DownlineNode>();
    for (const row of rows.slice(0, DOWNLINE_NODES_MAX)) {
      const node: DownlineNode = {
        personId: row.person_id,
        name: row.name,
        recruitedAt: row.recruited_at,
        generation: row.generation,
        downline: [],
      };
      nodes.set(row.person_id, node);
      if (row.generation > 0 && row.sponsor_id !== null) nodes.get(row.sponsor_id)?.downline.push(node);
    }
    return { root: nodes.get(personId)!, truncated: rows.length > DOWNLINE_NODES_MAX };
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

  close(): void {
    if (this.db.open) this.db.close();
  }
}

const SERVING_CACHE_KIB = 65_536;
const BUILDING_CACHE_KIB = 131_072;
const SERVING_WAL_PAGES = 25_000;

/**
 * Opens (creating) a generation file. Atomic, not durable: a read model is derived from the log,
 * and its checkpoint commits with its rows, so a power cut can only take both back together, and
 * the fold redoes them (WAL with synchronous=NORMAL is safe against a killed process). The event
 * store stays synchronous=FULL. A file being built runs synchronous=OFF until finishBuild().
 */
function openReadModelFile(path: string, building: boolean): SqliteDatabase {
  let db = openSqlite(path, { busyTimeoutMs: 30_000 });
  const version = db.pragma('user_version', { simple: true }) as number;
  const empty = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table'").get() === undefined;
  if (!empty && version !== READ_MODEL_SCHEMA_VERSION) {
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
  db.pragma(`wal_autocheckpoint = ${SERVING_WAL_PAGES}`);
  // tables and version in one transaction: a crash leaves an empty file or a whole schema
  const start = building && !midBuild ? 'INSERT OR REPLACE INTO build (id, boot_id) VALUES (1, ?);' : '';
  db.transaction(() => {
    db.exec(
      `${TABLES}; ${building || midBuild ? '' : QUERY_INDEXES}; PRAGMA user_version = ${READ_MODEL_SCHEMA_VERSION};`,
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

function toHistoryLine(row: LineRow): HistoryLine {
  const money = (minor: bigint | null) =>
    minor === null ? null : Money.fromMinorUnits(minor, row.currency).toString();
  return {
    kind: row.kind,
    rule: row.rule,
    amount: money(row.amount_minor)!,
    currency: row.currency,
    baseAmount: money(row.base_minor)!,
    rate: row.rate,
    fixedAmount: money(row.fixed_minor),
    generation: row.generation === null ? null : Number(row.generation),
    product: row.product,
    step: row.step,
    cap: row.cap,
    uncappedAmount: money(row.uncapped_minor),
    planVersion: row.plan_version,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    source: {
      eventId: row.event_id,
      eventType: row.event_type,
      stream: row.stream,
      revision: Number(row.revision),
      position: loadedPosition(row.position),
    },
  };
}

/**
 * Positions are stored as blobs that sort, byte by byte, as the numbers do: one byte of length, then
 * the unsigned integer big-endian without leading zeros (EventStoreDB positions take up to 39
 * digits, more than an INTEGER holds). Four bytes for a position under 2^24, not 39 of text.
 */
export function storedPosition(position: Position): Buffer {
  const hex = BigInt(position).toString(16);
  const bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

function loadedPosition(stored: Buffer): Position {
  return BigInt(`0x${stored.subarray(1).toString('hex')}`).toString();
}

export function encodeCursor(position: string, lineNo: number): string {
  return Buffer.from(`${position}:${lineNo}`, 'utf8').toString('base64url');
}

/** The opaque history cursor back to its parts, or null when it is not one of ours. */
export function decodeCursor(cursor: string): { position: string; lineNo: number } | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  const m = /^(0|[1-9][0-9]{0,38}):(0|[1-9][0-9]{0,4})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { position: m[1]!, lineNo: Number(m[2]) } : null;
}
