import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Phrase } from '../../../shared/errors';
import { phrase } from '../../../shared/i18n/errors/phrase';
import type { DraftBack, DraftText } from '../../../shared/model/draft';
import type { OutboxItem, OutboxState } from '../../../shared/model/outbox';
import type { AttachmentRegistry, RememberedFile } from '../attachments/attachment-registry';
import type { Clock } from '../clock';
import type { Database } from '../db/database';
import { invalidInput, MailwrightError } from '../errors';
import type { CoreEvents } from '../events';
import { draftFromEml } from './eml-to-draft';
import type { MessageBytes } from './message-bytes';
import { without } from './outcome';
import type { Lease, OutboxRepository, Refused } from './outbox-repository';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy';
import type { Transition } from './transitions';

export interface OutboxActionsDeps {
  database: Database;
  repo: OutboxRepository;
  bytes: MessageBytes;
  attachments: AttachmentRegistry;
  events: CoreEvents;
  clock: Clock;
  dataDir: string;
  retry?: RetryPolicy;
  /** Whether an attempt of this process is sending the message now. */
  sendingHere: (id: string) => boolean;
  /** Something became due: look for work. */
  wake: () => void;
}

/** The draft beside a waiting message, with its attachments' files (main-only). */
export interface KeptDraft {
  /** As the composer will show it again (recipients as text). */
  draft: DraftText;
  files: RememberedFile[];
}

/** What the user asked of an item, by the name of its button (outbox.action.*). */
type OutboxAction = 'edit' | 'send-now' | 'reschedule' | 'cancel' | 'retry' | 'resend' | 'mark-sent';
type OutboxActionName = 'sendNow' | 'reschedule' | 'cancel' | 'retry' | 'resend' | 'markSent';
const ACTION_NAMES: Record<OutboxActionName, OutboxAction> = { sendNow: 'send-now', reschedule: 'reschedule', cancel: 'cancel', retry: 'retry', resend: 'resend', markSent: 'mark-sent' };

/** "“Send now” is not possible for a message that is “Sent”": the button and the state as the outbox shows them. */
const notAllowed = (action: OutboxAction, state: OutboxState, hint: Phrase) =>
  invalidInput(phrase('err.outbox.notAllowed', { action: phrase(`outbox.action.${action}`), state: phrase(`outbox.state.${state}`) }), hint);

/** An unknown id: the caller's mistake. */
export const noItem = (id: string) => invalidInput(phrase('err.outbox.noItem', { id }), phrase('err.outbox.pick.hint'));

export const isRefused = (r: OutboxItem | Refused | undefined): r is Refused => !!r && 'refused' in r;

/**
 * What the user can do to a message (the outbox view's buttons, the CLI's commands): each one
 * change allowed by TRANSITIONS, refused when the message is no longer in a state that allows it —
 * with BUSY when another process is sending it right now.
 */
export class OutboxActions {
  constructor(private readonly deps: OutboxActionsDeps) {}

  private now() {
    return this.deps.clock.now();
  }

  private get policy() {
    return this.deps.retry ?? DEFAULT_RETRY;
  }

  /** A change, durably, told to listeners; refused ones come back as Refused for the caller to word. */
  async change(id: string, action: Transition, make: (c: OutboxItem) => OutboxItem, lease?: Lease): Promise<OutboxItem | Refused> {
    const changed = await this.deps.database.write(() => this.deps.repo.change(id, action, make, lease));
    if (!changed) throw noItem(id);
    if (!isRefused(changed)) this.deps.events.emit('outbox:changed', changed);
    return changed;
  }

  /** Take a message back during its undo window: it will never be sent, and its draft comes back. */
  undo(id: string): Promise<DraftBack> {
    return this.takeBack(id, 'undo', (state) => invalidInput(phrase(state === 'sending' || state === 'sent' ? 'err.outbox.tooLateToUndo' : 'err.outbox.notInUndo'), phrase('err.outbox.whatHappened.hint')));
  }

  /** Stop a message that has not gone out and return it to the composer, as it was written. */
  edit(id: string): Promise<DraftBack> {
    return this.takeBack(id, 'edit', (state) => notAllowed('edit', state, phrase('err.outbox.reopen.hint')));
  }

