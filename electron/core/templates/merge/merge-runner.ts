import { sayText } from '../../../../shared/i18n/errors/say';
import type { AttachmentRegistry } from '../../attachments/attachment-registry';
import type { Clock } from '../../clock';
import type { Database } from '../../db/database';
import { phrase } from '../../../../shared/i18n/errors/phrase';
import { errorInfo, MailwrightError, systemWords } from '../../errors';
import type { CoreEvents } from '../../events';
import type { OutboxService } from '../../outbox/outbox-service';
import { compileTemplate } from '../message-template';
import { RowTaken, type MergeRecord, type MergeRepository, type PendingRow } from './merge-repository';
import { draftOfRow, isRefused, RowPlanner } from './row-plan';
import { DAY_MS, dayAllows, slowerAfterBusy } from './throttle';

const LEASE_MS = 60_000;
/** Messages of one merge on their way at once when nothing throttles it (the outbox's slots do the rest). */
const WINDOW = 24;
/** Rows built and committed at once: enough for the builds of a bulk send to share commits. */
const QUEUING_AT_ONCE = 8;
/** The longest a runner sleeps without looking again (a pause or cancel from another process). */
const LOOK_EVERY_MS = 5_000;
/** The least a runner waits for a retry to come due (the outbox may not have taken it yet). */
const RETRY_LOOK_MS = 200;

export interface MergeRunnerDeps {
  database: Database;
  repo: MergeRepository;
  outbox: OutboxService;
  attachments: AttachmentRegistry;
  events: CoreEvents;
  clock: Clock;
  owner: string;
  log: (message: string, err?: unknown) => void;
  /** A row was queued or a message of the merge changed (the status the window and the CLI show). */
  changed: (mergeId: string) => void;
  /**
   * Send what is due now: a process that does not run the queue by itself (the CLI) retries a
   * merge's messages this way when their time comes. Absent where the outbox runs itself.
   */
  retryDue?: () => Promise<void>;
  /** Messages whose sending process died are outcome-unknown once their lease runs out (the outbox's own rule). */
  expireAbandoned: () => Promise<void>;
  leaseMs?: number;
}

/** Something to sleep on until a timer or a wake, whichever comes first. */
class Wakeup {
  private wakeNow: (() => void) | undefined;
  private woken = false;

  constructor(private readonly clock: Clock) {}

  wake(): void {
    this.woken = true;
    this.wakeNow?.();
  }

  sleep(ms: number): Promise<void> {
    if (this.woken) return Promise.resolve(void (this.woken = false));
    return new Promise((resolve) => {
      const done = () => {
        this.clock.clearTimer(timer);
        this.wakeNow = undefined;
        this.woken = false;
        resolve();
      };
      const timer = this.clock.setTimer(done, Math.max(0, ms));
      this.wakeNow = done;
    });
  }
}

/**
 * Runs merges: queues each pending row as an outbox item (the row turning `queued` in the same
 * transaction), at the pace the throttle allows, slower when the server says it is busy, and ends
 * the merge once every row is queued and no message is still on its way. One process runs a merge
 * at a time (its lease in the merges table); the outbox delivers each message exactly as it does
 * any other, so a row killed at any moment is resumed without a second copy.
 */
export class MergeRunner {
  private readonly running = new Map<string, { run: Promise<void>; wakeup: Wakeup }>();
  private closed = false;

  constructor(private readonly deps: MergeRunnerDeps) {}

  /** Run a merge here until it ends, is paused or cancelled, or another process runs it; resolves then. */
  run(id: string): Promise<void> {
    const found = this.running.get(id);
    if (found) return found.run;
    if (this.closed) return Promise.resolve();
    const wakeup = new Wakeup(this.deps.clock);
    const run = this.drive(id, wakeup)
      .catch((err: unknown) => this.deps.log(`the merge ${id} stopped`, err))
      .finally(() => this.running.delete(id));
    this.running.set(id, { run, wakeup });
    return run;
  }

