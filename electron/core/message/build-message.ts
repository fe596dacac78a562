import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { Transform, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type { Draft } from '../../../shared/model/draft';
import type { AttachmentRegistry } from '../attachments/attachment-registry';
import { unreadable } from '../attachments/attachment-registry';
import { IO_CHUNK, lazyFileStream } from '../fs/io-chunk';
import type { Mailbox } from '../../../shared/model/mailbox';
import type { DkimSigner } from '../deliverability/dkim-sign';
import { composeHere, textFromHtml, type Composed, type TextKind } from './build-worker';

export interface Sender {
  displayName: string;
  email: string;
  /** HTML, added when the draft asks for it. */
  signature?: string;
}

export interface BuiltMessage {
  messageId: string;
  from: string;
  envelope: { from: string; to: string[] };
  /** The envelope's blind copies (in no header). */
  bcc: string[];
  size: number;
}

/** The signature separator of RFC 3676 (dash, dash, space): mail readers recognise and fold what follows. */
const SIG_SEPARATOR = '-- ';

/** Where a message without files is built: a BuildWorker, or this thread. */
export interface Builder {
  toText(html: string, kind: TextKind): Promise<string>;
  /** With `textFrom`, the text part is derived from that HTML as the message is composed. */
  compose(options: Mail.Options, textFrom?: string): Promise<Composed>;
}
const onThisThread: Builder = { toText: textFromHtml, compose: composeHere };

/**
 * The bodies that will be sent: the HTML (if any) and its text part, each with the signature when
 * asked. `text` undefined: the text part is the HTML's own, derived as the message is composed
 * (`Builder.compose`'s textFrom), so a bulk send's HTML messages cross to the build worker once.
 */
export async function messageBodies(d: Pick<Draft, 'html' | 'text' | 'signature'>, signatureHtml?: string, builder: Pick<Builder, 'toText'> = onThisThread): Promise<{ html?: string; text?: string }> {
  const html = d.html && d.html.trim() ? d.html : undefined;
  const sig = d.signature && signatureHtml?.trim() ? signatureHtml : undefined;
  if (!sig && html && !d.text?.trim()) return { html };
  // A text part given with the HTML (a script's own, `send --text … --html-file …`) is sent as is.
  const text = html && !d.text?.trim() ? await builder.toText(html, 'body') : (d.text ?? '');
  if (!sig) return { html, text };
  // Written in the rich-text composer (`html` given, even empty: a message of only a signature, or
  // of attachments), the signature keeps its HTML, as the composer showed it. An empty body sent
  // it as text only (found when a test's draft had not been saved yet and its body was empty).
  const body = html ?? (d.html !== undefined ? '' : undefined);
  return {
    html: body !== undefined ? `${body}<div class="mailwright-signature"><p>${SIG_SEPARATOR}</p>${sig}</div>` : undefined,
    text: `${text.trim() ? `${text.replace(/\s+$/, '')}\n\n` : ''}${SIG_SEPARATOR}\n${await builder.toText(sig, 'signature')}`,
  };
}

// An image the composer embedded (pasted or dropped) travels as a data: URL in the HTML; on the
// wire it becomes a related part that the HTML points to by cid:, as mail clients expect.
const IMG_TAG = /<img\b[^>]*>/gi;
const DATA_SRC = /(\ssrc=")data:(image\/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=]+)"/i;
/** The composer keeps a pasted or dropped file's name as the image's alt text. */
const FILE_ALT = /\salt="([^"/\\]{1,120}\.(?:png|jpe?g|gif|webp))"/i;

type InlinePart = { cid: string; filename: string; content: Buffer; contentType: string };

/** Move data: images out of the HTML into inline parts; the HTML then refers to them by cid:. */
export function inlineImages(html: string, domain: string): { html: string; parts: InlinePart[] } {
  const parts: InlinePart[] = [];
  const out = html.replace(IMG_TAG, (tag) => {
    const src = DATA_SRC.exec(tag);
    if (!src) return tag;
    const [, attr, contentType, data] = src as unknown as [string, string, string, string];
    const cid = `${randomUUID()}@${domain}`;
    const filename = FILE_ALT.exec(tag)?.[1] ?? `image-${parts.length + 1}.${contentType.split('/')[1]!.replace('jpeg', 'jpg')}`;
    parts.push({ cid, contentType, content: Buffer.from(data, 'base64'), filename });
    return tag.replace(DATA_SRC, `${attr}cid:${cid}"`);
  });
  return { html: out, parts };
}

const fmt = (m: Mailbox) => ({ name: m.name, address: m.address });

/**
 * RFC 2369's List-Unsubscribe; for an https address also RFC 8058's one-click POST, which Gmail,
 * Yahoo and Outlook.com require of bulk senders (a mailto: cannot be one-click).
 */
function unsubscribeHeaders(link: string | undefined): Record<string, string> {
  if (!link) return {};
  return { 'List-Unsubscribe': `<${link}>`, ...(/^https:/i.test(link) ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}) };
}

/**
 * Turn a draft into one RFC 5322 message. With files attached it is streamed to `path` (the files
 * read piece by piece, never held whole in memory) and fsynced; without, it is small and comes
 * back as `bytes`, and nothing is written. The Message-ID is made here, once; the outbox keeps
 * these bytes and never rebuilds them, so every attempt sends the same message.
 */