  /** Cancel (durably: it can never go out after this) and take its kept draft in one commit, then hand the draft back. */
  private async takeBack(id: string, action: 'undo' | 'edit', refusal: (state: OutboxState) => MailwrightError): Promise<DraftBack> {
    const { database, repo } = this.deps;
    let kept: string | undefined;
    const changed = await database.write(() => {
      kept = repo.keptDraft(id); // read before the change, which lets go of it
      return repo.change(id, action, (c) => ({ ...without(c, 'dueAt'), state: 'cancelled', takenBack: true, updatedAt: this.now().toISOString() }));
    });
    if (!changed) throw noItem(id);
    if (isRefused(changed)) {
      if (action === 'edit' && this.busyElsewhere(changed)) throw new MailwrightError('BUSY', { message: phrase('err.outbox.busyElsewhere'), hint: phrase('err.outbox.busyElsewhere.hint') });
      throw refusal(changed.refused.state);
    }
    this.deps.events.emit('outbox:changed', changed);
    const draft = kept ? (JSON.parse(kept) as KeptDraft) : undefined;
    return draft?.draft ? this.reattach(draft) : { draft: await this.fromEml(changed), missing: [] };
  }

  /** The kept draft with live attachment handles (the same ones within this run); files gone since are named. */
  private async reattach({ draft, files }: KeptDraft): Promise<DraftBack> {
    const { attachments, missing } = await this.deps.attachments.restore(files);
    return { draft: { ...draft, attachments: attachments.map((a) => ({ handle: a.handle })) }, missing };
  }

  private async fromEml(item: OutboxItem): Promise<DraftText> {
    const filesDir = join(this.deps.dataDir, 'reopened', `${item.id}-${randomBytes(4).toString('hex')}`);
    return draftFromEml(await this.deps.bytes.read(item.id), item, filesDir, this.deps.attachments);
  }

  /** Any message (sent ones too) as a new draft; the item itself is left as it is. */
  async reopen(id: string): Promise<DraftBack> {
    const item = this.deps.repo.get(id);
    if (!item) throw noItem(id);
    return { draft: await this.fromEml(item), missing: [] };
  }

  /** Another process is sending it now: what becomes of it is that process's to say. */
  private busyElsewhere(refused: Refused): boolean {
    return refused.busy && !this.deps.sendingHere(refused.refused.id);
  }

  private async act(id: string, action: Transition & OutboxActionName, make: (c: OutboxItem) => OutboxItem): Promise<OutboxItem> {
    const changed = await this.change(id, action, make);
    if (isRefused(changed)) {
      if (this.busyElsewhere(changed)) throw new MailwrightError('BUSY', { message: phrase('err.outbox.busyElsewhere'), hint: phrase('err.outbox.busyElsewhere.hint') });
      throw notAllowed(ACTION_NAMES[action], changed.refused.state, phrase('err.outbox.whatCanBeDone.hint'));
    }
    this.deps.wake();
    return changed;
  }

  /** Due now at the user's word (send now, retry, resend, signed in again): whatever runs next sends it, and never takes it for overdue. */
  private dueNow(c: OutboxItem, extra: Partial<OutboxItem> = {}): OutboxItem {
    const now = this.now();
    return { ...without(c, 'error'), ...extra, state: 'scheduled', dueAt: now.toISOString(), overdue: false, sendAtNextRun: true, giveUpAt: new Date(now.getTime() + this.policy.lifetimeMs).toISOString(), updatedAt: now.toISOString() };
  }

  sendNow = (id: string) => this.act(id, 'sendNow', (c) => ({ ...this.dueNow(c), giveUpAt: c.giveUpAt, ...(c.error ? { error: c.error } : {}) }));
  reschedule = (id: string, at: Date) =>
    this.act(id, 'reschedule', (c) => {
      return { ...without(c, 'sendAtNextRun'), state: 'scheduled', dueAt: at.toISOString(), overdue: false, giveUpAt: new Date(at.getTime() + this.policy.lifetimeMs).toISOString(), updatedAt: this.now().toISOString() };
    });
  cancel = (id: string) => this.act(id, 'cancel', (c) => ({ ...without(c, 'dueAt'), state: 'cancelled', updatedAt: this.now().toISOString() }));
  /** Try again: a failed message whole, a partly delivered one only to those who did not get it. */
  retry = (id: string) => this.act(id, 'retry', (c) => this.dueNow(c, c.state === 'partially-delivered' ? { pending: (c.rejected ?? []).map((r) => r.address) } : {}));
  /** The user checked: send the same bytes again (same Message-ID, so duplicates can be recognised). */
  resend = (id: string) => this.act(id, 'resend', (c) => this.dueNow(c));
  markSent = (id: string) => this.act(id, 'markSent', (c) => ({ ...without(c, 'error'), state: 'sent', updatedAt: this.now().toISOString() }));

  /**
   * An account can log in again (signed in, a password given, the vault unlocked; every account
   * when none is named): what waited for it is due now. Another process's outbox (the app beside
   * a CLI that signed in) finds it on its next look.
   */
  async loginReady(accountId?: string): Promise<void> {
    const waiting = this.deps.repo.inState('needs-sign-in').filter((i) => accountId === undefined || i.accountId === accountId);
    for (const item of waiting) await this.change(item.id, 'loginReady', (c) => this.dueNow(c));
    this.deps.wake();
  }
}
