import type { AccountStore } from '../../accounts/account-store';
import type { AttachmentRegistry } from '../../attachments/attachment-registry';
import type { Clock } from '../../clock';
import type { DkimKeys } from '../../deliverability/dkim-keys';
import type { Database } from '../../db/database';
import { phrase } from '../../../../shared/i18n/errors/phrase';
import { errorInfo, MailwrightError, systemWords } from '../../errors';
import type { CoreEvents } from '../../events';
import type { OutboxService } from '../../outbox/outbox-service';
import { SETTLED, type ItemState, type MergeRecord, type MergeRepository, type PendingRow } from './merge-repository';
import { RowSender, type RowOutcome } from './row-sender';
import { DAY_MS, dayAllows, slowerAfterBusy } from './throttle';

const LEASE_MS = 60_000;
/** Messages of one merge on their way at once: the outbox's sending slots, so each is committed straight as sending. */
const WINDOW = 16;
/** Rows built and committed at once: enough for the builds of a bulk send to share commits. */
const QUEUING_AT_ONCE = 8;
/** Pending rows read at a time. */
const READ_AHEAD = 64;
/** The longest a runner sleeps without looking again (a pause or cancel from another process). */
const LOOK_EVERY_MS = 5_000;
/** The least a runner waits for a retry to come due (the outbox may not have taken it yet). */
const RETRY_LOOK_MS = 200;
/**
 * How often the runner reads its messages' states from the database; between, it knows them from
 * this process's events (a look at each wake cost ~0.15 ms a row, bench/merge.ts). Real time, not
 * the clock: it bounds work, and another process's change to one of them is seen within it.
 */
const STATES_LOOK_MS = 1_000;

export interface MergeRunnerDeps {
  database: Database;
  repo: MergeRepository;
  outbox: OutboxService;
  attachments: AttachmentRegistry;
  accounts: AccountStore;
  events: CoreEvents;
  clock: Clock;
  owner: string;
  log: (message: string, err?: unknown) => void;
  /** A row was queued or a message of the merge changed (the status the window and the CLI show); `stateChanged`: the merge's own state did. */
  changed: (mergeId: string, stateChanged?: boolean) => void;
  /**
   * Send what is due now: a process that does not run the queue by itself (the CLI) retries a
   * merge's messages this way when their time comes. Absent where the outbox runs itself.
   */
  retryDue?: () => Promise<void>;
  /** Messages whose sending process died, once their lease runs out: retried, or outcome-unknown past their final dot (the outbox's own rule). */
  expireAbandoned: () => Promise<void>;
  leaseMs?: number;
  /** The account's DKIM signer: a key that cannot be read pauses the merge, never skips its rows. */
  dkim?: Pick<DkimKeys, 'signerFor'>;
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
  private readonly running = new Map<string, { run: Promise<void>; wakeup: Wakeup; stopping: boolean }>();
  private closed = false;

  constructor(private readonly deps: MergeRunnerDeps) {}

  /** Run a merge here until it ends, is paused or cancelled, or another process runs it; resolves then. */
  run(id: string): Promise<void> {
    const found = this.running.get(id);
    // One that is stopping (paused a moment ago) has read the state it stops for: a resume starts anew after it.
    if (found) return found.stopping ? found.run.then(() => this.run(id)) : found.run;
    if (this.closed) return Promise.resolve();
    const entry = { run: Promise.resolve(), wakeup: new Wakeup(this.deps.clock), stopping: false };
    entry.run = this.drive(id, entry)
      .catch((err: unknown) => this.deps.log(`the merge ${id} stopped`, err))
      .finally(() => this.running.delete(id));
    this.running.set(id, entry);
    return entry.run;
  }

