// The read models: people, subscriptions and priced income lines, in their own SQLite file,
// with the checkpoint in the same transaction as the rows it covers. A redelivered event is at
// or below the checkpoint and is skipped, so nothing is ever counted twice.
import { createHash } from 'node:crypto';
import { ApiProperty } from '@nestjs/swagger';
import type Database from 'better-sqlite3';
import { openSqlite, type SqliteDatabase } from '../../event-store/sqlite/open-sqlite.js';
import {
  POSITION_DIGITS_MAX,
  comparePositions,
  type Position,
  type RecordedEvent,
} from '../../event-store/event-store.port.js';
import { everyOf } from '../../shared/exhaustive.js';
import { Money } from '../../shared/money.js';
import { decodeLedgerEvent, isLedgerStream, recordedAtOf } from '../events.js';
import type { CapName, Plan } from '../plan/plan.js';
import type { KnowledgePoint } from './catalog.js';
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
export const READ_MODEL_SCHEMA_VERSION = 3;

const SCHEMA = `
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
    position     TEXT NOT NULL
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
  CREATE TABLE IF NOT EXISTS income_lines (
    position     TEXT    NOT NULL,
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
    event_id     TEXT    NOT NULL,
    event_type   TEXT    NOT NULL,
    stream       TEXT    NOT NULL,
    revision     INTEGER NOT NULL,
    recorded_at  TEXT    NOT NULL,
    PRIMARY KEY (position, line_no)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS lines_by_earner ON income_lines (earner_id, position, line_no);
  -- The fold looks up a sale's own lines (to answer a refund), nothing else by stream: indexing only
  -- the SaleMade lines keeps renewals and conversions, most of the lines, out of this index.
  CREATE INDEX IF NOT EXISTS lines_of_sales ON income_lines (stream) WHERE event_type = 'SaleMade';
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
  position: string;
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

const minorOf = (amount: string, currency: string): bigint => BigInt(Money.parse(amount, currency).toMinorUnits());

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

export class ReadModel implements LedgerView {
  private readonly db: SqliteDatabase;
  private readonly sql;
  private readonly people = new Map<string, PersonNode>();

  constructor(path: string) {
    this.db = openSqlite(path, { busyTimeoutMs: 30_000 });
    // Atomic, not durable: a read model is derived from the log, and its checkpoint commits with its
    // rows, so a power cut can only take both back together, and the fold redoes them. (WAL with
    // synchronous=NORMAL is safe against a killed process.) The event store stays synchronous=FULL.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('cache_size = -65536'); // 64 MiB of pages
    this.db.pragma('wal_autocheckpoint = 25000');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    const empty = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table'").get() === undefined;
    if (!empty && version !== READ_MODEL_SCHEMA_VERSION) {
      this.db.close();
      throw new ReadModelSchemaError(path, version);
    }
    // tables and version in one transaction: a crash leaves an empty file or a whole schema
    this.db.exec(`BEGIN IMMEDIATE; ${SCHEMA}; PRAGMA user_version = ${READ_MODEL_SCHEMA_VERSION}; COMMIT;`);
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
          `SELECT * FROM income_lines WHERE stream = ? AND event_type = 'SaleMade' ORDER BY position, line_no`,
        )
        .safeIntegers(true),
      upsertSale: db.prepare(
        `INSERT OR REPLACE INTO sales (sale_id, customer_id, subscription_id, amount_minor, currency, refunded_minor)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      insertLine:
        db.prepare(`INSERT INTO income_lines (position, line_no, earner_id, rule, kind, generation, amount_minor, currency,
        base_minor, rate, fixed_minor, product, step, cap, uncapped_minor, plan_version, occurred_at, event_id,
        event_type, stream, revision, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      totals: db
        .prepare<[string, string, string], { currency: string; kind: IncomeKind; minor: bigint }>(
          `SELECT currency, kind, SUM(amount_minor) AS minor FROM income_lines
         WHERE earner_id = ? AND occurred_at >= ? AND occurred_at < ? GROUP BY currency, kind ORDER BY currency`,
        )
        .safeIntegers(true),
      history: db
        .prepare<[string, string, bigint, string, string, ...HistoryFilterParams, number], LineRow>(
          `SELECT * FROM income_lines WHERE earner_id = ? AND (position, line_no) > (?, ?)
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
      this.people.clear(); // it may hold people of the batch that was rolled back
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
        if (checkpoint !== null) this.sql.setCheckpoint.run(storedPosition(checkpoint));
        return checkpoint;
      })
      .immediate();
  }

  private write(effect: ReturnType<typeof foldEvent>, position: Position, recordedAt: string): void {
    const at = storedPosition(position);
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
    }
    if (effect.sale) {
      const s = effect.sale;
      const minor = (amount: string) => minorOf(amount, s.currency);
      this.sql.upsertSale.run(s.saleId, s.customerId, s.subscriptionId, minor(s.amount), s.currency, minor(s.refunded));
    }
    for (const usage of effect.capUsage ?? [])
      this.sql.upsertCapUsage.run(usage.key, usage.currency, minorOf(usage.amount, usage.currency));
    effect.lines.forEach((line: IncomeLine, i) => {
      const minor = (amount: string | null) => (amount === null ? null : minorOf(amount, line.currency));
      this.sql.insertLine.run(
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
        line.source.eventId,
        line.source.eventType,
        line.source.stream,
        line.source.revision,
        recordedAt,
      );
    });
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
    const row = this.sql.subscription.get(subscriptionId);
    return (
      row && {
        subscriptionId: row.subscription_id,
        saleId: row.sale_id,
        ownerId: row.owner_id,
        customerId: row.customer_id,
        productCode: row.product_code,
        currency: row.currency,
        startedAt: row.started_at,
        renewals: row.renewals,
      }
    );
  }

  capUsage(key: string): string | undefined {
    const row = this.sql.capUsage.get(key);
    return row && Money.fromMinorUnits(row.earned_minor, row.currency).toString();
  }

  sale(saleId: string): SaleNode | undefined {
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
    const position = this.sql.checkpoint.get()?.position ?? null;
    return position === null ? null : loadedPosition(position);
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
      .prepare<[string], { earner_id: string; currency: string; kind: IncomeKind; minor: bigint }>(
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
      .prepare<[string], { rule: string; currency: string; events: number }>(
        `SELECT rule, currency, COUNT(DISTINCT position) AS events FROM income_lines
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
      after.position === '' ? '' : storedPosition(after.position),
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
      .prepare<[string, string, number], { position: string }>(
        'SELECT DISTINCT position FROM income_lines WHERE earner_id = ? AND position > ? ORDER BY position LIMIT ?',
      )
      .all(personId, options.after === undefined ? '' : storedPosition(options.after), options.limit + 1);
    const page = positions.slice(0, options.limit);
    const linesAt = this.db
      .prepare<[string, string], LineRow>(
        'SELECT * FROM income_lines WHERE earner_id = ? AND position = ? ORDER BY line_no',
      )
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
    const upTo = known !== undefined && 'position' in known ? storedPosition(known.position) : END_OF_TIME;
    const recordedBy = known !== undefined && 'recordedAt' in known ? known.recordedAt : END_OF_TIME;
    const opening = this.db
      .prepare<[string, string, string, string], { currency: string; kind: IncomeKind; minor: bigint }>(
        `SELECT currency, kind, SUM(amount_minor) AS minor FROM income_lines
         WHERE earner_id = ? AND occurred_at < ? AND position <= ? AND recorded_at <= ?
         GROUP BY currency, kind ORDER BY currency, kind`,
      )
      .safeIntegers(true)
      .all(personId, period.from, upTo, recordedBy);
    const rows = this.db
      .prepare<[string, string, string, string, string, number], LineRow>(
        `SELECT * FROM income_lines
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
      .prepare<[string], LineRow>('SELECT * FROM income_lines WHERE occurred_at < ? ORDER BY position, line_no')
      .safeIntegers(true)
      .iterate(to);
    for (const row of rows) yield { ...toHistoryLine(row), earnerId: row.earner_id };
  }

  /** A person's refund lines the ledger did not yet know at a knowledge point, whatever their date. */
  refundLinesAfter(personId: string, known: KnowledgePoint): HistoryLine[] {
    const [column, value] =
      'position' in known ? ['position', storedPosition(known.position)] : ['recorded_at', known.recordedAt];
    return this.db
      .prepare<[string, string], LineRow>(
        `SELECT * FROM income_lines WHERE earner_id = ? AND event_type = 'SaleRefunded' AND ${column} > ? ORDER BY position, line_no`,
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
 * Positions are stored as text of fixed width, so that SQLite's text order is their numeric order
 * for every store (EventStoreDB positions take up to 39 digits, more than an INTEGER holds).
 */
function storedPosition(position: Position): string {
  return position.padStart(POSITION_DIGITS_MAX, '0');
}

function loadedPosition(stored: string): Position {
  return stored.replace(/^0+(?=[0-9])/, '');
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
