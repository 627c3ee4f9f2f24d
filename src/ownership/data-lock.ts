// One process at a time owns a piece of data (the read model folder, the embedded event store for
// writing). The lock is SQLite's own file lock on a small lock database: a RESERVED lock taken with
// BEGIN IMMEDIATE and held, in an open transaction, for as long as the owner lives. The kernel drops it
// when the owner's process ends however it ends (kill -9 included), so a lock left by a dead process is
// no lock at all and the next taker simply gets it; SQLite decides between two takers (one wins, the
// other is refused), so there is no stale-lock heuristic (pid alive? same host? mtime?) to get wrong.
// The owner's pid, host and start time sit in a committed row that refused processes can still read
// (a RESERVED lock lets readers in), so the refusal names who owns the data.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { OperatorError } from '../shared/operator-error.js';

export interface DataOwner {
  readonly pid: number;
  readonly host: string;
  /** When the owner took the lock (ISO 8601). */
  readonly since: string;
  /** What the owner is: `service`, `rebuild`, `copy-log`. */
  readonly role: string;
}

/** Refused: another live process owns the data. Names it, and what to do. */
export class DataOwnedError extends OperatorError {
  constructor(
    readonly what: string,
    readonly owner: DataOwner | null,
    hint: string,
  ) {
    super(`${what} is in use by ${describeOwner(owner)}; ${hint}`);
    this.name = 'DataOwnedError';
  }
}

export function describeOwner(owner: DataOwner | null): string {
  if (owner === null) return 'another process (still starting: it has not yet said who it is)';
  return `${owner.role} pid ${owner.pid} on host ${owner.host} since ${owner.since}`;
}

/** How long a taker waits for SQLite's own short locks (a reader of the owner row, a commit). */
const BUSY_WAIT_MS = 2000;

export class DataLock {
  private constructor(
    private readonly db: Database.Database,
    /** The owner before us, if it left its row behind: it ended without releasing (a crash, kill -9). */
    readonly previous: DataOwner | null,
  ) {}

  /**
   * Takes the lock at `lockPath` for this process, or throws DataOwnedError naming the live owner.
   * `what` names the data in messages; `hint` says what to do when it is owned.
   */
  static acquire(lockPath: string, me: { role: string; since: string }, what: string, hint: string): DataLock {
    mkdirSync(dirname(lockPath), { recursive: true });
    const db = new Database(lockPath);
    try {
      db.pragma('journal_mode = DELETE'); // rollback journal: readers may read while the owner holds RESERVED
      db.pragma(`busy_timeout = ${BUSY_WAIT_MS}`);
      db.exec('CREATE TABLE IF NOT EXISTS owner (one INTEGER PRIMARY KEY CHECK (one = 1), pid, host, since, role)');
      const previous = DataLock.take(db, what, hint);
      db.prepare('INSERT OR REPLACE INTO owner VALUES (1, ?, ?, ?, ?)').run(process.pid, hostname(), me.since, me.role);
      db.exec('COMMIT');
      // Between that commit and this BEGIN another taker may win; then it owns the data and we are refused.
      DataLock.take(db, what, hint);
      return new DataLock(db, previous);
    } catch (error) {
      // Busy at any step (a first taker still creating the table, a commit meeting another's read): someone
      // else is taking or holding the lock, and this process is refused, whoever ends up the owner.
      const refusal = isBusy(error) ? new DataOwnedError(what, ownerIfReadable(db), hint) : error;
      db.close();
      throw refusal;
    }
  }

  /** BEGIN IMMEDIATE: this connection now holds the lock; answers the owner row left before us. */
  private static take(db: Database.Database, what: string, hint: string): DataOwner | null {
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      if (!isBusy(error)) throw error;
      throw new DataOwnedError(what, ownerIfReadable(db), hint);
    }
    return ownerOf(db);
  }

  /** Gives the lock back, and forgets the owner row: a row found at start means its owner ended without this. */
  release(): void {
    if (!this.db.open) return;
    this.db.exec('DELETE FROM owner');
    this.db.exec('COMMIT');
    this.db.close();
  }
}

function ownerOf(db: Database.Database): DataOwner | null {
  const row = db.prepare('SELECT pid, host, since, role FROM owner WHERE one = 1').get() as DataOwner | undefined;
  return row ?? null;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** The owner row, if it can be read now (a taker that has not yet created the table has none to read). */
function ownerIfReadable(db: Database.Database): DataOwner | null {
  try {
    return ownerOf(db);
  } catch (error) {
    if (isBusy(error) || /no such table/.test((error as Error).message)) return null;
    throw error;
  }
}
