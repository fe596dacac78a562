import { createReadStream } from 'node:fs';
import type { Draft } from '../../../shared/model/draft';
import type { OutboxItem, RecipientRefusal } from '../../../shared/model/outbox';
import type { AccountStore } from '../accounts/account-store';
import type { AttachmentRegistry } from '../attachments/attachment-registry';
import { MailwrightError } from '../errors';
import type { CoreEvents } from '../events';
import { buildMessageFile, draftMailboxes } from '../message/build-message';
import { mapSmtpError } from '../smtp/error-mapping';
import type { TransportFactory } from '../smtp/transport-factory';
import type { OutboxStore } from './outbox-store';

export interface OutboxDeps {
  store: OutboxStore;
  accounts: AccountStore;
  attachments: AttachmentRegistry;
  transports: TransportFactory;
  events: CoreEvents;
  now: () => Date;
  log: (message: string, err?: unknown) => void;
}

interface SendInfo {
  accepted: Array<string | { address: string }>;
  rejected: Array<string | { address: string }>;
  rejectedErrors?: Array<{ recipient?: string; responseCode?: number; response?: string }>;
  response: string;
}

const address = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address);

/**
 * First cut of the outbox: enqueue builds the message once and commits it durably, then sends
 * it at once; the outcome (sent, partly delivered, failed with a named error) is written before
 * anyone is told. The full state machine (undo, send later, retries) grows from here.
 */
export class OutboxService {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly deps: OutboxDeps) {}

  /** Start-up: anything that was mid-send when the app died may have been delivered — say so, never resend it silently. */
  async recover(): Promise<void> {
    const { interrupted } = await this.deps.store.recover();
    for (const item of interrupted) {
      await this.transition(item, {
        state: 'outcome-unknown',
        error: new MailwrightError(
          'OUTCOME_UNKNOWN',
          'Mailwright stopped while this message was being sent; the server may or may not have it.',
          'Check the recipient’s inbox or your Sent folder on the server, then resend (same Message-ID) or mark it sent.',
        ).info,
      });
    }
  }

  async enqueue(draft: Draft): Promise<OutboxItem> {
    const { store, accounts, attachments, now } = this.deps;
    const account = await accounts.getStored(draft.accountId);
    draftMailboxes(draft); // refuse bad addresses before anything is written
    await store.init();
    const created = now();
    const id = store.newId(created);
    let built;
    try {
      built = await buildMessageFile(draft, account, attachments, store.tmpPath(id), created);
    } catch (err) {
      if (err instanceof MailwrightError) throw err;
      throw mapStorage(err);
    }
    const item: OutboxItem = {
      id,
      accountId: account.id,
      messageId: built.messageId,
      subject: draft.subject,
      from: built.from,
      recipients: built.envelope.to,
      state: 'scheduled',
      createdAt: created.toISOString(),
      updatedAt: created.toISOString(),
      attempts: 0,
      size: built.size,
    };
    await store.commit(item);
    this.deps.events.emit('outbox:changed', item);
    this.track(id, this.send(item, built.envelope.from));
    return item;
  }

  private track(id: string, work: Promise<void>) {
    const settled = work.catch((err: unknown) => this.deps.log('sending failed unexpectedly', err));
    this.inFlight.set(id, settled);
    void settled.finally(() => this.inFlight.delete(id));
  }

  /** Resolves when every send started so far has reached an outcome (used by the CLI and on shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()]);
  }

  private async transition(item: OutboxItem, change: Partial<OutboxItem>): Promise<OutboxItem> {
    const next: OutboxItem = { ...item, ...change, updatedAt: this.deps.now().toISOString() };
    if (next.state === 'sent') await this.deps.store.moveToSent(next);
    else await this.deps.store.save(next);
    this.deps.events.emit('outbox:changed', next);
    return next;
  }

  private async send(queued: OutboxItem, envelopeFrom: string): Promise<void> {
    const { store, transports } = this.deps;
    // Durably "sending" before any byte goes to a server: after a crash, this is what says the outcome is unknown.
    const item = await this.transition(queued, { state: 'sending', attempts: queued.attempts + 1 });
    const { account } = await transports.resolve(item.accountId).catch(() => ({ account: undefined }));
    const ctx = { host: account?.host ?? '?', port: account?.port ?? 0, security: account?.security ?? 'none', email: account?.email };
    let info: SendInfo;
    try {
      const { transport } = await transports.forAccount(item.accountId);
      info = (await transport.sendMail({
        envelope: { from: envelopeFrom, to: item.recipients, size: item.size } as never,
        raw: createReadStream(store.emlPath(item)),
      })) as SendInfo;
    } catch (err) {
      await this.transition(item, { state: 'failed', error: mapSmtpError(err, ctx).info });
      return;
    }
    // The server has the message. From here on nothing may call it failed: a failure to record the
    // result leaves the item "sending", which the next start reports as outcome-unknown, never resends.
    const refusals: RecipientRefusal[] = (info.rejectedErrors ?? []).map((e) => ({
      address: e.recipient ?? '',
      ...(e.responseCode ? { code: e.responseCode } : {}),
      response: e.response ?? '',
    }));
    const rejected = info.rejected.map(address);
    await this.transition(item, {
      state: rejected.length ? 'partially-delivered' : 'sent',
      accepted: info.accepted.map(address),
      rejected: rejected.map((a) => refusals.find((r) => r.address === a) ?? { address: a, response: '' }),
      response: info.response,
    });
  }

  list(): Promise<OutboxItem[]> {
    return this.deps.store.list();
  }

  /** Wait until the send started for an item has ended, and return the item as recorded. */
  async settled(id: string): Promise<OutboxItem> {
    await this.inFlight.get(id);
    const item = await this.deps.store.get(id);
    if (!item) throw new MailwrightError('STORAGE_FAILED', 'The outbox item has disappeared.', 'Check the data directory.');
    return item;
  }
}

const mapStorage = (err: unknown) =>
  new MailwrightError('STORAGE_FAILED', `The message could not be written to the outbox: ${(err as Error).message}`, 'Check free disk space and that the data directory is writable.', { cause: err });
