// The catalogue of read model generations: which one serves, which one is being built, and the
// rebuilds that made them. One small SQLite file beside the generations' own files; every change
// of state is one transaction, so the switch from one generation to the next is atomic.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { comparePositions, type Position } from '../../event-store/event-store.port.js';
import { openSqlite, type SqliteDatabase } from '../../event-store/sqlite/open-sqlite.js';

/** `abandoned`: set aside unfinished or unreadable; `pruned`: its files deleted (GENERATIONS_KEPT). */
export type GenerationStatus = 'building' | 'current' | 'retired' | 'what-if' | 'abandoned' | 'pruned';

export interface GenerationRecord {
  readonly id: number;
  readonly path: string;
  /** The canonical plan this generation prices with. */
  readonly planJson: string;
  readonly planFingerprint: string;
  readonly status: GenerationStatus;
  readonly createdAt: string;
  readonly switchedAt: string | null;
  /**
   * The checkpoint it had when it began to serve: knowledge up to this position had been served by
   * the generation before. Null for a generation that served from an empty read model.
   */
  readonly switchPosition: Position | null;
}

/** A moment of the ledger's knowledge: a global position, or a recorded time. */
export type KnowledgePoint = { readonly position: Position } | { readonly recordedAt: string };

export type RebuildState = 'running' | 'succeeded' | 'failed' | 'abandoned';

export interface RebuildRecord {
  readonly id: string;
  readonly generation: number;
  readonly dryRun: boolean;
  readonly state: RebuildState;
  readonly requestedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
  /** The what-if report of a dry run, as JSON. */
  readonly reportJson: string | null;
  /** Events its last run folded, and the log's events when it began (null: not counted), kept once it ends. */
  readonly eventsDone: number | null;
  readonly eventsTotal: number | null;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS generations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_json        TEXT NOT NULL,
    plan_fingerprint TEXT NOT NULL,
    status           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    switched_at      TEXT,
    switch_position  TEXT
  );
  CREATE TABLE IF NOT EXISTS rebuilds (
    id           TEXT PRIMARY KEY,
    generation   INTEGER NOT NULL REFERENCES generations (id),
    dry_run      INTEGER NOT NULL,
    state        TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    finished_at  TEXT,
    error        TEXT,
    report_json  TEXT,
    events_done  INTEGER,
    events_total INTEGER
  );
