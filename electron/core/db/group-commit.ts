import { MailwrightError } from '../errors';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { isBusy } from './sqlite-codes';
import type { DatabaseSync, StatementSync } from './sqlite';
import { WalSync } from './wal-sync';

/** A write is synchronous SQL: a promise returned would run outside the transaction it was given. */
export type SyncWork<T> = () => T extends PromiseLike<unknown> ? never : T;

interface Waiting {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

const closedError = () => new Error('a write after the database was closed');

/** How long a batch keeps trying for the write lock another process holds before it gives up. */
const BUSY_GIVE_UP_MS = 30_000;
const BUSY_RETRY_MS = 25;
/** SQLite's own wait for the lock, which blocks the thread: kept to a moment, the rest is the timer's. */
const SQLITE_WAIT_MS = 20;

/**
 * Writes asked for at the same moment (messages in flight together) share one transaction, so
 * one commit and one fsync. Each write runs in a savepoint of its own: one that throws is undone
 * alone and rejects alone. No promise resolves before the commit is on disk, so nothing is
 * reported sent, scheduled or queued before it is durable.
 *
 * The fsync runs in the thread pool (WalSync), not inside COMMIT on the event loop, and one at a
 * time: the writes asked for while it runs wait and commit together once it is done.
 *
 * While another process holds the write lock the batch waits on a timer, not in SQLite's busy
 * handler, which would block the event loop (the window's main process) for as long.
 */
export class GroupCommit {
  private waiting: Waiting[] = [];
  private scheduled = false;
  /** A committed batch's fsync is under way. */
  private syncing = false;
  /** Why an fsync failed: from then on every write is refused. */
  private failed: unknown;
  private closed = false;
  /** When the batch now waiting first found the database busy. */
  private busySince: number | undefined;

  constructor(
    private readonly db: DatabaseSync,
    /** Tests only: called after the batch's writes, before COMMIT (the crash test kills there). */
    private readonly beforeCommit?: (writes: number) => void,
  ) {
    db.exec(`PRAGMA busy_timeout = ${SQLITE_WAIT_MS}`);
    this.durable = WalSync.take(db);
    // Prepared once: exec() parses its SQL every time, twice per write.
    this.savepoint = db.prepare('SAVEPOINT one_write');
    this.release = db.prepare('RELEASE one_write');
  }

  private readonly durable: WalSync;
  private readonly savepoint: StatementSync;
  private readonly release: StatementSync;

  write<T>(work: SyncWork<T>): Promise<T> {
    // After a failed fsync nothing more is written: the disk may have dropped what it said it kept.
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule(0);
    });
  }

  private schedule(delayMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // The writes of this turn of the event loop, and of callbacks already due in it, go together.
    const run = () => ((this.scheduled = false), this.flush());
    if (delayMs) setTimeout(run, delayMs);
    else setImmediate(run);
  }

  private flush(): void {
    // While the last batch's fsync runs, this one grows: it commits when that fsync is done.
    if (!this.waiting.length || this.syncing) return;
    if (this.failed || this.closed) {
      const refusal = this.failed ?? closedError();
      for (const w of this.waiting.splice(0)) w.reject(refusal);
      return;
    }
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      const now = Date.now();
      this.busySince ??= now;
      if (isBusy(err) && now - this.busySince < BUSY_GIVE_UP_MS) return this.schedule(BUSY_RETRY_MS);
      this.busySince = undefined;
      const refusal = isBusy(err) ? new MailwrightError('BUSY', { message: phrase('err.lock.busy', { what: phrase('err.lock.database') }), hint: phrase('err.lock.busy.hint') }, { cause: err }) : err;
      for (const w of this.waiting.splice(0)) w.reject(refusal);
      return;
    }
    this.busySince = undefined;
    const batch = this.waiting.splice(0);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    try {
      for (const w of batch) outcomes.push(this.one(w.work));
      this.beforeCommit?.(batch.length);
      this.db.exec('COMMIT');
    } catch (err) {
      // The commit itself failed (a full disk), or a savepoint could not be undone: none of the batch happened.
      try {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
      } catch {
        // SQLite rolled back by itself (an I/O error does): there is nothing left to undo.
      }
      for (const w of batch) w.reject(err);
      return;
    }
    // Committed, and on disk once the fsync asked for now (or a later one) is done.
    this.syncing = true;
    const synced = this.durable.sync();
    synced
      .finally(() => {
        this.syncing = false;
        if (this.waiting.length) this.schedule(0);
      })
      .catch(() => undefined); // the batch's writers are told below
    synced.then(
      () =>
        batch.forEach((w, i) => {
          const outcome = outcomes[i]!;
          if (outcome.ok) w.resolve(outcome.value);
          else w.reject(outcome.err);
        }),
      // Committed but not known to be on disk (an I/O error). Refused: what the database says
      // is what the next start finds, or not. Nothing more is written by this connection: after a
      // failed fsync the kernel may call the lost pages clean, and a later fsync would succeed
      // over a log missing this batch (PostgreSQL's "fsyncgate").
      (err: unknown) => {
        this.failed ??= err;
        batch.forEach((w) => w.reject(err));
      },
    );
  }

  /** Once the writes asked for so far are done; any later write is refused. Before the connection closes. */
  async close(): Promise<void> {
    if (!this.closed) await this.write(() => undefined).catch(() => undefined);
    this.closed = true;
    await this.durable.close();
  }

  /** One write in its savepoint; a failure undoes only it (a failure to undo it fails the batch). */
  private one(work: () => unknown): { ok: true; value: unknown } | { ok: false; err: unknown } {
    this.savepoint.run();
    let err: unknown;
    try {
      const value = work();
      if (typeof (value as PromiseLike<unknown> | undefined)?.then !== 'function') {
        this.release.run();
        return { ok: true, value };
      }
      err = new TypeError('a group-commit write must be synchronous: its promise would run outside the transaction');
    } catch (thrown) {
      err = thrown;
    }
    this.db.exec('ROLLBACK TO one_write');
    this.db.exec('RELEASE one_write');
    return { ok: false, err };
  }
}
