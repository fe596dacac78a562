import { Readable } from 'node:stream';
import type { ErrorInfo } from '../../../shared/errors';
import type { DeliverySummary, OutboxItem, RecipientRefusal } from '../../../shared/model/outbox';
import type { AccountStore, StoredAccount } from '../accounts/account-store';
import type { Clock } from '../clock';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { errorInfo, MailwrightError } from '../errors';
import type { CoreEvents } from '../events';
import { mapSmtpError, type MappingContext } from '../smtp/error-mapping';
import type { AccountTransport, TransportFactory } from '../smtp/transport-factory';
import type { MessageBytes, StoredBytes } from './message-bytes';

export interface DeliveryDeps {
  bytes: MessageBytes;
  accounts: AccountStore;
  transports: TransportFactory;
  events: CoreEvents;
  clock: Clock;
}

/** What one delivery attempt came to: the server's answer, or the failure as a named error. */
export type Delivered =
  | { ok: true; accepted: string[]; rejected: RecipientRefusal[]; response: string; delivery: DeliverySummary }
  | { ok: false; error: ErrorInfo; afterWholeMessage: boolean; /** worth trying again whatever its code says (our own disk, not the server) */ retry?: boolean };

interface SendInfo {
  accepted: Array<string | { address: string }>;
  rejected: Array<string | { address: string }>;
  rejectedErrors?: Array<{ recipient?: string; responseCode?: number; response?: string }>;
  response: string;
  envelopeTime?: number;
  messageTime?: number;
}

/** How one transaction failed, beyond what the error says itself. */
interface TransactionError extends Error {
  /** the whole message had been handed over: the server may have it */
  wholeMessage?: boolean;
  /** the stored message could not be read */
  fileError?: Error;
  /** the mark before the final dot could not be written (the message was not ended) */
  gateError?: Error;
}

/** Below this size a message's progress is not told (it goes out in a moment); the meter was a tenth of a mail merge's time (bench/throughput.ts). */
const NO_PROGRESS_UNDER = 256 * 1024;

const address = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address);

const contextOf = (account?: StoredAccount): MappingContext => ({
  host: account?.host ?? '?',
  port: account?.port ?? 0,
  security: account?.security ?? 'none',
  email: account?.email,
  accountName: account?.name,
  login: account?.oauth ? 'oauth2' : account?.username ? 'password' : 'none',
});

/**
 * Hand an item's stored bytes to its account's pooled transport and say how it went: the
 * recipients the server took and refused, or the failure classified (and whether the whole
 * message had gone out: the duplicate window). It changes no state; the outbox records it.
 */
export async function deliver(item: OutboxItem, stored: StoredBytes, deps: DeliveryDeps, beforeFinalDot?: () => Promise<void>): Promise<Delivered> {
  let ctx = contextOf();
  const started = deps.clock.now().getTime();
  let info: SendInfo;
  try {
    // The account as its pooled transport was made (the sandbox's live port too), not read again per message.
    const sent = await deps.transports.forAccount(item.accountId);
    ctx = contextOf(sent.account);
    try {
      info = await sendOnce(item, stored, sent.transport, deps, beforeFinalDot);
    } catch (err) {
      // An OAuth2 token refused without the challenge after which nodemailer asks for another
      // (Microsoft answers 535 at once): one more try with a new token, before the whole message went.
      // (A token that could not be had at all is already a named error: nothing to renew.)
      if (!(sent.renewLogin && (err as { code?: string }).code === 'EAUTH' && !(err instanceof MailwrightError) && !(err as TransactionError).wholeMessage)) throw err;
      await sent.renewLogin();
      info = await sendOnce(item, stored, sent.transport, deps, beforeFinalDot);
    }
  } catch (err) {
    const failure = err as TransactionError;
    // No transport (a locked keychain, a removed account): still say which server it was for.
    if (ctx.host === '?') ctx = contextOf(await deps.accounts.getStored(item.accountId).catch(() => undefined));
    // The mark before the final dot could not be written: the message was never ended, so nothing
    // arrived; it is tried again (a full disk may have room by then).
    if (failure.gateError) return { ok: false, error: errorInfo('STORAGE_FAILED', { message: phrase('err.storage.outbox'), hint: phrase('err.storage.hint'), quote: failure.gateError.message }), afterWholeMessage: false, retry: true };
    const error = failure.fileError
      ? errorInfo('STORAGE_FAILED', { message: phrase('err.outbox.fileUnreadable'), hint: phrase('err.outbox.fileUnreadable.hint'), quote: failure.fileError.message })
      : mapSmtpError(err, ctx).info;
    return { ok: false, error, afterWholeMessage: !!failure.wholeMessage && !error.smtp?.code };
  }
  const refusals: RecipientRefusal[] = (info.rejectedErrors ?? []).map((e) => ({ address: e.recipient ?? '', ...(e.responseCode ? { code: e.responseCode } : {}), response: e.response ?? '' }));
  return {
    ok: true,
    accepted: info.accepted.map(address),
    rejected: info.rejected.map(address).map((a) => refusals.find((r) => r.address === a) ?? { address: a, response: '' }),
    response: info.response,
    delivery: {
      host: ctx.host,
      port: ctx.port,
      security: ctx.security,
      at: new Date(started).toISOString(),
      durationMs: deps.clock.now().getTime() - started,
      ...(info.envelopeTime !== undefined ? { envelopeMs: info.envelopeTime } : {}),
      ...(info.messageTime !== undefined ? { dataMs: info.messageTime } : {}),
    },
  };
}

