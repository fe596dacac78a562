import { stat } from 'node:fs/promises';
import type { ErrorInfo, Phrase } from '../../../shared/errors';
import { phrase } from '../../../shared/i18n/errors/phrase';
import type { Draft, DraftBack } from '../../../shared/model/draft';
import { FINAL_STATES, type OutboxItem, type OutboxState } from '../../../shared/model/outbox';
import type { AccountStore, StoredAccount } from '../accounts/account-store';
import type { AttachmentRegistry, RememberedFile } from '../attachments/attachment-registry';
import { draftFromEml } from './eml-to-draft';
import type { Clock } from '../clock';
import { errorInfo, invalidInput, MailwrightError, storageFailed, withHint } from '../errors';
import type { CoreEvents } from '../events';
import { readJsonFile, writeFileAtomic } from '../fs/atomic-file';
import { FILES_AT_ONCE, inBatches } from '../fs/in-batches';
import { buildMessageFile, draftMailboxes } from '../message/build-message';
import { pageOf, type ListPage } from '../../../shared/model/outbox-groups';
import type { TransportFactory } from '../smtp/transport-factory';
import { deliver } from './delivery';
import { backoffMs, DEFAULT_RETRY, isTemporary, waitsForSignIn, type RetryPolicy } from './retry-policy';
import type { OutboxStore } from './outbox-store';

export interface OutboxDeps {
  store: OutboxStore;
  accounts: AccountStore;
  attachments: AttachmentRegistry;
  transports: TransportFactory;
  events: CoreEvents;
  clock: Clock;
  log: (message: string, err?: unknown) => void;
  retry?: RetryPolicy;
  random?: () => number;
  /** Send due items by itself (the app, browser mode); the CLI sends only what it is asked to. */
  autoRun?: boolean;
  /**
   * Whether an account can log in now, for the accounts whose mail waits for a sign-in. `runDue`
   * asks in full (`mailwright outbox run` given a passphrase, or a password manager unlocked
   * since); a running outbox asks `cheap`ly on its periodic look (what is stored now: no password
   * command run, no refresh), which finds a sign-in or password another process stored.
   */
  loginAvailable?: (accountId: string, opts?: { cheap?: boolean }) => Promise<boolean>;
  /**
   * Called at each durable step of a send. A no-op in the product; the crash-matrix tests kill the
   * process here to prove that every step is recoverable.
   */
  checkpoint?: (step: OutboxCheckpoint) => void;
}

/** The steps of a send at which a crash must leave the outbox telling the truth. */
export type OutboxCheckpoint = 'built' | 'committed' | 'sending' | 'accepted';


/** The draft beside a waiting message, with its attachments' files (main-only). */
interface KeptDraft {
  draft: Draft;
  files: RememberedFile[];
}

/** Delivery attempts running at once, over all accounts (each account's pool has its own connection limit). */
const MAX_PARALLEL_ATTEMPTS = 16;
const WAITING: readonly OutboxState[] = ['held', 'scheduled', 'retrying'];
/** How often a running outbox looks for what other processes queued (a message left for later by the CLI). */
const LOOK_EVERY_MS = 30_000;

/** What the user asked of an item, by the name of its button (outbox.action.*). */
type OutboxAction = 'edit' | 'send-now' | 'reschedule' | 'cancel' | 'retry' | 'resend' | 'mark-sent';

/** "“Send now” is not possible for a message that is “Sent”": the button and the state as the outbox shows them. */
const notAllowed = (action: OutboxAction, state: OutboxState, hint: Phrase) =>
  invalidInput(phrase('err.outbox.notAllowed', { action: phrase(`outbox.action.${action}`), state: phrase(`outbox.state.${state}`) }), hint);

/** How long the pages after a first page are cut from its listing (a view takes 10,000 messages in three pages, well under a second). */
const LISTING_KEPT_MS = 10_000;

/**
 * The outbox as a state machine. Every transition is written durably before it takes effect; the
 * message bytes are built once and never rebuilt. Work on one item is serialised, so an undo and
 * the send it races can never both win. A dropped connection after the whole message went out is
 * "outcome unknown" — never resent by itself.
 */
