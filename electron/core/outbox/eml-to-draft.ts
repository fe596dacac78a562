import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { AddressObject } from 'mailparser';
import type { DraftText } from '../../../shared/model/draft';
import type { OutboxItem } from '../../../shared/model/outbox';
import type { AttachmentRegistry } from '../attachments/attachment-registry';
import { formatMailbox } from '../../../shared/model/mailbox';
import { fitFileName } from '../attachments/file-name';

const mailboxes = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value).filter((m) => m.address).map((m) => formatMailbox({ name: m.name ?? '', address: m.address! }));

/** Where main added the account's signature (build-message.ts): the rest of the HTML is the signature. */
const ADDED_SIGNATURE = /<div class="mailwright-signature">[\s\S]*$/;

/** A file name from a message, made safe to create on any system. */
const safeFileName = (name: string | undefined) => fitFileName((name ?? '').replace(/[^\p{L}\p{N}._ -]/gu, '_').replace(/^\.+/, '')) || 'attachment';

/**
 * A new draft from the exact bytes of a queued or sent message (edit, re-open as new). Its
 * attachments are copied out of the message into `filesDir` and registered like picked files;
 * Bcc comes back from the envelope, the only place it was kept.
 */
export async function draftFromEml(bytes: Buffer, item: OutboxItem, filesDir: string, registry: AttachmentRegistry): Promise<DraftText> {
  // mailparser is loaded on first use: it was a tenth of every CLI command's start-up (bench/attachment.ts).
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(bytes);
  const to = mailboxes(parsed.to);
  const cc = mailboxes(parsed.cc);
  const visible = new Set([...to, ...cc].map((m) => (/<([^>]+)>$/.exec(m)?.[1] ?? m).toLowerCase()));
  const bcc = item.recipients.filter((r) => !visible.has(r.toLowerCase()));
  const files = parsed.attachments.filter((a) => a.contentDisposition !== 'inline' || !a.cid);
  await fs.mkdir(filesDir, { recursive: true, mode: 0o700 });
  const attachments = [];
  for (const [i, a] of files.entries()) {
    // One folder per file keeps each original name, even when two attachments share it.
    const path = join(filesDir, String(i + 1), safeFileName(a.filename));
    await fs.mkdir(join(filesDir, String(i + 1)), { mode: 0o700 });
    await fs.writeFile(path, a.content, { mode: 0o600 });
    attachments.push({ handle: (await registry.register(path)).handle });
  }
  const replyTo = mailboxes(parsed.replyTo)[0];
  // A signature main added comes back as the account's own (it may have changed), not as text in
  // the body: otherwise sending again would carry it twice.
  const html = parsed.html ? parsed.html.replace(ADDED_SIGNATURE, '') : undefined;
  return {
    accountId: item.accountId,
    to,
    cc,
    bcc,
    subject: parsed.subject ?? '',
    ...(html !== undefined ? { html, signature: html !== parsed.html } : { text: parsed.text ?? '' }),
    ...(replyTo ? { replyTo } : {}),
    attachments,
  };
}
