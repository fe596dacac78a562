import { randomBytes } from 'node:crypto';
import type { ErrorInfo } from '../../../shared/errors';
import type { OutboxItem } from '../../../shared/model/outbox';
import type { Clock } from '../clock';
import type { Database } from '../db/database';
import type { Lease, OutboxRepository } from './outbox-repository';

export interface SchedulerDeps {
  repo: OutboxRepository;
  database: Database;
  clock: Clock;
  /** This process, as leases name it. */
  owner: string;
  /** Deliver one message taken under `lease` and record its outcome. */
  attempt: (item: OutboxItem, lease: Lease) => Promise<void>;
  /** What a message whose sender stopped answering after its bytes may have arrived is told. */
  unknownError: () => ErrorInfo;
  /** A message changed without an attempt of this process (a lease that ran out). */
  changed: (item: OutboxItem) => void;
  log: (message: string, err?: unknown) => void;
  /** Attempts at once (each holds a pooled connection and its message's bytes). */
  slots?: number;
  /** How long a sender answers for a message without renewing; renewed at a third of it. */
  leaseMs?: number;
  /** The periodic look for what other processes queued or left. */
  lookEveryMs?: number;
  /** More to do on each look (mail waiting for a sign-in another process stored). */
  onLook?: () => Promise<void>;
}

const SLOTS = 16;
const LEASE_MS = 60_000;
const LOOK_EVERY_MS = 30_000;
/** After a look or a fill that failed (a busy or full disk), the next try: not at once, or it would spin. */
const RETRY_AFTER_FAILURE_MS = 1_000;

/**
 * When mail goes out: takes due messages from the database as slots free up (one statement, so
 * another process never takes the same one), keeps the leases of the attempts it runs, and hands
 * to the user the messages whose sender stopped answering (a process that died or froze). Looks
 * again when the next message falls due, when a slot frees, and every lookEveryMs.
 */
export class Scheduler {
  /** The attempts running, by message id, with their leases. */
  private readonly running = new Map<string, { run: Promise<void>; lease: Lease }>();
  /** Slots promised: to messages being built to go at once (see reserve), and to a claim under way. */
  private reserved = 0;
  /** Asked to take what is due without running the queue (see kick): each freed slot takes more. */
  private kicked = false;
  private timer: unknown;
  /** When the timer fires (undefined: none set). */
  private timerAt: number | undefined;
  /** When the next full look is due (the periodic one: leases, runners, logins). */
  private fullLookAt = 0;
  private heartbeat: unknown;
  private looking: Promise<void> | undefined;
  private lookAgain = false;
  private stopped = true;
  private closing = false;

  constructor(private readonly deps: SchedulerDeps) {}

  private get slots() {
    return this.deps.slots ?? SLOTS;
  }

  private get leaseMs() {
    return this.deps.leaseMs ?? LEASE_MS;
  }

  private get lookEvery() {
    return this.deps.lookEveryMs ?? LOOK_EVERY_MS;
  }

  private get free() {
    return this.slots - this.running.size - this.reserved;
  }

  start(): void {
    if (!this.stopped || this.closing) return;
    this.stopped = false;
    void this.wake();
  }

  /** A slot for a message about to be built and sent at once; false when none is free. Given back by beginReserved or unreserve. */
  reserve(): boolean {
    if (this.closing || this.free <= 0) return false;
    this.reserved++;
    return true;
  }

  unreserve(): void {
    this.reserved--;
    this.slotFreed();
  }

  /** Send a message committed as "sending" under `lease` in the slot reserved for it. */
  beginReserved(item: OutboxItem, lease: Lease): void {
    this.reserved--;
    this.begin(item, lease);
  }

  /** A lease for a message this process builds to send at once. */
  newLease(): Lease {
    const now = this.deps.clock.now().getTime();
    return { owner: this.deps.owner, attempt: randomBytes(16).toString('hex'), until: now + this.leaseMs };
  }

  /** Whether an attempt of this process is sending `id` now. */
  isSending(id: string): boolean {
    return this.running.has(id);
  }

