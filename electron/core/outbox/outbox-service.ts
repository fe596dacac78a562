import { createReadStream } from 'node:fs';
import type { Draft } from '../../../shared/model/draft';
import { FINAL_STATES, type OutboxItem, type RecipientRefusal } from '../../../shared/model/outbox';
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
    this.inFlight.set(id, work);
    void work.finally(() => this.inFlight.delete(id));
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
    const item = await this.transition(queued, { state: 'sending', attempts: queued.attempts + 1 });
    const { account } = await transports.resolve(item.accountId).catch(() => ({ account: undefined }));
    const ctx = { host: account?.host ?? '?', port: account?.port ?? 0, security: account?.security ?? 'none', email: account?.email };
    try {
      const { transport } = await transports.forAccount(item.accountId);
      const info = (await transport.sendMail({
        envelope: { from: envelopeFrom, to: item.recipients, size: item.size } as never,
        raw: createReadStream(store.emlPath(item)),
      })) as SendInfo;
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
    } catch (err) {
      await this.transition(item, { state: 'failed', error: mapSmtpError(err, ctx).info }).catch(() => undefined);
    }
  }

  list(): Promise<OutboxItem[]> {
    return this.deps.store.list();
  }

  /** Wait until an item reaches a final state. */
  async settled(id: string): Promise<OutboxItem> {
    await this.inFlight.get(id);
    const item = await this.deps.store.get(id);
    if (!item || !FINAL_STATES.includes(item.state)) throw new Error(`Outbox item ${id} did not settle`);
    return item;
  }
}

const mapStorage = (err: unknown) =>
  new MailwrightError('STORAGE_FAILED', `The message could not be written to the outbox: ${(err as Error).message}`, 'Check free disk space and that the data directory is writable.', { cause: err });