  /** Look again now (paused, resumed or cancelled here). */
  poke(id: string): void {
    this.running.get(id)?.wakeup.wake();
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const r of this.running.values()) r.wakeup.wake();
    await Promise.allSettled([...this.running.values()].map((r) => r.run));
  }

  private now() {
    return this.deps.clock.now().getTime();
  }

  /** At most half the pace, from now or from when the refused message is tried again. */
  private async slowDown(merge: MergeRecord, retryAt: string | undefined): Promise<void> {
    const intervalMs = slowerAfterBusy(merge.intervalMs);
    const nextAt = Math.max(this.now() + intervalMs, retryAt ? Date.parse(retryAt) : 0);
    await this.deps.database.write(() => this.deps.repo.setPace(merge.id, intervalMs, nextAt));
    this.deps.log(`the server asked the merge ${merge.id} to slow down: a message every ${Math.round(intervalMs / 1000)} s from now on`);
  }

  private async drive(id: string, wakeup: Wakeup): Promise<void> {
    const { database, repo, events, owner } = this.deps;
    const leaseMs = this.deps.leaseMs ?? LEASE_MS;
    if (!(await database.write(() => repo.takeLease(id, owner, this.now() + leaseMs, this.now())))) return;
    let renewedAt = this.now();
    const off = events.on('outbox:changed', (item) => {
      if (item.merge?.id !== id) return;
      this.deps.changed(id);
      wakeup.wake();
    });
    const queuing = new Map<number, Promise<void>>();
    try {
      const send = new RowSender(this.deps, repo.get(id)!);
      const slowedFor = new Set<string>();
      let expiredAt = -Infinity;
      while (!this.closed) {
        if (this.now() - renewedAt > leaseMs / 3) {
          if (!(await database.write(() => repo.takeLease(id, owner, this.now() + leaseMs, this.now())))) break;
          renewedAt = this.now();
        }
        // The pace as stored: each row queued sets when the next may go (its own time plus the interval).
        const merge = repo.get(id);
        if (merge?.state !== 'running') break;
        const inFlight = repo.inFlight(id);
        // The server said "not now" (4xx) to one of ours: slow the whole merge down rather than fail rows.
        const busy = inFlight.find((i) => i.state === 'retrying' && i.errorCode === 'SERVER_TEMPORARY' && !slowedFor.has(i.itemId));
        if (busy) {
          slowedFor.add(busy.itemId);
          await this.slowDown(merge, busy.dueAt);
          continue;
        }
        const { intervalMs, nextAt } = merge;
        // A message another process was sending when it died: settled by the lease rule, or the merge would wait for it forever.
        if (inFlight.some((i) => i.state === 'sending') && this.now() - expiredAt >= LOOK_EVERY_MS) {
          expiredAt = this.now();
          await this.deps.expireAbandoned();
        }
        const room = (intervalMs ? 1 : WINDOW) - inFlight.length - queuing.size;
        const retries = inFlight.filter((i) => i.state === 'retrying').map((i) => (i.dueAt ? Date.parse(i.dueAt) : 0));
        if (retries.length && this.deps.retryDue && Math.min(...retries) <= this.now()) await this.deps.retryDue();
        const waitingRetry = retries.length > 0;
        const pending = repo.pending(id, QUEUING_AT_ONCE + queuing.size).filter((r) => !queuing.has(r.row));
        if (!pending.length && !queuing.size && !inFlight.length) {
          if (await database.write(() => repo.change(id, 'finish'))) this.deps.changed(id);
          break;
        }
        if (!pending.length || room <= 0 || waitingRetry || queuing.size >= QUEUING_AT_ONCE) {
          await wakeup.sleep(retries.length ? Math.min(LOOK_EVERY_MS, Math.max(RETRY_LOOK_MS, Math.min(...retries) - this.now())) : LOOK_EVERY_MS);
          continue;
        }
        const now = this.now();
        const allowed = Math.max(nextAt, merge.spec.throttle.perDay ? dayAllows(merge.spec.throttle, repo.queuedSince(merge.accountId, now - DAY_MS), now) : now);
        if (allowed > now) {
          await wakeup.sleep(Math.min(allowed - now, LOOK_EVERY_MS));
          continue;
        }
        const take = intervalMs ? pending.slice(0, 1) : pending.slice(0, Math.min(room, QUEUING_AT_ONCE - queuing.size));
        for (const row of take) {
          const queued = send
            .queue(row, intervalMs)
            .catch(async (err: unknown) => {
              // Not the row's fault (the account was removed, the disk is full): the merge waits for the user, said why.
              this.deps.log(`row ${row.row} of the merge ${id} was not queued; the merge is paused`, err);
              const info = err instanceof MailwrightError ? err.info : errorInfo('INTERNAL_ERROR', { message: phrase('err.internal'), hint: phrase('err.internal.hint'), quote: systemWords(err) });
              await database.write(() => repo.pauseWith(id, info)).catch(() => undefined);
            })
            .finally(() => {
              queuing.delete(row.row);
              this.deps.changed(id);
              wakeup.wake();
            });
          queuing.set(row.row, queued);
        }
      }
    } finally {
      off();
      await Promise.allSettled(queuing.values());
      await database.write(() => repo.releaseLease(id, owner)).catch(() => undefined);
    }
  }
}

/** Turns one pending row into its outbox item, committed with the row's new state. */
class RowSender {
  private readonly planner: RowPlanner;
  private readonly handles = new Map<string, Promise<string>>();

  constructor(
    private readonly deps: MergeRunnerDeps,
    private readonly merge: MergeRecord,
  ) {
    this.planner = new RowPlanner(compileTemplate(merge.spec.template, merge.spec.locale), merge.spec.columns, merge.spec.folder);
  }

  private handleOf(path: string): Promise<string> {
    let handle = this.handles.get(path);
    if (!handle) this.handles.set(path, (handle = this.deps.attachments.register(path).then((a) => a.handle)));
    return handle;
  }

  async queue(row: PendingRow, intervalMs: number): Promise<void> {
    const { database, repo, outbox, owner } = this.deps;
    const merge = this.merge;
    let plan = this.planner.plan(row.data, row.row);
    if (!isRefused(plan)) plan = await this.planner.checkFiles(plan);
    let attachments: Array<{ handle: string }> = [];
    let why = isRefused(plan) ? sayText('en', plan.problem) : undefined;
    if (!isRefused(plan)) {
      try {
        attachments = await Promise.all([...merge.spec.files, ...plan.files].map(async (path) => ({ handle: await this.handleOf(path) })));
      } catch (err) {
        if (!(err instanceof MailwrightError)) throw err;
        why = err.info.message;
      }
    }
    if (why !== undefined || isRefused(plan)) {
      // It was valid when the merge started; something changed since (a file moved): skipped, and said why.
      const skipped = why ?? '';
      await database.write(() => repo.skip(merge.id, row.row, skipped));
      return;
    }
    const draft = draftOfRow(merge.accountId, plan, attachments);
    try {
      await outbox.enqueue(draft, { mergeId: merge.id, row: row.row, alongside: (item) => repo.markQueued(merge.id, row.row, item.id, Date.parse(item.createdAt), Date.parse(item.createdAt) + intervalMs, owner) });
    } catch (err) {
      if (err instanceof RowTaken) return; // another process queued it, or the merge stopped being ours: nothing to undo
      throw err;
    }
  }
}