  /**
   * Look for due work now (a message queued, a user's "send now", the network back). Resolves when
   * the look (one running already, then one more) is done.
   */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.looking) {
      this.lookAgain = true;
      return this.looking;
    }
    const look = this.look()
      .catch((err: unknown) => this.deps.log('outbox scheduling failed', err))
      .finally(() => {
        this.looking = undefined;
        if (this.lookAgain) {
          this.lookAgain = false;
          void this.wake();
        }
      });
    this.looking = look;
    return look;
  }

  /** Everything due now, then done: the CLI's `outbox run`. Returns once every attempt it began has ended. */
  async runDue(): Promise<void> {
    for (let rounds = 0; rounds < 100_000; rounds++) {
      const began = await this.takeDue();
      if (!began) break;
      await this.idle();
    }
    await this.idle();
  }

  /** Messages whose sender stopped answering for them (a process that died), as the full look finds them: retried, or outcome-unknown past their final dot. */
  async expireAbandoned(): Promise<void> {
    const { repo, database, clock } = this.deps;
    const expired = await database.write(() => repo.expireLeases(clock.now().getTime(), this.deps.unknownError(), this.liveAttempts()));
    for (const item of expired) this.deps.changed(item);
  }

  /**
   * The full look: leases that ran out, this process's runner row, what is due, and the mail
   * waiting for a sign-in. On start, on the timer's periodic turn and when asked (wake).
   */
  private async look(): Promise<void> {
    const { repo, database, clock, owner } = this.deps;
    const now = clock.now().getTime();
    this.fullLookAt = now + this.lookEvery;
    let failed = true;
    try {
      const expired = await database.write(() => {
        // Answering for the queue until well after the next look: a process starting meanwhile leaves it to us.
        repo.keepRunner(owner, now + 2 * this.lookEvery + this.leaseMs);
        return repo.expireLeases(now, this.deps.unknownError(), this.liveAttempts());
      });
      for (const item of expired) this.deps.changed(item);
      await this.takeDue();
      await this.deps.onLook?.();
      failed = false;
    } finally {
      // Whatever happened above, the next look is set: one failure (a busy or full disk) must not stop
      // scheduled mail, nor make the timer spin on a due time it could not take.
      this.arm(failed ? clock.now().getTime() + RETRY_AFTER_FAILURE_MS : undefined);
    }
  }

  /**
   * A slot freed: take what is due now, and nothing more. A full look per message sent cost a
   * commit (and an fsync) each (bench/throughput.ts).
   */
  private async fill(): Promise<void> {
    let notBefore: number | undefined;
    try {
      await this.takeDue();
    } catch (err) {
      this.deps.log('outbox scheduling failed', err);
      notBefore = this.deps.clock.now().getTime() + RETRY_AFTER_FAILURE_MS;
    } finally {
      this.arm(notBefore);
    }
  }

  /**
   * Set the timer for the next thing to do: the next message due (when a slot is free for it; a
   * freed slot fills itself), or the next full look.
   */
  private arm(notBefore = -Infinity): void {
    if (this.stopped) return;
    let at = this.fullLookAt;
    if (this.free > 0) {
      try {
        at = Math.min(this.deps.repo.nextDue() ?? Infinity, at);
      } catch {
        at = Math.min(this.deps.clock.now().getTime() + RETRY_AFTER_FAILURE_MS, at); // the database cannot be read now: try again in a while
      }
    }
    this.setTimer(Math.max(at, notBefore));
  }

  private setTimer(at: number): void {
    const { clock } = this.deps;
    if (this.timer) clock.clearTimer(this.timer);
    this.timerAt = at;
    this.timer = clock.setTimer(
      () => {
        this.timer = this.timerAt = undefined;
        if (clock.now().getTime() >= this.fullLookAt) void this.wake();
        else void this.fill();
      },
      Math.max(0, at - clock.now().getTime()),
    );
  }

  /** Something falls due at `at` (a message queued for later): the timer fires by then, with no look now. */
  dueBy(at: number): void {
    // A look running now arms the timer when it ends, from the queue as it is then (this message is committed already).
    if (this.stopped || this.looking) return;
    if (this.timerAt === undefined || at < this.timerAt) this.setTimer(at);
  }

  /** The attempts this process is running: their leases are alive whatever the clock says. */
  private liveAttempts(): string[] {
    return [...this.running.values()].map((r) => r.lease.attempt);
  }

  /** Take as many due messages as there are free slots and begin their attempts; how many began. */
  private async takeDue(): Promise<number> {
    const free = this.free;
    if (free <= 0 || this.closing) return 0;
    const { repo, database, clock, owner } = this.deps;
    // A read first: when nothing is due (a freed slot, most of the time) no write transaction is begun.
    const next = repo.nextDue();
    if (next === undefined || next > clock.now().getTime()) return 0;
    // The slots are held while the claim commits: a build or another take meanwhile cannot have them too.
    this.reserved += free;
    let taken: ReturnType<OutboxRepository['claimDue']>;
    try {
      const now = clock.now().getTime();
      taken = await database.write(() => repo.claimDue(now, owner, now + this.leaseMs, free));
    } finally {
      this.reserved -= free;
    }
    for (const { item, lease } of taken) {
      this.deps.changed(item);
      this.begin(item, lease);
    }
    return taken.length;
  }

  private begin(item: OutboxItem, lease: Lease): void {
    if (!this.running.size) this.renewWhileSending();
    const run = this.deps
      .attempt(item, lease)
      .catch((err: unknown) => this.deps.log(`sending ${item.id} could not be completed`, err))
      .finally(() => {
        // Only this attempt's entry: the same message may be sent again meanwhile (resent after its lease was taken over).
        if (this.running.get(item.id)?.run === run) this.running.delete(item.id);
        if (!this.running.size && this.heartbeat) this.deps.clock.clearTimer(this.heartbeat);
        this.slotFreed();
      });
    this.running.set(item.id, { run, lease });
  }

  private slotFreed(): void {
    if (!this.stopped) void this.fill();
    else if (this.kicked) this.kick();
  }

  /**
   * While this process sends (the app, or a CLI's `outbox run`), renew the leases of the attempts
   * it runs at a third of their length, so no other process takes their messages for abandoned. An
   * attempt that ended without recording its outcome (a full disk) is not renewed: its lease runs
   * out and the message becomes outcome-unknown.
   */
  private renewWhileSending(): void {
    const { clock, repo, database, owner } = this.deps;
    const renew = () => {
      if (!this.running.size) return;
      const now = clock.now().getTime();
      const attempts = this.liveAttempts();
      void database.write(() => repo.renewLeases(owner, attempts, now + this.leaseMs)).catch((err: unknown) => this.deps.log('renewing the outbox leases failed', err));
      this.heartbeat = clock.setTimer(renew, this.leaseMs / 3);
    };
    this.heartbeat = clock.setTimer(renew, this.leaseMs / 3);
  }

  /** Once no attempt runs, none is being claimed and no build holds a slot. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.running.size) await Promise.allSettled([...this.running.values()].map((r) => r.run));
      else if (this.reserved) await new Promise((resolve) => setTimeout(resolve, 10)); // a build or a claim finishing
      else return;
    }
  }

  /** Take what is due now once, whether or not this process runs the queue (a CLI's message that found every slot busy). */
  kick(): void {
    if (!this.stopped) return void this.fill(); // running the queue: a fill also sets the timer again
    this.kicked = true;
    void this.takeDue().catch((err: unknown) => this.deps.log('outbox scheduling failed', err));
  }

  /** Stop taking work; attempts under way (and builds about to send) finish, then the queue is no longer this process's. */
  async stop(): Promise<void> {
    const wasRunning = !this.stopped;
    this.stopped = true;
    this.closing = true;
    this.kicked = false;
    if (this.timer) this.deps.clock.clearTimer(this.timer);
    await this.looking;
    await this.idle();
    if (this.heartbeat) this.deps.clock.clearTimer(this.heartbeat);
    if (wasRunning) await this.deps.database.write(() => this.deps.repo.dropRunner(this.deps.owner)).catch(() => undefined);
  }
}
