import { closeSync, existsSync, fsyncSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { storageFailed } from '../errors';
import { migrate, MIGRATIONS } from './migrations';
import { sqlite, type DatabaseSync } from './sqlite';

export const DATABASE_FILE = 'mailwright.db';
/** How long a statement waits for another process's write to finish before it gives up. */
const BUSY_TIMEOUT_MS = 10_000;
/** SQLite's result codes for a file that is not a database, or one whose pages are damaged. */
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

export interface OpenedDatabase {
  db: DatabaseSync;
  /** Where a damaged database was moved before a new one was made (to report, and to rescue from). */
  movedAside?: string;
}

/**
 * Open (or make) the data directory's database: WAL, a full fsync at each commit, foreign keys.
 * A database that fails SQLite's quick check, or is not one at all, is moved aside with its
 * journal files and a new one is made: the app starts and says so, never refuses to.
 * Other failures (a read-only or full disk) are STORAGE_FAILED for the caller to report.
 */
export function openDatabase(dataDir: string, steps: readonly string[] = MIGRATIONS, now = () => new Date()): OpenedDatabase {
  const path = join(dataDir, DATABASE_FILE);
  try {
    const db = openChecked(path);
    if (db) return { db: migrated(db, steps) };
    const movedAside = moveAside(path, now());
    const fresh = openChecked(path);
    if (!fresh) throw new Error(`a new database at ${path} fails its check`);
    return { db: migrated(fresh, steps), movedAside };
  } catch (err) {
    throw storageFailed('database', err);
  }
}

/** The database, ready; or undefined when it is damaged. */
function openChecked(path: string): DatabaseSync | undefined {
  // Made readable by its owner only before SQLite creates it: its journals take the same mode.
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  const { DatabaseSync } = sqlite();
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
    const rows = db.prepare('PRAGMA quick_check').all() as Array<{ quick_check: string }>;
    if (rows.length === 1 && rows[0]!.quick_check === 'ok') return db;
    db.close();
    return undefined;
  } catch (err) {
    db?.close();
    const code = (err as { errcode?: number }).errcode;
    if (code === SQLITE_CORRUPT || code === SQLITE_NOTADB) return undefined;
    throw err;
  }
}

function migrated(db: DatabaseSync, steps: readonly string[]): DatabaseSync {
  try {
    migrate(db, steps);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Move the database and its journals to `mailwright.db.damaged-<time>` (and `-wal`, `-shm` beside it). */
function moveAside(path: string, at: Date): string {
  const aside = `${path}.damaged-${at.toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['-wal', '-shm', '']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  }
  const dir = openSync(join(path, '..'), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return aside;
}
