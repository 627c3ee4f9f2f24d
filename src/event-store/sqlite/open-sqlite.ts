import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * Opens a SQLite database the way every connection of this service must be opened:
 * WAL, synchronous=FULL (an acknowledged write survives power loss), a bounded busy wait.
 * `:memory:` is for tests. Read models, derived from the log, then relax to synchronous=NORMAL (read-model.ts).
 */
export function openSqlite(path: string, options: { busyTimeoutMs?: number } = {}): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  db.pragma('foreign_keys = ON');
  return db;
}