export async function buildMessage(
  d: Draft,
  sender: Sender,
  attachments: AttachmentRegistry,
  path: string,
  now: Date,
  builder: Builder = onThisThread,
  signer?: DkimSigner,
): Promise<BuiltMessage & { bytes?: Buffer }> {
  const files = await Promise.all(d.attachments.map((a) => attachments.verify(a.handle)));
  const domain = sender.email.split('@')[1] || 'mailwright.invalid';
  const messageId = `<${randomUUID()}@${domain}>`;
  const from = { name: sender.displayName, address: sender.email };
  const bodies = await messageBodies(d, sender.signature, builder);
  const inline = bodies.html ? inlineImages(bodies.html, domain) : { html: undefined, parts: [] };

  const options: Mail.Options = {
    from,
    to: d.to.map(fmt),
    cc: d.cc.map(fmt),
    bcc: d.bcc.map(fmt), // kept out of the headers by MailComposer, used for the envelope
    replyTo: d.replyTo ? fmt(d.replyTo) : undefined,
    subject: d.subject,
    messageId,
    date: now,
    html: inline.html,
    text: bodies.text,
    attachments: inline.parts.map((p) => ({ ...p, contentDisposition: 'inline' as const })),
    // Content comes from our own draft and registry only; never let a value make nodemailer open a file or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    headers: { 'X-Mailer': 'Mailwright', ...unsubscribeHeaders(d.listUnsubscribe) },
    // Canonical CRLF throughout (RFC 5322), bodies included: the stored bytes are then exactly the
    // bytes the SMTP client sends, which would turn each bare LF into CRLF on the wire (found when
    // a rich message's .eml and what the server received differed by a byte per text line).
    newline: 'windows',
  };
  const about = { messageId, from: sender.displayName ? `${sender.displayName} <${sender.email}>` : sender.email, bcc: d.bcc.map((b) => b.address) };
  // From the HTML with its images as cid: links (html-to-text leaves images out either way), not their data: bytes again.
  const textFrom = bodies.text === undefined ? inline.html : undefined;
  if (!files.length) {
    const { bytes: unsigned, envelope } = await builder.compose(options, textFrom);
    const bytes = signer ? await signer.sign(unsigned, now) : unsigned;
    return { ...about, bytes, envelope, size: bytes.length };
  }

  if (textFrom !== undefined) options.text = await builder.toText(textFrom, 'body');
  // Each file read in pieces of our own (see io-chunk.ts), opened when its turn comes
  // and closed here if the build fails; nodemailer itself is never asked to open a file.
  const contents = files.map((f) => lazyFileStream(f.path));
  try {
    const node = new MailComposer({ ...options, attachments: [...files.map((f, i) => ({ filename: f.name, content: contents[i]!, contentType: f.contentType })), ...options.attachments!] }).compile();
    const envelope = node.getEnvelope() as BuiltMessage['envelope'];
    if (!signer) return { ...about, envelope, size: await streamToFile(node, path, files) };
    // Signed: the signature goes in front, known only once every byte has passed; the message
    // is hashed as it is written aside, then written again behind its signature.
    const aside = `${path}.unsigned`;
    const signing = signer.signStream(now);
    try {
      await streamToFile(node, aside, files, signing);
      return { ...about, envelope, size: await prependTo(path, await signing.signature, aside) };
    } finally {
      signing.input.destroy();
      await fs.rm(aside, { force: true });
    }
  } finally {
    for (const c of contents) c.destroy();
  }
}

/**
 * A message with files attached is streamed to disk, the files read piece by piece. fsynced before
 * it is closed (flush), so it is whole on disk when this resolves.
 */
async function streamToFile(node: ReturnType<MailComposer['compile']>, path: string, files: Array<{ name: string; path: string }>, signing?: { input: Writable; signature: Promise<unknown> }): Promise<number> {
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600, flush: true });
  try {
    // pipe + finished rather than pipeline(), which made an AbortController and its DOMException
    // (with a stack trace) per message; the source's errors (an unreadable attachment) still reach us.
    const source = node.createReadStream();
    source.once('error', (err) => out.destroy(err));
    const chunks = source.pipe(inLargeChunks());
    chunks.pipe(out);
    if (signing) {
      chunks.pipe(signing.input);
      // The signer reads every piece before the next may go: one that fails would stop the write for good.
      signing.signature.catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
    }
    await finished(out);
  } catch (err) {
    await fs.rm(path, { force: true });
    const failed = files.find((f) => (err as Error).message?.includes(f.path));
    throw failed ? unreadable(failed.name, err) : err;
  }
  return out.bytesWritten;
}

/** Write `head` and then the file `rest` to `path`, fsynced as it closes: its size. */
async function prependTo(path: string, head: Buffer, rest: string): Promise<number> {
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600, flush: true });
  try {
    out.write(head);
    createReadStream(rest, { highWaterMark: IO_CHUNK }).once('error', (err) => out.destroy(err)).pipe(out);
    await finished(out);
  } catch (err) {
    await fs.rm(path, { force: true });
    throw err;
  }
  return out.bytesWritten;
}

/**
 * Gather the encoder's small pieces into writes of IO_CHUNK: 200 MB went out in ~19,000 writes,
 * most of what the send took beyond raw nodemailer's (bench/attachment.ts).
 */
function inLargeChunks(): Transform {
  let held: Buffer[] = [];
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      held.push(chunk);
      bytes += chunk.length;
      if (bytes < IO_CHUNK) return done();
      const whole = Buffer.concat(held, bytes);
      held = [];
      bytes = 0;
      done(null, whole);
    },
    flush(done) {
      done(null, bytes ? Buffer.concat(held, bytes) : null);
    },
  });
}