/**
 * One transaction with the server, streaming the stored bytes. A failure says whether the whole
 * message had gone out (the duplicate window) and whether it was the file's own (EMFILE, EIO, a
 * file replaced by a folder) rather than the server's: pipe() does not pass those on, and
 * nodemailer listens to `raw` only once it sends, so unheard they took the process down.
 */
async function sendOnce(item: OutboxItem, stored: StoredBytes, transport: AccountTransport['transport'], deps: DeliveryDeps, beforeFinalDot?: () => Promise<void>): Promise<SendInfo> {
  const to = item.pending ?? item.recipients;
  const envelope = { from: item.sender, to, size: item.size } as never;
  let fileError: Error | undefined;
  let gateError: Error | undefined;
  const gate = beforeFinalDot && (() => beforeFinalDot().catch((err: Error) => Promise.reject((gateError = err))));
  const source = deps.bytes.open(stored, item.size);
  // A small message goes out in one piece or two: its progress is not worth telling.
  const progress = item.size <= NO_PROGRESS_UNDER ? undefined : progressMeter(item, deps);
  // Read only when nodemailer reads it (a pipe would start reading at once, before a connection).
  const raw = gate || progress ? heldBack(source, gate, progress) : source;
  raw.on('error', () => undefined); // reported through `unreadable` below
  const unreadable = new Promise<never>((_, reject) =>
    source.once('error', (err) => {
      fileError = err;
      raw.destroy(err);
      reject(err);
    }),
  );
  unreadable.catch(() => undefined);
  let consumed = false;
  raw.once('end', () => (consumed = true));
  try {
    return (await Promise.race([transport.sendMail({ envelope, raw }), unreadable])) as SendInfo;
  } catch (err) {
    raw.destroy();
    if (raw !== source) source.destroy(); // close the file too
    throw Object.assign(err instanceof Error ? err : new Error(String(err)), { wholeMessage: consumed, fileError, gateError } satisfies Omit<TransactionError, keyof Error>);
  }
}

/**
 * The message's bytes, whose end is held back until `gate` resolves. A server takes a message only
 * at its final dot, which nodemailer writes once this stream ends: that is where a crash stops
 * being "nothing arrived" and becomes "the server may have it". The gate begins when nodemailer
 * first reads — as the pool hands the message to a connection, before MAIL FROM — so its commit
 * overlaps the SMTP exchange instead of delaying it; a gate that fails ends the stream in an
 * error, and nodemailer closes the connection without the dot. The progress of a large message
 * is counted here too, as nodemailer takes its bytes.
 */
function heldBack(source: Readable, gate?: () => Promise<void>, progress?: (bytes: number) => void): Readable {
  return Readable.from(
    (async function* () {
      const passed = gate?.();
      passed?.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      for await (const chunk of source) {
        progress?.((chunk as Buffer).length);
        yield chunk as Buffer;
      }
      await passed;
    })(),
    { objectMode: false },
  );
}

/** Counts the bytes nodemailer takes, for the live progress of large messages (a few events a second at most). */
function progressMeter(item: OutboxItem, { events, clock }: DeliveryDeps): (bytes: number) => void {
  let sent = 0;
  let last = 0;
  return (bytes) => {
    sent += bytes;
    const now = clock.now().getTime();
    if (now - last >= 200 || sent >= item.size) {
      last = now;
      events.emit('outbox:progress', { id: item.id, sent: Math.min(sent, item.size), size: item.size });
    }
  };
}
