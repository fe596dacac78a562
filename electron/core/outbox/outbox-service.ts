import { randomBytes } from 'node:crypto';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { draftText, type Draft } from '../../../shared/model/draft';
import { FINAL_STATES, type OutboxItem } from '../../../shared/model/outbox';
import { overviewOf, type ListPage, type OutboxOverview } from '../../../shared/model/outbox-groups';
import type { AccountStore, StoredAccount } from '../accounts/account-store';
import type { AttachmentRegistry } from '../attachments/attachment-registry';
import type { Clock } from '../clock';
import type { Database } from '../db/database';
import type { DkimSigner } from '../deliverability/dkim-sign';
import { invalidInput, MailwrightError, storageFailed } from '../errors';
import type { CoreEvents } from '../events';
import { buildMessage, type Builder } from '../message/build-message';
import type { TransportFactory } from '../smtp/transport-factory';
import { attemptDelivery } from './attempt';
import type { MessageBytes } from './message-bytes';
import { interruptedError } from './outcome';
import { noItem, OutboxActions, type KeptDraft } from './outbox-actions';
import type { Lease, OutboxRepository, Refused } from './outbox-repository';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy';
import { Scheduler } from './scheduler';
import { repairAtStart } from './start-up-repair';
import type { Transition } from './transitions';

/** How often a running outbox asks whether an account waiting for a sign-in can log in again. */
const LOGIN_LOOK_EVERY_MS = 30_000;

export interface OutboxDeps {
  database: Database;
  repo: OutboxRepository;
  bytes: MessageBytes;
  accounts: AccountStore;
  attachments: AttachmentRegistry;
  transports: TransportFactory;
  events: CoreEvents;
  clock: Clock;
  log: (message: string, err?: unknown) => void;
  /** Where a message opened again as a draft puts the files it carried. */
  dataDir: string;
  retry?: RetryPolicy;
  random?: () => number;
  /** How long a sender answers for a message without renewing (tests of a process that dies shorten it). */
  leaseMs?: number;
  /** The account's DKIM signer, when it signs its mail (DkimKeys). */
  signerFor?: (account: StoredAccount) => Promise<DkimSigner> | undefined;
  /** Where messages without files are built (off the event loop in a bulk send: BuildWorker). */
  builder?: Builder;
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

/** A merge's row that a message is queued for (see enqueue). */
export interface MergeRowLink {
  mergeId: string;
  row: number;
  alongside: (item: OutboxItem) => void;
}

/** The steps of a send at which a crash must leave the outbox telling the truth. */
export type OutboxCheckpoint = 'built' | 'committed' | 'sending' | 'past-no-return' | 'accepted';

/**
 * The outbox: queueing, the user's actions and the record of each attempt, over the database
 * (OutboxRepository: every change one conditional statement, allowed by TRANSITIONS) and the
 * scheduler that decides when mail goes. The message bytes are built once and never rebuilt. A
 * dropped connection after the whole message went out is "outcome unknown" — never resent by itself.
 */
export class OutboxService {
  private readonly scheduler: Scheduler;
  private readonly actions: OutboxActions;
  private readonly owner = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private closed = false;
  /** When each account with mail waiting for a sign-in last had its login looked at (see releaseReadyLogins). */
  private readonly loginLooked = new Map<string, number>();

  constructor(private readonly deps: OutboxDeps) {
    const attempts = { ...deps, retry: deps.retry ?? DEFAULT_RETRY, change: (id: string, action: Transition, make: (c: OutboxItem) => OutboxItem, lease?: Lease) => this.change(id, action, make, lease) };
    this.scheduler = new Scheduler({
      repo: deps.repo,
      database: deps.database,
      clock: deps.clock,
      owner: this.owner,
      leaseMs: deps.leaseMs,
      attempt: (item, lease) => attemptDelivery(item, lease, attempts),
      unknownError: interruptedError,
      changed: (item) => deps.events.emit('outbox:changed', item),
      log: deps.log,
      onLook: () => this.releaseReadyLogins(),
    });
    this.actions = new OutboxActions({ ...deps, sendingHere: (id) => this.scheduler.isSending(id), wake: () => void this.wake() });
  }

  private now() {
    return this.deps.clock.now();
  }

  private get policy() {
    return this.deps.retry ?? DEFAULT_RETRY;
  }

  private change(id: string, action: Transition, make: (c: OutboxItem) => OutboxItem, lease?: Lease): Promise<OutboxItem | Refused> {
    return this.actions.change(id, action, make, lease);
  }

  /** At start: leases run out, overdue mail marked, leftovers and a damaged database's messages seen to (start-up-repair.ts). */
  recover(): Promise<void> {
    const { database, repo, bytes, accounts, events } = this.deps;
    return repairAtStart({ database, repo, bytes, accounts, owner: this.owner, now: this.now().getTime(), changed: (item) => events.emit('outbox:changed', item) });
  }