  /** Look again now (paused, resumed or cancelled here). */
  poke(id: string): void {
    this.running.get(id)?.wakeup.wake();
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

  /** Stopped for what the user must see to (the account's login, the disk): paused, with the error. */
  private pause(id: string, err: unknown): Promise<boolean> {
    this.deps.log(`the merge ${id} is paused`, err);
    const info = err instanceof MailwrightError ? err.info : errorInfo('INTERNAL_ERROR', { message: phrase('err.internal'), hint: phrase('err.internal.hint'), quote: systemWords(err) });
    return this.deps.database.write(() => this.deps.repo.pauseWith(id, info)).then(
      () => (this.deps.changed(id, true), true),
      () => false,
    );
  }

  /** How many rows may be queued now: the window's room, and what is left of the day's limit. */
  private room(merge: MergeRecord, inFlight: number, queuing: number): number {
    const window = WINDOW - inFlight - queuing;
    const { perDay } = merge.spec.throttle;
    return perDay ? Math.min(window, perDay - this.deps.repo.queuedSince(merge.accountId, this.now() - DAY_MS).count - queuing) : window;
  }

  private async drive(id: string, entry: { wakeup: Wakeup; stopping: boolean }): Promise<void> {
    const { database, repo, events, owner } = this.deps;
    const { wakeup } = entry;
    const leaseMs = this.deps.leaseMs ?? LEASE_MS;
    if (!(await database.write(() => repo.takeLease(id, owner, this.now() + leaseMs, this.now())))) return;
    let renewedAt = this.now();
    // The messages of this merge on their way: found once, then followed by id (a look at every
    // row on each turn made a 10,000-row merge quadratic). One that comes back on its way (released
    // by a sign-in, retried by the user) is followed again.
    const following = new Set(repo.inFlight(id).map((i) => i.itemId));
    /** What this process last told of each message followed (its events come after their commits). */
    const heard = new Map<string, ItemState>();
    let statesAt = -Infinity;
    const off = events.on('outbox:changed', (item) => {
      if (item.merge?.id !== id) return;
      this.deps.changed(id);
      if (!SETTLED.includes(item.state)) following.add(item.id);
      if (following.has(item.id)) heard.set(item.id, { itemId: item.id, state: item.state, ...(item.dueAt ? { dueAt: item.dueAt } : {}), ...(item.error ? { error: item.error } : {}) });
      // Only a message that settled, or waits for a retry, changes what the runner may do next.
      if (item.state === 'retrying' || SETTLED.includes(item.state)) wakeup.wake();
    });
    const queuing = new Map<number, Promise<void>>();
    let stuck = false;
    try {
      const spec = repo.get(id)!;
      const send = new RowSender(this.deps, spec);
      /** The next pending rows, read a batch at a time. */
      let ahead: PendingRow[] = [];
      const slowedFor = new Set<string>();
      let expiredAt = -Infinity;
      /** Rows this runner is done with (queued, skipped or taken), so a batch read before does not offer them again. */
      const handled = new Set<number>();
      while (!this.closed && !stuck) {
        if (this.now() - renewedAt > leaseMs / 3) {
          if (!(await database.write(() => repo.takeLease(id, owner, this.now() + leaseMs, this.now())))) break;
          renewedAt = this.now();
        }
        // The pace as stored: each row queued sets when the next may go (its own time plus the interval).
        const pace = repo.pace(id);
        if (pace?.state !== 'running') {
          this.deps.changed(id, true); // paused or cancelled by another process: told here too
          break;
        }
        const merge = { ...spec, ...pace };
        let states: ItemState[];
        if (performance.now() - statesAt >= STATES_LOOK_MS || [...following].some((i) => !heard.has(i))) {
          states = repo.states([...following]);
          statesAt = performance.now();
          for (const s of states) heard.set(s.itemId, s);
        } else states = [...following].map((i) => heard.get(i)!);
        for (const item of states) {
          if (!SETTLED.includes(item.state)) continue;
          following.delete(item.itemId);
          heard.delete(item.itemId);
        }
        const inFlight = states.filter((i) => following.has(i.itemId));
        // The account cannot log in: every further row would wait for it too. Paused until the user signs in and resumes.
        const signIn = states.find((i) => i.state === 'needs-sign-in' && i.error);
        if (signIn) {
          await database.write(() => repo.pauseWith(id, signIn.error!));
          this.deps.changed(id, true);
          continue;
        }
        // The server said "not now" (4xx) to one of ours: slow the whole merge down rather than fail rows.
        const busy = inFlight.find((i) => i.state === 'retrying' && i.error?.code === 'SERVER_TEMPORARY' && !slowedFor.has(i.itemId));
        if (busy) {
          slowedFor.add(busy.itemId);
          await this.slowDown(merge, busy.dueAt);
          continue;
        }
        // A message another process was sending when it died: settled by the lease rule, or the merge would wait for it forever.
        if (inFlight.some((i) => i.state === 'sending') && this.now() - expiredAt >= LOOK_EVERY_MS) {
          expiredAt = this.now();
          await this.deps.expireAbandoned();
        }
        const retries = inFlight.filter((i) => i.state === 'retrying').map((i) => (i.dueAt ? Date.parse(i.dueAt) : 0));
        if (retries.length && this.deps.retryDue && Math.min(...retries) <= this.now()) await this.deps.retryDue();
        ahead = ahead.filter((r) => !queuing.has(r.row) && !handled.has(r.row));
        if (!ahead.length) ahead = repo.pending(id, READ_AHEAD + queuing.size).filter((r) => !queuing.has(r.row));
        const pending = ahead;
        if (!pending.length && !queuing.size && !inFlight.length) {
          if (await database.write(() => repo.change(id, 'finish'))) this.deps.changed(id, true);
          break;
        }
        const now = this.now();
        const dayAt = merge.spec.throttle.perDay ? dayAllows(merge.spec.throttle, repo.queuedSince(merge.accountId, now - DAY_MS), now) : now;
        const allowed = Math.max(merge.nextAt, dayAt);
        // With a pace, one row at a time (the next_at its commit writes says when the next may go).
        const room = Math.min(this.room(merge, inFlight.length, queuing.size), (merge.intervalMs ? 1 : QUEUING_AT_ONCE) - queuing.size);
        if (!pending.length || room <= 0 || allowed > now) {
          const retryIn = retries.length ? Math.max(RETRY_LOOK_MS, Math.min(...retries) - now) : LOOK_EVERY_MS;
          await wakeup.sleep(Math.min(LOOK_EVERY_MS, retryIn, allowed > now ? allowed - now : LOOK_EVERY_MS));
          continue;
        }
        for (const row of pending.slice(0, room)) {
          const queued = send
            .queue(row, merge.intervalMs)
            .then((outcome: RowOutcome) => {
              handled.add(row.row);
              if (typeof outcome === 'object') following.add(outcome.queued);
              // Taken by another process (or our lease is gone): look at the lease before anything more.
              else if (outcome === 'taken') renewedAt = -Infinity;
            })
            .catch(async (err: unknown) => {
              // A pause that cannot even be written (the disk): stop here rather than try the row again and again.
              if (!(await this.pause(id, err))) stuck = true;
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
      entry.stopping = true;
      off();
      await Promise.allSettled(queuing.values());
      await database.write(() => repo.releaseLease(id, owner)).catch(() => undefined);
    }
  }
}