export class OutboxService {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Items a look found due but busy here (see dueNow): when that work ends, look again. */
  private readonly dueWhileBusy = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private timer: unknown;
  /** The listing the last first page was cut from (see listPage). */
  private listing: { at: number; items: Promise<OutboxItem[]> } | undefined;
  /** When the timer fires (undefined: no timer). */
  private timerAt: number | undefined;
  /** One look for due work at a time; a wake asked for meanwhile runs once after it (see wake()). */
  private waking = false;
  private wakeAgain = false;
  /** Attempts started and those waiting for one of the MAX_PARALLEL_ATTEMPTS slots. */
  private running = 0;
  private readonly slotQueue: Array<() => void> = [];
  private readonly waitingForSlot = new Set<string>();
  private closed = false;
  /** Items another process is sending, not to be looked at again before the time noted. */
  private readonly elsewhere = new Map<string, number>();
  /** When each account with mail waiting for a sign-in last had its login looked at (see releaseReadyLogins). */
  private readonly loginLooked = new Map<string, number>();

  constructor(private readonly deps: OutboxDeps) {}

  private now() {
    return this.deps.clock.now();
  }

  /** Run `work` for one item after whatever is already running for it. */
  private exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(id) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    this.queues.set(id, tail);
    this.inFlight.add(tail);
    void tail.finally(() => {
      this.inFlight.delete(tail);
      if (this.queues.get(id) !== tail) return;
      this.queues.delete(id);
      if (this.dueWhileBusy.delete(id)) this.wake();
    });
    return run;
  }

  private async load(id: string): Promise<OutboxItem> {
    const item = await this.deps.store.get(id);
    if (!item) throw invalidInput(phrase('err.outbox.noItem', { id }), phrase('err.outbox.pick.hint'));
    return item;
  }

  private async transition(item: OutboxItem, change: Partial<OutboxItem>, drop: Array<keyof OutboxItem> = []): Promise<OutboxItem> {
    const next: OutboxItem = { ...item, ...change, updatedAt: this.now().toISOString() };
    for (const key of drop) delete next[key];
    if (next.state === 'sent') await this.deps.store.moveToSent(next);
    else await this.deps.store.save(next);
    this.deps.events.emit('outbox:changed', next);
    return next;
  }

  /**
   * Start-up: what was mid-send may have been delivered (outcome-unknown); what became due while
   * we were not running waits for the user (overdue), never sent blindly; retries go on.
   */
  async recover(): Promise<void> {
    const { interrupted } = await this.deps.store.recover();
    for (const found of interrupted) {
      // Under its claim, and only if still "sending": another process may have begun or ended an
      // attempt on it since the repair looked (found in review: a live CLI send marked unknown).
      // A claim held for a moment (a takeover, a user's action) is waited for, a little.
      for (let tries = 0; tries < 5; tries++) {
        const done = await this.ifClaimed(found.id, async () => {
          const item = await this.deps.store.get(found.id);
          if (item?.state !== 'sending') return;
          await this.transition(item, {
            state: 'outcome-unknown',
            error: errorInfo('OUTCOME_UNKNOWN', { message: phrase('err.outbox.interrupted'), hint: phrase('err.outbox.interrupted.hint') }),
          });
        });
        if (done) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const now = this.now().getTime();
    // Waiting items live in outbox/ only: reading sent/ too made every start cost the whole history.
    const overdue = (item: OutboxItem) => (item.state === 'held' || item.state === 'scheduled') && !item.overdue && !item.sendAtNextRun && !!item.dueAt && Date.parse(item.dueAt) <= now;
    for (const found of await this.deps.store.listQueued()) {
      if (!overdue(found)) continue;
      await this.ifClaimed(found.id, async () => {
        const item = await this.deps.store.get(found.id);
        if (item && overdue(item)) await this.transition(item, { overdue: true });
      });
    }
  }

  async enqueue(draft: Draft): Promise<OutboxItem> {
    const { store, accounts } = this.deps;
    const account = await accounts.getStored(draft.accountId);
    draftMailboxes(draft); // refuse bad addresses before anything is written
    // A folder that cannot be made or a claim that cannot be written (a read-only or full disk) is
    // a storage failure with its hint, not an unexpected error: the draft stays in the composer.
    await store.init().catch((err: unknown) => {
      throw storageFailed('outbox', err);
    });
    const created = this.now();
    const undo = draft.options?.undoSeconds ?? 0;
    const sendAt = draft.options?.sendAt ? new Date(draft.options.sendAt) : undefined;
    if (sendAt && sendAt.getTime() < created.getTime() - 60_000) throw invalidInput(phrase('err.outbox.pastTime'), phrase('err.outbox.pastTime.hint'));
    const id = store.newId(created);
    const immediate = undo <= 0 && !sendAt;
    // Due now with a sending slot free: committed as "sending" and delivered under the claim it was
    // built with. Committing it "scheduled", letting go of the claim, then claiming, reading and
    // rewriting it as "sending" cost a third of a mail merge's file operations (bench/throughput.ts).
    // A crash between the commit and the first byte then reads "outcome unknown", as one just after
    // a separate "sending" write did (test/integration/crash-matrix.test.ts).
    const sendNow = immediate && !this.closed && this.takeSlotNow();
    let committed!: (item: OutboxItem) => void;
    const ready = new Promise<OutboxItem>((resolve) => (committed = resolve));
    // Built inside exclusive(id): a look for due work that found the item committed but still
    // claimed by this build took it for another process's and put it aside for 5 s (5 s stalls
    // measured by bench/throughput.ts). Now the look skips it until the build is over.
    const run = this.exclusive(id, async () => {
      // Claimed while it is built, so another process's start-up repair leaves its files alone.
      const release = await store.claim(id).catch((err: unknown) => {
        throw storageFailed('outbox', err);
      });
      try {
        const item = await this.build(draft, account, id, created, undo, sendAt, sendNow);
        this.deps.events.emit('outbox:changed', item); // before whatever the delivery says next
        committed(item);
        if (!sendNow) return;
        // The caller hears "queued" before the first byte goes out (a CLI prints it; so does a crash test).
        await new Promise<void>((resolve) => setImmediate(resolve));
        await this.deliver(item);
      } finally {
        await release?.();
      }
    });
    if (sendNow) {
      void run.finally(() => this.releaseSlot()).catch(() => undefined);
      // Once committed, a failure is the delivery's to record (or log), not the caller's to see.
      void ready.then(() => run.catch((err: unknown) => this.deps.log(`sending ${id} could not be completed`, err)));
    }
    const item = await Promise.race([ready, run.then(() => ready)]);
    if (sendNow || this.closed) return item;
    // Due now but every slot busy: it waits its turn, without reading the whole outbox again for it
    // (one look per message made queueing n messages O(n²), bench/scaling.ts).
    if (immediate) void this.runAttempt(id);
    // Due later (undo window, send later): a look only if it is due before the timer, or if a look
    // running now might have missed it. Looking each time made queueing n held messages O(n²).
    else if (this.deps.autoRun && (this.waking || this.timerAt === undefined || Date.parse(item.dueAt ?? '') < this.timerAt)) this.wake();
    return item;
  }

  /** Build the message once, keep its draft, and commit it: from here it exists for everyone. */
  private async build(draft: Draft, account: StoredAccount, id: string, created: Date, undo: number, sendAt: Date | undefined, sendNow: boolean): Promise<OutboxItem> {
    const { store, attachments } = this.deps;
    let built;
    try {
      built = await buildMessageFile(draft, account, attachments, store.tmpPath(id), created);
    } catch (err) {
      if (err instanceof MailwrightError) throw err;
      throw storageFailed('outbox', err);
    }
    this.deps.checkpoint?.('built');
    const item: OutboxItem = {
      id,
      accountId: account.id,
      messageId: built.messageId,
      subject: draft.subject,
      from: built.from,
      sender: built.envelope.from,
      recipients: built.envelope.to,
      ...(built.bcc.length ? { bcc: built.bcc } : {}),
      state: sendNow ? 'sending' : undo > 0 && !sendAt ? 'held' : 'scheduled',
      createdAt: created.toISOString(),
      updatedAt: created.toISOString(),
      attempts: sendNow ? 1 : 0,
      size: built.size,
      ...(sendNow ? {} : { dueAt: (sendAt ?? new Date(created.getTime() + undo * 1000)).toISOString() }),
      giveUpAt: new Date((sendAt ?? created).getTime() + (this.deps.retry ?? DEFAULT_RETRY).lifetimeMs).toISOString(),
    };
    // The draft is kept beside a waiting message until it starts sending, to give it back exactly on
    // undo or edit — with the files behind its attachments, so that works after a restart too. A
    // message due now starts sending at once, so its draft would be written only to be deleted (two
    // fsyncs per message of a mail merge, bench/throughput.ts); editing it after a failure rebuilds
    // the draft from its bytes, as for any message that has been sent once.
    try {
      if (item.state === 'held' || sendAt) {
        const kept: KeptDraft = { draft, files: attachments.remember(draft.attachments.map((a) => a.handle)) };
        await writeFileAtomic(store.draftPath(id), JSON.stringify(kept));
      }
      await store.commit(item);
    } catch (err) {
      // Not queued (a full disk, found by the storage-fault tests): take back every file of this id
      // now, rather than leave a built message beside the outbox until the next start's repair.
      await store.discard(id);
      throw err instanceof MailwrightError ? err : storageFailed('outbox', err);
    }
    this.deps.checkpoint?.('committed');
    return item;
  }

  /** Begin sending due items by itself (a long-running process: the app, browser mode). */
  start(): void {
    this.deps.autoRun = true;
    this.wake();
  }

  /**
   * The machine can send again (woke from sleep, back online): what waits for a retry is due now,
   * rather than at the end of a backoff that was counting a network that was not there.
   */
  async retryWaitingNow(why: string): Promise<void> {
    const now = this.now().getTime();
    for (const item of await this.deps.store.listQueued()) {
      if (item.state !== 'retrying' || !item.dueAt || Date.parse(item.dueAt) <= now) continue;
      // Under its claim: a cancel from another process just now must not be written over.
      await this.ifClaimed(item.id, async () => {
        const current = await this.load(item.id);
        if (current.state === 'retrying') await this.transition(current, { dueAt: new Date(now).toISOString() });
      }).catch((err: unknown) => this.deps.log(`retrying ${item.id} now (${why}) failed`, err));
    }
    this.wake();
  }

  /**
   * Look for due work now, and set the timer for the next, at the latest LOOK_EVERY_MS from now: the
   * periodic look for what other processes (the CLI beside the app) queued. A look while the outbox
   * folder is unchanged reads no file (OutboxStore keeps the sidecars it last read completely).
   */
  wake(): void {
    if (this.closed || !this.deps.autoRun) return;
    // Each wake reads every sidecar. They used to run concurrently, one per enqueue and one per
    // finished attempt: with a thousand messages queued that opened more files at once than the
    // process may (EMFILE, found by the load test) and did quadratic work. Now one runs at a
    // time, and the wakes asked for while it runs become a single one after it.
    if (this.waking) {
      this.wakeAgain = true;
      return;
    }
    this.waking = true;
    void this.dueNow()
      .then(async ({ due, next, waitingForLogin }) => {
        for (const item of due) void this.runAttempt(item.id);
        await this.releaseReadyLogins(waitingForLogin);
        if (this.timer) this.deps.clock.clearTimer(this.timer);
        this.timer = this.timerAt = undefined;
        if (this.closed) return;
        const now = this.now().getTime();
        this.timerAt = Math.min(next ?? Infinity, now + LOOK_EVERY_MS);
        this.timer = this.deps.clock.setTimer(() => ((this.timerAt = undefined), this.wake()), Math.max(0, this.timerAt - now));
      })
      .catch((err: unknown) => this.deps.log('outbox scheduling failed', err))
      .finally(() => {
        this.waking = false;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  /**
   * Make sure a look for due work happens by `at`: what an attempt changed that needs a look later
   * (a retry's time, another process's claim). Looking at the disk after every attempt instead read
   * every waiting sidecar once per message sent (bench/scaling.ts, bench/throughput.ts).
   */
  private lookBy(at: number): void {
    if (this.closed || !this.deps.autoRun) return;
    // A look running now may have read the item before its change: look once more after it.
    if (this.waking) return void (this.wakeAgain = true);
    if (this.timerAt !== undefined && this.timerAt <= at) return;
    if (this.timer) this.deps.clock.clearTimer(this.timer);
    this.timerAt = at;
    this.timer = this.deps.clock.setTimer(() => ((this.timerAt = undefined), this.wake()), Math.max(0, at - this.now().getTime()));
  }

  /** Run `work` when fewer than MAX_PARALLEL_ATTEMPTS attempts are running (first come, first served). */
  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (!this.takeSlotNow()) await new Promise<void>((resolve) => this.slotQueue.push(resolve));
    try {
      return await work();
    } finally {
      this.releaseSlot();
    }
  }

  /** A sending slot, if one is free now and nobody waits for one. */
  private takeSlotNow(): boolean {
    if (this.running >= MAX_PARALLEL_ATTEMPTS) return false;
    this.running++;
    return true;
  }

  private releaseSlot(): void {
    // Hand the slot straight to the next in line, so a newcomer cannot overtake it.
    const next = this.slotQueue.shift();
    if (next) next();
    else this.running--;
  }

  private async dueNow(): Promise<{ due: OutboxItem[]; next?: number; waitingForLogin: Set<string> }> {
    const now = this.now().getTime();
    let next: number | undefined;
    const due: OutboxItem[] = [];
    const waitingForLogin = new Set<string>();
    // Only outbox/: sent/ holds no waiting item, and reading it made each look cost the whole history.
    for (const item of await this.deps.store.listQueued()) {
      if (item.state === 'needs-sign-in') waitingForLogin.add(item.accountId);
      if (!WAITING.includes(item.state) || item.overdue || this.waitingForSlot.has(item.id)) continue;
      const at = Math.max(item.dueAt ? Date.parse(item.dueAt) : now, this.elsewhere.get(item.id) ?? 0);
      // Busy here (being built, attempted or changed): not now, but the look is owed. Due already:
      // when the work ends; due later: then. A message that fell due while its build still let go of
      // its claim waited for the next periodic look (found when claims took longer to let go).
      if (this.queues.has(item.id)) {
        if (at <= now) this.dueWhileBusy.add(item.id);
        else next = Math.min(next ?? at, at);
      } else if (at <= now) due.push(item);
      else next = Math.min(next ?? at, at);
    }
    return { due, next, waitingForLogin };
  }

  /**
   * Mail waiting for a sign-in goes once its account's login is stored again, whoever stored it
   * (the CLI beside the app, a keychain that came back). Looked at once per periodic look at most,
   * and only at what is stored: a password command is not run for this, nor a token refreshed.
   */
  private async releaseReadyLogins(accounts: Set<string>): Promise<void> {
    const { loginAvailable } = this.deps;
    if (!loginAvailable) return;
    const now = this.now().getTime();
    for (const id of this.loginLooked.keys()) if (!accounts.has(id)) this.loginLooked.delete(id);
    for (const id of accounts) {
      if ((this.loginLooked.get(id) ?? -Infinity) > now - LOOK_EVERY_MS) continue;
      this.loginLooked.set(id, now);
      if (await loginAvailable(id, { cheap: true }).catch(() => false)) await this.loginReady(id);
    }
  }

  /**
   * An attempt started in the background: a failure to even record its outcome (a full disk) is
   * logged, never an unhandled rejection that would take the process down. The item stays in a
   * state that the next start reports truthfully.
   */
  private runAttempt(id: string): Promise<void> {
    // At most MAX_PARALLEL_ATTEMPTS at once: each holds an open file and a pooled connection, and
    // thousands due together must not open thousands of files (EMFILE, found by the load test).
    // Only when its slot comes does the item become exclusive: until then an undo or a cancel is
    // not held up behind the queue, and attemptClaimed() re-reads the state before sending.
    this.waitingForSlot.add(id);
    const run = this.slot(() => {
      this.waitingForSlot.delete(id);
      return this.exclusive(id, () => this.attempt(id));
    }).catch((err: unknown) => this.deps.log(`sending ${id} could not be completed`, err));
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /** One delivery attempt, if the item is (still) due and no other process is on it. */
  private async attempt(id: string): Promise<void> {
    const release = await this.deps.store.claim(id);
    if (!release) {
      const later = this.now().getTime() + 5000; // look again in a while, not in a loop
      this.elsewhere.set(id, later);
      this.lookBy(later);
      return;
    }
    this.elsewhere.delete(id);
    try {
      await this.attemptClaimed(id);
    } finally {
      await release();
    }
  }

  private async attemptClaimed(id: string): Promise<void> {
    const queued = await this.load(id);
    if (!WAITING.includes(queued.state) || queued.overdue || (queued.dueAt && Date.parse(queued.dueAt) > this.now().getTime())) return;
    // The bytes must be exactly those built (the sidecar knows their size): a truncated or damaged
    // .eml is never sent — a server would deliver half a message (found by the storage-fault tests).
    const onDisk = await stat(this.deps.store.emlPath(queued)).then((s) => s.size, () => -1);
    if (onDisk !== queued.size) {
      const error = errorInfo('STORAGE_FAILED', {
        message: onDisk < 0 ? phrase('err.outbox.fileMissing') : phrase('err.outbox.fileDamaged', { have: onDisk, size: queued.size }),
        hint: phrase('err.outbox.fileDamaged.hint'),
      });
      await this.transition(queued, { state: 'failed', error }, ['dueAt']);
      return;
    }
    // Durably "sending" before any byte goes out: after a crash, this is what says the outcome is unknown.
    const item = await this.transition(queued, { state: 'sending', attempts: queued.attempts + 1 }, ['dueAt']);
    await this.deps.store.dropDraft(id);
    await this.deliver(item);
  }

  /** Send an item that is durably "sending" and claimed by this process, and record what happened. */
  private async deliver(item: OutboxItem): Promise<void> {
    this.deps.checkpoint?.('sending');
    const outcome = await deliver(item, this.deps);
    if (!outcome.ok) return this.failed(item, outcome.error, outcome.afterWholeMessage);
    this.deps.checkpoint?.('accepted');
    // The server has the message: from here on nothing may call it failed.
    await this.transition(
      item,
      {
        state: outcome.rejected.length ? 'partially-delivered' : 'sent',
        accepted: [...new Set([...(item.accepted ?? []), ...outcome.accepted])],
        rejected: outcome.rejected,
        response: outcome.response,
        delivery: outcome.delivery,
      },
      ['error', 'pending'],
    );
  }

  /** After a failed attempt: the duplicate window, a retry with backoff, or failed for good. */
  private async failed(item: OutboxItem, error: ErrorInfo, afterWholeMessage: boolean): Promise<void> {
    if (afterWholeMessage) {
      // What broke off (the connection lost…) follows as a sentence of its own, in its own words.
      const unknown = errorInfo('OUTCOME_UNKNOWN', {
        message: [phrase('err.outbox.noAnswer'), ...(error.text?.message ?? [])],
        hint: phrase('err.outbox.noAnswer.hint'),
        ...(error.text?.quote ? { quote: error.text.quote } : {}),
      });
      await this.transition(item, { state: 'outcome-unknown', error: unknown });
      return;
    }
    if (waitsForSignIn(error.code)) {
      // Nothing is wrong with the message: it waits, without a deadline, for the login to be mended.
      await this.transition(item, { state: 'needs-sign-in', error }, ['dueAt']);
      return;
    }
    const now = this.now().getTime();
    const wait = backoffMs(item.attempts, this.deps.retry ?? DEFAULT_RETRY, this.deps.random);
    if (isTemporary(error.code) && item.giveUpAt && now + wait < Date.parse(item.giveUpAt)) {
      await this.transition(item, { state: 'retrying', error, dueAt: new Date(now + wait).toISOString() });
      this.lookBy(now + wait);
      return;
    }
    const final = isTemporary(error.code) ? withHint(error, [...(error.text?.hint ?? []), phrase('err.outbox.gaveUp', { count: item.attempts })]) : error;
    await this.transition(item, { state: 'failed', error: final });
  }

  // ——— what the user can do ———

  /** Take a message back during its undo window: it will never be sent, and its draft comes back. */
  undo(id: string): Promise<DraftBack> {
    return this.claimed(id, async () => {
      const item = await this.load(id);
      if (item.state !== 'held') throw invalidInput(phrase(item.state === 'sending' || item.state === 'sent' ? 'err.outbox.tooLateToUndo' : 'err.outbox.notInUndo'), phrase('err.outbox.whatHappened.hint'));
      return this.takeBack(item);
    });
  }

  /** Stop a message that has not gone out and return it to the composer, as it was written. */
  edit(id: string): Promise<DraftBack> {
    return this.claimed(id, async () => {
      const item = await this.load(id);
      if (!(['held', 'scheduled', 'retrying', 'needs-sign-in', 'failed'] as OutboxState[]).includes(item.state)) throw notAllowed('edit', item.state, phrase('err.outbox.reopen.hint'));
      return this.takeBack(item);
    });
  }

  /** Cancel first (durably: it can never go out after this), then hand the draft back. */
  private async takeBack(item: OutboxItem): Promise<DraftBack> {
    const kept = await readJsonFile<KeptDraft>(this.deps.store.draftPath(item.id)).catch(() => undefined);
    const back = kept?.draft ? await this.reattach(kept) : { draft: await this.fromEml(item), missing: [] };
    // Marked as taken back: the outbox keeps it folded away, as a record; its text is in the composer.
    await this.transition(item, { state: 'cancelled', takenBack: true }, ['dueAt']);
    await this.deps.store.dropDraft(item.id);
    return back;
  }

  /** The kept draft with live attachment handles (the same ones within this run); files gone since are named. */
  private async reattach({ draft, files }: KeptDraft): Promise<DraftBack> {
    const { attachments, missing } = await this.deps.attachments.restore(files);
    return { draft: { ...draft, attachments: attachments.map((a) => ({ handle: a.handle })) }, missing };
  }

  private fromEml(item: OutboxItem): Promise<Draft> {
    return draftFromEml(this.emlPath(item), item, this.deps.store.filesDirFor(item.id), this.deps.attachments);
  }

  /** Any message (sent ones too) as a new draft; the item itself is left as it is. */
  async reopen(id: string): Promise<DraftBack> {
    return { draft: await this.fromEml(await this.load(id)), missing: [] };
  }

  /**
   * A user's action on a message, under its claim. Within this process exclusive() orders it with
   * an attempt; another process (the app and the CLI share the outbox) may be sending it right
   * now, having read its state before this action writes it: it was cancelled, said so, and
   * still went out (found in review). The claim makes the two take turns, or refuses.
   */
  private async claimed<T>(id: string, work: () => Promise<T>): Promise<T> {
    const ran = await this.ifClaimed(id, work);
    if (!ran) throw new MailwrightError('BUSY', { message: phrase('err.outbox.busyElsewhere'), hint: phrase('err.outbox.busyElsewhere.hint') });
    return ran.value;
  }

  /** `work` under the message's claim, in its turn here: its result, or undefined (not run) while another process holds the claim. */
  private ifClaimed<T>(id: string, work: () => Promise<T>): Promise<{ value: T } | undefined> {
    return this.exclusive(id, async () => {
      const release = await this.deps.store.claim(id).catch((err: unknown) => {
        throw storageFailed('change', err);
      });
      if (!release) return undefined;
      try {
        return { value: await work() };
      } finally {
        await release();
      }
    });
  }

  private async act(id: string, allowed: readonly OutboxState[], what: OutboxAction, change: (item: OutboxItem) => Partial<OutboxItem>, drop: Array<keyof OutboxItem> = []) {
    const next = await this.claimed(id, async () => {
      const item = await this.load(id);
      if (!allowed.includes(item.state)) throw notAllowed(what, item.state, phrase('err.outbox.whatCanBeDone.hint'));
      return this.transition(item, change(item), drop);
    });
    // Once the claim is let go: a look that found the item still claimed here would pass it by.
    this.wake();
    return next;
  }

  sendNow = (id: string) => this.act(id, ['held', 'scheduled', 'retrying', 'needs-sign-in'], 'send-now', () => ({ state: 'scheduled', dueAt: this.now().toISOString(), overdue: false, sendAtNextRun: true }));
  reschedule = (id: string, at: Date) =>
    this.act(id, ['held', 'scheduled', 'retrying', 'needs-sign-in', 'failed'], 'reschedule', () => ({ state: 'scheduled', dueAt: at.toISOString(), overdue: false, giveUpAt: new Date(at.getTime() + (this.deps.retry ?? DEFAULT_RETRY).lifetimeMs).toISOString() }), ['sendAtNextRun']);
  cancel = (id: string) => this.act(id, ['held', 'scheduled', 'retrying', 'needs-sign-in', 'failed', 'outcome-unknown'], 'cancel', () => ({ state: 'cancelled' }), ['dueAt']);
  /** Try again: a failed message whole, a partly delivered one only to those who did not get it. */
  retry = (id: string) =>
    this.act(id, ['failed', 'needs-sign-in', 'partially-delivered'], 'retry', (item) => ({
      state: 'scheduled',
      dueAt: this.now().toISOString(),
      sendAtNextRun: true,
      giveUpAt: new Date(this.now().getTime() + (this.deps.retry ?? DEFAULT_RETRY).lifetimeMs).toISOString(),
      ...(item.state === 'partially-delivered' ? { pending: (item.rejected ?? []).map((r) => r.address) } : {}),
    }));
  /** The user checked: send the same bytes again (same Message-ID, so duplicates can be recognised). */
  resend = (id: string) => this.act(id, ['outcome-unknown'], 'resend', () => ({ state: 'scheduled', dueAt: this.now().toISOString(), sendAtNextRun: true, giveUpAt: new Date(this.now().getTime() + (this.deps.retry ?? DEFAULT_RETRY).lifetimeMs).toISOString() }), ['error']);
  markSent = (id: string) => this.act(id, ['outcome-unknown'], 'mark-sent', () => ({ state: 'sent' }), ['error']);

  /**
   * An account can log in again (signed in, a password given, the vault unlocked; every account
   * when none is named): what waited for it is due now. Another process's outbox (the app beside
   * a CLI that signed in) finds it on its next look.
   */
  async loginReady(accountId?: string): Promise<void> {
    const waiting = (i: OutboxItem) => i.state === 'needs-sign-in' && (accountId === undefined || i.accountId === accountId);
    for (const found of await this.deps.store.listQueued()) {
      if (!waiting(found)) continue;
      await this.ifClaimed(found.id, async () => {
        const item = await this.load(found.id);
        const now = this.now();
        if (waiting(item)) await this.transition(item, { state: 'scheduled', dueAt: now.toISOString(), sendAtNextRun: true, giveUpAt: new Date(now.getTime() + (this.deps.retry ?? DEFAULT_RETRY).lifetimeMs).toISOString() });
      });
    }
    this.wake();
  }

  /**
   * The files the drafts kept beside waiting messages still need (for edit after a restart). A
   * draft that cannot be read throws: the caller must not take its files for unneeded.
   */
  async rememberedPaths(): Promise<string[]> {
    const kept = await inBatches(await this.deps.store.keptDraftPaths(), FILES_AT_ONCE, (p) => readJsonFile<KeptDraft>(p));
    return kept.flatMap((k) => k?.files?.map((f) => f.path) ?? []);
  }

  /** Where an item's exact bytes are (for export). */
  emlPath(item: OutboxItem): string {
    return this.deps.store.emlPath(item);
  }

  list(): Promise<OutboxItem[]> {
    return this.deps.store.list();
  }

  /**
   * One page of the list (all of it without a page). The pages after the first are cut from the
   * listing the first page made, while it is young and until a short page ends the walk: listing
   * again for each read every waiting sidecar again whenever the outbox folder had just changed
   * (as it does all through a mail merge). A listing made after the first page's is as good, so
   * another window's walk may share it. What changed since reaches the reader as outbox:changed
   * events, which the view applies over what it loaded (useOutboxItems).
   */
  async listPage(page?: ListPage): Promise<OutboxItem[]> {
    if (!page) return this.list();
    const now = this.now().getTime();
    if (!page.after || !this.listing || now - this.listing.at > LISTING_KEPT_MS) this.listing = { at: now, items: this.list() };
    const listing = this.listing;
    try {
      const rows = pageOf(await listing.items, page);
      // A short page ends the walk: let go of the listing (10,000 items) rather than keep it for good.
      if (rows.length < page.limit && this.listing === listing) this.listing = undefined;
      return rows;
    } catch (err) {
      if (this.listing === listing) this.listing = undefined; // a failed listing is never served again
      throw err;
    }
  }

  /** One item, wherever it lives (outbox or sent); an unknown id is the caller's mistake. */
  get(id: string): Promise<OutboxItem> {
    return this.load(id);
  }

  /** Resolve once an item is no longer waiting for its first attempt (the CLI's `send` waits on this). */
  async settled(id: string): Promise<OutboxItem> {
    for (;;) {
      await this.queues.get(id);
      const item = await this.load(id);
      const running = this.queues.has(id);
      // "sending" with no attempt running here: its result could not be recorded, or another process has it.
      if (FINAL_STATES.includes(item.state) || item.state === 'retrying' || item.overdue || (item.state === 'sending' && !running)) return item;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 500);
        const off = this.deps.events.on('outbox:changed', (changed) => {
          if (changed.id === id) done();
        });
        function done() {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    }
  }

  /** Process everything due now, then return (the CLI's `outbox run`). */
  async runDue(): Promise<void> {
    const { loginAvailable } = this.deps;
    if (loginAvailable) {
      const waiting = new Set((await this.deps.store.listQueued()).filter((i) => i.state === 'needs-sign-in').map((i) => i.accountId));
      for (const accountId of waiting) if (await loginAvailable(accountId).catch(() => false)) await this.loginReady(accountId);
    }
    for (;;) {
      const { due } = await this.dueNow();
      if (!due.length) break;
      await Promise.all(due.map((item) => this.exclusive(item.id, () => this.attempt(item.id))));
    }
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) this.deps.clock.clearTimer(this.timer);
    await this.idle();
  }
}