  /**
   * Queue a message. For a merge's row, `row.alongside` writes in the same transaction as the
   * message's own row (the merge's row turning `queued`): what it throws undoes the message too,
   * and reaches the caller unchanged.
   */
  async enqueue(draft: Draft, row?: MergeRowLink): Promise<OutboxItem> {
    const { scheduler } = this;
    const account = await this.deps.accounts.getStored(draft.accountId);
    const created = this.now();
    const undo = draft.options?.undoSeconds ?? 0;
    const sendAt = draft.options?.sendAt ? new Date(draft.options.sendAt) : undefined;
    if (sendAt && sendAt.getTime() < created.getTime() - 60_000) throw invalidInput(phrase('err.outbox.pastTime'), phrase('err.outbox.pastTime.hint'));
    const id = `${created.getTime().toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`;
    const immediate = undo <= 0 && !sendAt;
    // Due now with a sending slot free: committed as "sending" under this process's lease and
    // delivered at once, with no second commit to take it. A crash before its final dot could go
    // leaves it retried once the lease runs out (test/integration/crash-matrix.test.ts).
    const sendNow = immediate && !this.closed && scheduler.reserve();
    try {
      const { item, lease } = await this.build(draft, account, id, created, undo, sendAt, sendNow, row);
      this.deps.events.emit('outbox:changed', item);
      if (lease) scheduler.beginReserved(item, lease);
      else if (immediate) scheduler.kick();
      else scheduler.dueBy(Date.parse(item.dueAt!));
      return item;
    } catch (err) {
      if (sendNow) scheduler.unreserve();
      throw err;
    }
  }

  /** Build the message once, keep its draft, and commit it: from here it exists for everyone. */
  private async build(draft: Draft, account: Awaited<ReturnType<AccountStore['getStored']>>, id: string, created: Date, undo: number, sendAt: Date | undefined, sendNow: boolean, row?: MergeRowLink) {
    const { bytes, attachments, database, repo } = this.deps;
    let built;
    try {
      if (draft.attachments.length) await bytes.prepare(); // only a message with files is a file
      const signer = await this.deps.signerFor?.(account);
      built = await buildMessage(draft, account, attachments, bytes.filePath(id), created, this.deps.builder, signer);
      if (!built.bytes) await bytes.settle();
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
      giveUpAt: new Date((sendAt ?? created).getTime() + this.policy.lifetimeMs).toISOString(),
      // A merge's message is due whenever a process runs the queue (the merge was asked to go), never overdue.
      ...(row ? { merge: { id: row.mergeId, row: row.row }, sendAtNextRun: true } : {}),
    };
    // The draft is kept beside a waiting message until it starts sending, to give it back on undo
    // or edit (recipients written back as the schema parsed them) — with the files behind its
    // attachments, so that works after a restart too.
    const kept: KeptDraft | undefined = item.state === 'held' || sendAt ? { draft: draftText(draft), files: attachments.remember(draft.attachments.map((a) => a.handle)) } : undefined;
    const lease = sendNow ? this.scheduler.newLease() : undefined;
    let refusedAlongside = false;
    try {
      await database.write(() => {
        repo.insert(item, lease, { ...(built.bytes ? { bytes: built.bytes } : {}), ...(kept ? { keptDraft: JSON.stringify(kept) } : {}) });
        try {
          row?.alongside(item);
        } catch (err) {
          refusedAlongside = true;
          throw err;
        }
      });
    } catch (err) {
      // Not queued (a full disk): the file built for it goes now, not at the next start. Unless its
      // row is there after all (committed, then the fsync failed): then the file is its message.
      if (!built.bytes && !this.committedAnyway(id)) await bytes.discard(id);
      throw err instanceof MailwrightError || refusedAlongside ? err : storageFailed('outbox', err);
    }
    this.deps.checkpoint?.('committed');
    return { item, lease };
  }

  private committedAnyway(id: string): boolean {
    try {
      return this.deps.repo.get(id) !== undefined;
    } catch {
      return false; // the database cannot even be read: the write that failed did not happen
    }
  }

  /** Begin sending due items by itself (a long-running process: the app, browser mode). */
  start(): void {
    this.scheduler.start();
  }

  /** Look for due work now (resolves when that look is done; nothing when this process does not run the queue). */
  wake(): Promise<void> {
    return this.scheduler.wake();
  }

