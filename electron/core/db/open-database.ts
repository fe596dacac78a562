import { closeSync, existsSync, fsyncSync, openSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MailwrightError, storageFailed } from '../errors';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { migrate, MIGRATIONS, schemaVersion } from './migrations';
import { isBusy, isDamaged, whileBusy } from './sqlite-codes';
import { sqlite, type DatabaseSync } from './sqlite';

export const DATABASE_FILE = 'mailwright.db';
/**
 * How long a statement waits for another process's write to finish before it gives up. Short:
 * SQLite waits by blocking the thread (the window's main process), so group commit waits longer
 * on a timer instead (see GroupCommit).
 */
const BUSY_TIMEOUT_MS = 1_000;

export interface OpenedDatabase {
  db: DatabaseSync;
  /** Where a damaged database was moved before a new one was made (to report, and to rescue from). */
  movedAside?: string;
}

/**
 * Open (or make) the data directory's database: WAL, a full fsync at each commit (until a
 * GroupCommit takes its fsyncs over: wal-sync.ts), foreign keys.
 * A database that fails SQLite's quick check, or is not one at all, is moved aside with its
 * journal files and a new one is made: the app starts and says so, never refuses to.
 * Other failures (a read-only or full disk) are STORAGE_FAILED for the caller to report.
 */
export function openDatabase(dataDir: string, steps: readonly string[] = MIGRATIONS, now = () => new Date()): OpenedDatabase {
  const path = join(dataDir, DATABASE_FILE);
  let movedAside: string | undefined;
  try {
    for (let tries = 0; tries < 3; tries++) {
      const opened = openChecked(path);
      if (opened.db) return { db: migrated(opened.db, steps), ...(movedAside ? { movedAside } : {}) };
      // Moved only if it is still the file found damaged: another process may have moved it and
      // made a new one meanwhile, which is then opened instead.
      movedAside = moveAside(path, opened.damagedIno, now()) ?? movedAside;
    }
    throw new Error(`${path} fails its check each time it is made anew`);
  } catch (err) {
    if (err instanceof MailwrightError) throw err;
    if (isBusy(err)) throw new MailwrightError('BUSY', { message: phrase('err.lock.busy', { what: phrase('err.lock.database') }), hint: phrase('err.lock.busy.hint') }, { cause: err });
    throw storageFailed('database', err);
  }
}

/** The database, ready; or, when it is damaged, which file that was (its inode). */
function openChecked(path: string): { db: DatabaseSync; damagedIno?: undefined } | { db?: undefined; damagedIno: number } {
  // Made readable by its owner only before SQLite creates it: its journals take the same mode.
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  const { ino } = statSync(path);
  const { DatabaseSync } = sqlite();
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
    const opened = db;
    // WAL is the file's own setting: set once, by whichever process makes the database.
    whileBusy(() => (opened.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode === 'wal' || opened.exec('PRAGMA journal_mode = WAL'));
    db.exec('PRAGMA synchronous = FULL');
    const rows = whileBusy(() => opened.prepare('PRAGMA quick_check').all() as Array<{ quick_check: string }>);
    if (rows.length === 1 && rows[0]!.quick_check === 'ok') return { db };
    db.close();
    return { damagedIno: ino };
  } catch (err) {
    db?.close();
    if (isDamaged(err)) return { damagedIno: ino };
    throw err;
  }
}

function migrated(db: DatabaseSync, steps: readonly string[]): DatabaseSync {
  try {
    // A step this version does not know: written by a newer Mailwright, whose data it must not touch.
    const have = schemaVersion(db);
    if (have > steps.length) throw new MailwrightError('STORAGE_FAILED', { message: phrase('err.storage.newerDatabase', { have, know: steps.length }), hint: phrase('err.storage.newerDatabase.hint') });
    migrate(db, steps);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Move the database and its journals to `mailwright.db.damaged-<time>` (and `-wal`, `-shm` beside
 * it), if the file there is still the one found damaged; undefined when it is not (see openDatabase).
 */
function moveAside(path: string, damagedIno: number, at: Date): string | undefined {
  const now = statSync(path, { throwIfNoEntry: false });
  if (now?.ino !== damagedIno) return undefined;
  const aside = `${path}.damaged-${at.toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['-wal', '-shm', '']) {
    try {
      renameSync(path + suffix, aside + suffix);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // a journal that is not there
    }
  }
  const dir = openSync(join(path, '..'), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return aside;
}
