import { close, fdatasync, open } from 'node:fs';
import { promisify } from 'node:util';
import { dirname } from 'node:path';
import { fsyncDir } from '../fs/atomic-file';
import type { DatabaseSync } from './sqlite';

// The callback API with a plain descriptor: a FileHandle per fsync cost the event loop more than the fsync.
const openFile = promisify(open);
const datasync = promisify(fdatasync);
const closeFile = promisify(close);

/**
 * Makes a WAL database's commits durable with an fsync of its write-ahead log in the thread pool,
 * instead of SQLite's own fsync inside COMMIT, which blocks the event loop (the window's main
 * process) for as long as the disk takes.
 *
 * With `synchronous = NORMAL` a WAL commit is written but not fsynced; SQLite still fsyncs the log
 * before each checkpoint and the database after it, so the file is never damaged, and a commit the
 * log held is either still in it or already in the synced database. An fsync of the log after the
 * commit is therefore what `synchronous = FULL` does inside it, done later: whoever waits for it
 * is told "on disk" at the same moment of truth, and the event loop runs meanwhile. A reader (here
 * or in another process) may see a commit before its fsync; a send it leads to begins only after
 * a write of its own (the claim), whose fsync of the same log covers every commit before it.
 */
export class WalSync {
  /** The log's descriptor, opened at the first fsync. */
  private log: number | undefined;

  private constructor(private readonly walPath: string | undefined) {}

  /**
   * Take over the fsyncs of `db`'s commits: only for a database in WAL mode in a file. Any other
   * keeps SQLite's full fsync inside COMMIT, and `sync()` has nothing left to do.
   */
  static take(db: DatabaseSync): WalSync {
    const file = db.location();
    const wal = (db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode === 'wal';
    if (!file || !wal) return new WalSync(undefined);
    db.exec('PRAGMA synchronous = NORMAL');
    return new WalSync(`${file}-wal`);
  }

  /** Resolves once every commit made before the call is on disk. */
  sync(): Promise<void> {
    return this.walPath ? this.fsyncLog(this.walPath) : Promise.resolve();
  }

  private async fsyncLog(walPath: string): Promise<void> {
    if (this.log === undefined) {
      // Right after a commit, with this connection open, the log exists: if it does not (the
      // database moved away under it), the error says so.
      this.log = await openFile(walPath, 'r+');
      // A new log's name must be on disk too, once. The log stays the same file while this
      // process's connection is open: SQLite removes it only when the last connection closes.
      await datasync(this.log);
      await fsyncDir(dirname(walPath));
      return;
    }
    await datasync(this.log);
  }

  /** After the last sync, before the connection closes (which may remove the log). */
  async close(): Promise<void> {
    const log = this.log;
    this.log = undefined;
    if (log !== undefined) await closeFile(log);
  }
}
