import { phrase } from '../../../shared/i18n/errors/phrase';
import { MailwrightError } from '../errors';
import { GroupCommit, type SyncWork } from './group-commit';
import { openDatabase } from './open-database';
import type { DatabaseSync } from './sqlite';

export interface DatabaseOptions {
  dataDir: string;
  /** A damaged database was moved aside and a new one made (to tell the user; the old file may be rescued). */
  onMovedAside?: (path: string) => void;
}

/**
 * The data directory's database for this process: one connection, opened on first use, and the
 * group commit its writes share. A database that cannot be opened (a read-only or full disk) is
 * STORAGE_FAILED for that use and is tried again at the next: the app keeps starting.
 */
export class Database {
  private opened: { db: DatabaseSync; writes: GroupCommit } | undefined;
  private closed = false;
  /** Where this process moved a damaged database before making a new one (what was in it is not in this one). */
  movedAside: string | undefined;

  constructor(private readonly opts: DatabaseOptions) {}

  private open() {
    // A use after close is the caller's bug (a late write on quit), said as one.
    if (this.closed) throw new MailwrightError('INTERNAL_ERROR', { message: phrase('err.internal'), hint: phrase('err.internal.hint') });
    if (!this.opened) {
      const { db, movedAside } = openDatabase(this.opts.dataDir);
      if (movedAside) {
        this.movedAside = movedAside;
        this.opts.onMovedAside?.(movedAside);
      }
      this.opened = { db, writes: new GroupCommit(db) };
    }
    return this.opened;
  }

  /** The connection, for reads (and for the writes of a `write` callback). */
  get db(): DatabaseSync {
    return this.open().db;
  }

  /** Run `work` (synchronous SQL) in the next group commit; resolves once it is on disk. */
  write<T>(work: (db: DatabaseSync) => ReturnType<SyncWork<T>>): Promise<T> {
    let opened;
    try {
      opened = this.open();
    } catch (err) {
      return Promise.reject(err);
    }
    return opened.writes.write((() => work(opened.db)) as SyncWork<T>);
  }

  /** After the writes asked for so far are committed. */
  async close(): Promise<void> {
    if (!this.opened || this.closed) return void (this.closed = true);
    this.closed = true;
    await this.opened.writes.close().catch(() => undefined);
    this.opened.db.close();
  }
}
