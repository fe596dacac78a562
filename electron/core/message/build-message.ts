import { randomUUID } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { convert as htmlToText } from 'html-to-text';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Draft } from '../../../shared/model/draft';
import type { AttachmentRegistry } from '../attachments/attachment-registry';
import { unreadable } from '../attachments/attachment-registry';
import { parseMailbox, type Mailbox } from './addresses';

export interface Sender {
  displayName: string;
  email: string;
}

export interface BuiltMessage {
  messageId: string;
  from: string;
  envelope: { from: string; to: string[] };
  size: number;
}

/** The plain-text alternative of an HTML body: readable, links kept, images left out. */
export const textFromHtml = (html: string) =>
  htmlToText(html, { wordwrap: 78, selectors: [{ selector: 'img', format: 'skip' }] });

/** Parse and check every address of a draft before anything is written or sent. */
export function draftMailboxes(d: Draft) {
  const list = (field: string, values: string[]) => values.map((v) => parseMailbox(v, field));
  return {
    to: list('To', d.to),
    cc: list('Cc', d.cc),
    bcc: list('Bcc', d.bcc),
    replyTo: d.replyTo ? parseMailbox(d.replyTo, 'Reply-To') : undefined,
  };
}

const fmt = (m: Mailbox) => ({ name: m.name, address: m.address });

/**
 * Turn a draft into one RFC 5322 message at `path`, streamed: attachments are read from disk
 * piece by piece, never held whole in memory. The Message-ID is made here, once; the outbox
 * keeps these bytes and never rebuilds them, so every attempt sends the same message.
 */
export async function buildMessageFile(
  d: Draft,
  sender: Sender,
  attachments: AttachmentRegistry,
  path: string,
  now: Date,
): Promise<BuiltMessage> {
  const boxes = draftMailboxes(d);
  const files = await Promise.all(d.attachments.map((a) => attachments.verify(a.handle)));
  const domain = sender.email.split('@')[1] || 'mailwright.invalid';
  const messageId = `<${randomUUID()}@${domain}>`;
  const from = { name: sender.displayName, address: sender.email };
  const html = d.html && d.html.trim() ? d.html : undefined;

  const composer = new MailComposer({
    from,
    to: boxes.to.map(fmt),
    cc: boxes.cc.map(fmt),
    bcc: boxes.bcc.map(fmt), // kept out of the headers by MailComposer, used for the envelope
    replyTo: boxes.replyTo ? fmt(boxes.replyTo) : undefined,
    subject: d.subject,
    messageId,
    date: now,
    html,
    text: html ? textFromHtml(html) : (d.text ?? ''),
    attachments: files.map((f) => ({ filename: f.name, path: f.path, contentType: f.contentType })),
    // Content comes from our own draft and registry only; never let a value make nodemailer open a file or URL.
    disableFileAccess: false,
    disableUrlAccess: true,
    headers: { 'X-Mailer': 'Mailwright' },
  });
  const node = composer.compile();
  const envelope = node.getEnvelope() as { from: string; to: string[] };

  try {
    await pipeline(node.createReadStream(), createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    await fs.rm(path, { force: true });
    const failed = files.find((f) => (err as Error).message?.includes(f.path));
    throw failed ? unreadable(failed.name, err) : err;
  }
  const handle = await fs.open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  const { size } = await fs.stat(path);
  return {
    messageId,
    from: sender.displayName ? `${sender.displayName} <${sender.email}>` : sender.email,
    envelope,
    size,
  };
}
