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

/**
 * When mail goes out: takes due messages from the database as slots free up (one statement, so
 * another process never takes the same one), keeps the leases of those being sent, and hands
 * back to retry or to the user the messages whose sender stopped answering (a process that died).
 * Looks again when the next message falls due, when an attempt ends, and every lookEveryMs.
 */
export class Scheduler {
  private running = new Set<Promise<void>>();
  /** Slots promised to messages being built to go at once (see reserve). */
  private reserved = 0;
  private readonly sendingIds = new Set<string>();
  /** Asked to take what is due without running the queue (see kick): each freed slot takes more. */
  private kicked = false;
  private timer: unknown;
  private heartbeat: unknown;
  private looking = false;
  private lookAgain = false;
  private stopped = true;

  constructor(private readonly deps: SchedulerDeps) {}

  private get slots() {
    return this.deps.slots ?? SLOTS;
  }

  private get leaseMs() {
    return this.deps.leaseMs ?? LEASE_MS;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake();
  }

  /** A slot for a message about to be built and sent at once; false when none is free. Given back by begin or unreserve. */
  reserve(): boolean {
    if (this.running.size + this.reserved >= this.slots) return false;
    this.reserved++;
    return true;
  }

  unreserve(): void {
    this.reserved--;
    this.wake();
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

  /** Look for due work now (a message queued, a user's "send now", the network back). */
  wake(): void {
    if (this.stopped) return;
    if (this.looking) return void (this.lookAgain = true);
    this.looking = true;
    void this.look()
      .catch((err: unknown) => this.deps.log('outbox scheduling failed', err))
      .finally(() => {
        this.looking = false;
        if (this.lookAgain) {
          this.lookAgain = false;
          this.wake();
        }
      });
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

  private async look(): Promise<void> {
    const { repo, database, clock, owner } = this.deps;
    const now = clock.now().getTime();
    const lookEvery = this.deps.lookEveryMs ?? LOOK_EVERY_MS;
    const expired = await database.write(() => {
      // Answering for the queue until well after the next look: a process starting meanwhile leaves it to us.
      repo.keepRunner(owner, now + 2 * lookEvery + this.leaseMs);
      return repo.expireLeases(now, this.deps.unknownError(), owner);
    });
    for (const item of expired) this.deps.changed(item);
    await this.takeDue();
    await this.deps.onLook?.();
    if (this.stopped) return;
    const next = repo.nextDue();
    const at = Math.min(next ?? Infinity, now + lookEvery);
    if (this.timer) clock.clearTimer(this.timer);
    this.timer = clock.setTimer(() => this.wake(), Math.max(0, at - clock.now().getTime()));
  }

  /** Take as many due messages as there are free slots and begin their attempts; how many began. */
  private async takeDue(): Promise<number> {
    const free = this.slots - this.running.size - this.reserved;
    if (free <= 0) return 0;
    const { repo, database, clock, owner } = this.deps;
    const now = clock.now().getTime();
    const taken = await database.write(() => repo.claimDue(now, owner, now + this.leaseMs, free));
    for (const { item, lease } of taken) {
      this.deps.changed(item);
      this.begin(item, lease);
    }
    return taken.length;
  }

  /** Whether an attempt of this process is sending `id` now. */
  isSending(id: string): boolean {
    return this.sendingIds.has(id);
  }

  private begin(item: OutboxItem, lease: Lease): void {
    if (!this.running.size) this.renewWhileSending();
    this.sendingIds.add(item.id);
    const run = this.deps
      .attempt(item, lease)
      .catch((err: unknown) => this.deps.log(`sending ${item.id} could not be completed`, err))
      .finally(() => {
        this.running.delete(run);
        this.sendingIds.delete(item.id);
        if (!this.running.size && this.heartbeat) this.deps.clock.clearTimer(this.heartbeat);
        // A slot is free.
        if (!this.stopped) this.wake();
        else if (this.kicked) this.kick();
      });
    this.running.add(run);
  }

  /**
   * While this process sends (the app, or a CLI's `outbox run`), renew its leases at a third of
   * their length, so no other process takes its messages for abandoned.
   */
  private renewWhileSending(): void {
    const { clock, repo, database, owner } = this.deps;
    const renew = () => {
      if (!this.running.size) return;
      const now = clock.now().getTime();
      void database.write(() => repo.renewLeases(owner, now, now + this.leaseMs)).catch((err: unknown) => this.deps.log('renewing the outbox leases failed', err));
      this.heartbeat = clock.setTimer(renew, this.leaseMs / 3);
    };
    this.heartbeat = clock.setTimer(renew, this.leaseMs / 3);
  }

  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Take what is due now once, whether or not this process runs the queue (a CLI's message that found every slot busy). */
  kick(): void {
    this.kicked = true;
    void this.takeDue().catch((err: unknown) => this.deps.log('outbox scheduling failed', err));
  }

  /** Stop looking; attempts under way finish, then the queue is no longer this process's. */
  async stop(): Promise<void> {
    const wasRunning = !this.stopped;
    this.stopped = true;
    this.kicked = false;
    if (this.timer) this.deps.clock.clearTimer(this.timer);
    await this.idle();
    if (this.heartbeat) this.deps.clock.clearTimer(this.heartbeat);
    if (wasRunning) await this.deps.database.write(() => this.deps.repo.dropRunner(this.deps.owner)).catch(() => undefined);
  }
}
