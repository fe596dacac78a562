import type { DatabaseSync } from './sqlite';

interface Waiting {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Writes asked for at the same moment (messages in flight together) share one transaction, so
 * one commit and one fsync. Each write runs in a savepoint of its own: one that throws is undone
 * alone and rejects alone. No promise resolves before the commit is on disk, so nothing is
 * reported sent, scheduled or queued before it is durable.
 *
 * A write is synchronous SQL on this connection (node:sqlite is synchronous): nothing else can
 * run inside the transaction between its statements.
 */
export class GroupCommit {
  private waiting: Waiting[] = [];
  private flushing = false;

  constructor(
    private readonly db: DatabaseSync,
    /** Tests only: called after the batch's writes, before COMMIT (the crash test kills there). */
    private readonly beforeCommit?: (writes: number) => void,
  ) {}

  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.flushing) return;
      this.flushing = true;
      // The writes of this turn of the event loop, and of callbacks already due in it, go together.
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.flushing = false;
    const batch = this.waiting.splice(0);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    try {
      for (const w of batch) {
        this.db.exec('SAVEPOINT one_write');
        try {
          outcomes.push({ ok: true, value: w.work() });
          this.db.exec('RELEASE one_write');
        } catch (err) {
          this.db.exec('ROLLBACK TO one_write');
          this.db.exec('RELEASE one_write');
          outcomes.push({ ok: false, err });
        }
      }
      this.beforeCommit?.(batch.length);
      this.db.exec('COMMIT');
    } catch (err) {
      // The commit itself failed (a full disk): none of the batch happened.
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) w.resolve(outcome.value);
      else w.reject(outcome.err);
    });
  }
}