  /**
   * The machine can send again (woke from sleep, back online): what waits for a retry is due now,
   * rather than at the end of a backoff that was counting a network that was not there.
   */
  async retryWaitingNow(why: string): Promise<void> {
    const now = this.now();
    const waiting = this.deps.repo.inState('retrying').filter((i) => !!i.dueAt && Date.parse(i.dueAt) > now.getTime());
    for (const item of waiting) {
      await this.change(item.id, 'retryNow', (c) => ({ ...c, dueAt: now.toISOString(), updatedAt: now.toISOString() })).catch((err: unknown) => this.deps.log(`retrying ${item.id} now (${why}) failed`, err));
    }
    void this.wake();
  }

  // ——— what the user can do (outbox-actions.ts) ———

  undo = (id: string) => this.actions.undo(id);
  edit = (id: string) => this.actions.edit(id);
  reopen = (id: string) => this.actions.reopen(id);
  sendNow = (id: string) => this.actions.sendNow(id);
  reschedule = (id: string, at: Date) => this.actions.reschedule(id, at);
  cancel = (id: string) => this.actions.cancel(id);
  retry = (id: string) => this.actions.retry(id);
  resend = (id: string) => this.actions.resend(id);
  markSent = (id: string) => this.actions.markSent(id);
  loginReady = (accountId?: string) => this.actions.loginReady(accountId);

  /**
   * Mail waiting for a sign-in goes once its account's login is stored again, whoever stored it
   * (the CLI beside the app, a keychain that came back). Looked at once per periodic look at most,
   * and only at what is stored: a password command is not run for this, nor a token refreshed.
   */
  private async releaseReadyLogins(): Promise<void> {
    const { loginAvailable } = this.deps;
    if (!loginAvailable) return;
    const accounts = new Set(this.deps.repo.accountsWaitingForSignIn());
    const now = this.now().getTime();
    for (const id of this.loginLooked.keys()) if (!accounts.has(id)) this.loginLooked.delete(id);
    for (const id of accounts) {
      if ((this.loginLooked.get(id) ?? -Infinity) > now - LOGIN_LOOK_EVERY_MS) continue;
      this.loginLooked.set(id, now);
      if (await loginAvailable(id, { cheap: true }).catch(() => false)) await this.loginReady(id);
    }
  }

  /** The files the drafts kept beside waiting messages still need (for edit after a restart). */
  async rememberedPaths(): Promise<string[]> {
    return this.deps.repo.keptDrafts().flatMap((k) => (JSON.parse(k) as KeptDraft).files?.map((f) => f.path) ?? []);
  }

  /** An item's exact bytes (export); a large message is better copied with copyMessage. */
  readMessage(item: OutboxItem): Promise<Buffer> {
    return this.deps.bytes.read(item.id);
  }

  copyMessage(item: OutboxItem, path: string): Promise<void> {
    return this.deps.bytes.copyTo(item.id, path);
  }

  /** Everything, newest first. */
  async list(): Promise<OutboxItem[]> {
    return this.deps.repo.page(Number.MAX_SAFE_INTEGER);
  }

  /** The first `perGroup` items of each section of the outbox view, and how many each has: what the view draws first. */
  async overview(perGroup: number): Promise<OutboxOverview> {
    const keys = overviewOf(this.deps.repo.groupKeys(), perGroup);
    return { items: this.deps.repo.some(keys.items.map((k) => k.id)), counts: keys.counts };
  }

  /** One page of the list, newest first (all of it without a page). */
  async listPage(page?: ListPage): Promise<OutboxItem[]> {
    return page ? this.deps.repo.page(page.limit, page.after) : this.list();
  }

  /** One item; an unknown id is the caller's mistake. */
  async get(id: string): Promise<OutboxItem> {
    const item = this.deps.repo.get(id);
    if (!item) throw noItem(id);
    return item;
  }

  /** Resolve once an item is no longer waiting for its first attempt's outcome (the CLI's `send` waits on this). */
  async settled(id: string): Promise<OutboxItem> {
    for (;;) {
      const item = await this.get(id);
      if (FINAL_STATES.includes(item.state) || item.state === 'retrying' || item.overdue) return item;
      // "sending" that no attempt here is running: another process has it, or its outcome could not be recorded.
      if (item.state === 'sending' && !this.scheduler.isSending(id)) return item;
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

  /** Messages whose sending process died, once their lease has run out: retried, or outcome-unknown past their final dot (what the running app's look does). */
  expireAbandoned(): Promise<void> {
    return this.scheduler.expireAbandoned();
  }

  /** Process everything due now, then return (the CLI's `outbox run`). */
  async runDue(): Promise<void> {
    const { loginAvailable } = this.deps;
    if (loginAvailable) {
      const waiting = this.deps.repo.accountsWaitingForSignIn();
      for (const accountId of waiting) if (await loginAvailable(accountId).catch(() => false)) await this.loginReady(accountId);
    }
    await this.scheduler.runDue();
  }

  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.scheduler.stop();
  }
}