`;

interface GenerationRow {
  id: number;
  plan_json: string;
  plan_fingerprint: string;
  status: GenerationStatus;
  created_at: string;
  switched_at: string | null;
  switch_position: string | null;
}

interface RebuildRow {
  id: string;
  generation: number;
  dry_run: number;
  state: RebuildState;
  requested_at: string;
  finished_at: string | null;
  error: string | null;
  report_json: string | null;
  events_done: number | null;
  events_total: number | null;
}

export class ReadModelCatalog {
  private readonly db: SqliteDatabase;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.db = openSqlite(join(dir, 'catalog.sqlite'));
    this.db.exec(SCHEMA);
    this.addMissingColumn('generations', 'switch_position TEXT');
    this.addMissingColumn('rebuilds', 'events_done INTEGER');
    this.addMissingColumn('rebuilds', 'events_total INTEGER');
  }

  current(): GenerationRecord | null {
    return this.generationWhere("status = 'current'");
  }

  generation(id: number): GenerationRecord | null {
    const row = this.db.prepare<[number], GenerationRow>('SELECT * FROM generations WHERE id = ?').get(id);
    return row ? this.toGeneration(row) : null;
  }

  generations(): GenerationRecord[] {
    return this.db
      .prepare<[], GenerationRow>('SELECT * FROM generations ORDER BY id')
      .all()
      .map((row) => this.toGeneration(row));
  }

  /**
   * A new generation. One created `current` serves at once, from an empty read model; `servesAfter`
   * is the head of the log then, when another generation served what came before.
   */
  createGeneration(
    plan: { json: string; fingerprint: string },
    status: 'building' | 'current',
    now: string,
    servesAfter: Position | null = null,
  ): GenerationRecord {
    const info = this.db
      .prepare(
        'INSERT INTO generations (plan_json, plan_fingerprint, status, created_at, switched_at, switch_position) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        plan.json,
        plan.fingerprint,
        status,
        now,
        status === 'current' ? now : null,
        status === 'current' ? servesAfter : null,
      );
    return this.generation(Number(info.lastInsertRowid))!;
  }

  /**
   * The generation whose figures the service served at a knowledge point: the last one to begin
   * serving at or before it (a position past its switch position, or a time at or after its switch).
   * Before any switch, the first generation.
   */
  servingAt(at: KnowledgePoint): GenerationRecord | null {
    const served = this.generations()
      .filter((g) => g.switchedAt !== null)
      .sort((a, b) => (a.switchedAt! < b.switchedAt! ? -1 : a.switchedAt! > b.switchedAt! ? 1 : a.id - b.id));
    const began = (g: GenerationRecord) =>
      'position' in at
        ? g.switchPosition === null || comparePositions(g.switchPosition, at.position) < 0
        : g.switchedAt! <= at.recordedAt;
    return served.filter(began).at(-1) ?? served[0] ?? null;
  }

  /**
   * Makes `id` the serving generation, retires the one before and marks the rebuild that built
   * it succeeded: one transaction, so a crash leaves either the old state or the new one.
   */
  switchTo(id: number, rebuildId: string | null, now: string, position: Position | null): void {
    this.db
      .transaction(() => {
        this.db.prepare("UPDATE generations SET status = 'retired' WHERE status = 'current'").run();
        this.db
          .prepare("UPDATE generations SET status = 'current', switched_at = ?, switch_position = ? WHERE id = ?")
          .run(now, position, id);
        if (rebuildId !== null) this.finishRebuild(rebuildId, { state: 'succeeded' }, now);
      })
      .immediate();
  }

  /** Ends a dry run: its generation is kept for the diff, with the report, in one transaction. */
  recordWhatIf(id: number, rebuildId: string, reportJson: string, now: string): void {
    this.db
      .transaction(() => {
        this.setStatus(id, 'what-if');
        this.finishRebuild(rebuildId, { state: 'succeeded', reportJson }, now);
      })
      .immediate();
  }

  setStatus(id: number, status: GenerationStatus): void {
    this.db.prepare('UPDATE generations SET status = ? WHERE id = ?').run(status, id);
  }

  /** A plan change that re-prices nothing already folded: the generation keeps serving under it. */
  adoptPlan(id: number, plan: { json: string; fingerprint: string }): void {
    this.db
      .prepare('UPDATE generations SET plan_json = ?, plan_fingerprint = ? WHERE id = ?')
      .run(plan.json, plan.fingerprint, id);
  }

  /** Deletes the files of retired, what-if and abandoned generations, keeping the newest `keep` of them. */
  prune(keep: number): number[] {
    const prunable = this.generations()
      .filter((g) => g.status === 'retired' || g.status === 'what-if' || g.status === 'abandoned')
      .filter((g) => !this.rebuildOf(g.id, 'running'))
      .reverse()
      .slice(keep);
    for (const g of prunable) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(g.path + suffix, { force: true });
      this.db.prepare("UPDATE generations SET status = 'pruned' WHERE id = ?").run(g.id);
    }
    return prunable.map((g) => g.id);
  }

  createRebuild(id: string, generation: number, dryRun: boolean, now: string): RebuildRecord {
    this.db
      .prepare("INSERT INTO rebuilds (id, generation, dry_run, state, requested_at) VALUES (?, ?, ?, 'running', ?)")
      .run(id, generation, dryRun ? 1 : 0, now);
    return this.rebuild(id)!;
  }

  rebuild(id: string): RebuildRecord | null {
    const row = this.db.prepare<[string], RebuildRow>('SELECT * FROM rebuilds WHERE id = ?').get(id);
    return row ? toRebuild(row) : null;
  }

  runningRebuild(): RebuildRecord | null {
    const row = this.db
      .prepare<[], RebuildRow>("SELECT * FROM rebuilds WHERE state = 'running' ORDER BY requested_at LIMIT 1")
      .get();
    return row ? toRebuild(row) : null;
  }

  finishRebuild(
    id: string,
    outcome: { state: Exclude<RebuildState, 'running'>; error?: string; reportJson?: string },
    now: string,
  ): void {
    this.db
      .prepare('UPDATE rebuilds SET state = ?, error = ?, report_json = ?, finished_at = ? WHERE id = ?')
      .run(outcome.state, outcome.error ?? null, outcome.reportJson ?? null, now, id);
  }

  /** How far a rebuild got, kept with it (written as it ends, so that its outcome still says so). */
  recordCounts(id: string, counts: { eventsDone: number; eventsTotal: number | null }): void {
    this.db
      .prepare('UPDATE rebuilds SET events_done = ?, events_total = ? WHERE id = ?')
      .run(counts.eventsDone, counts.eventsTotal, id);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** A catalogue written by an older version lacks the columns added since. */
  private addMissingColumn(table: 'generations' | 'rebuilds', column: string): void {
    const columns = this.db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all();
    if (!columns.some((c) => c.name === column.split(' ')[0]))
      this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column}`);
  }

  private rebuildOf(generation: number, state: RebuildState): boolean {
    return (
      this.db.prepare('SELECT 1 FROM rebuilds WHERE generation = ? AND state = ?').get(generation, state) !== undefined
    );
  }

  private generationWhere(where: string): GenerationRecord | null {
    const row = this.db
      .prepare<[], GenerationRow>(`SELECT * FROM generations WHERE ${where} ORDER BY id DESC LIMIT 1`)
      .get();
    return row ? this.toGeneration(row) : null;
  }

  private toGeneration(row: GenerationRow): GenerationRecord {
    return {
      id: row.id,
      path: join(this.dir, `generation-${row.id}.sqlite`),
      planJson: row.plan_json,
      planFingerprint: row.plan_fingerprint,
      status: row.status,
      createdAt: row.created_at,
      switchedAt: row.switched_at,
      switchPosition: row.switch_position,
    };
  }
}

function toRebuild(row: RebuildRow): RebuildRecord {
  return {
    id: row.id,
    generation: row.generation,
    dryRun: row.dry_run === 1,
    state: row.state,
    requestedAt: row.requested_at,
    finishedAt: row.finished_at,
    error: row.error,
    reportJson: row.report_json,
    eventsDone: row.events_done,
    eventsTotal: row.events_total,
  };
}
