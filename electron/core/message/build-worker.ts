import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { HtmlToTextOptions } from 'html-to-text';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';

/**
 * How an HTML body becomes its plain-text alternative: readable, links kept, images left out.
 * A signature's paragraphs are lines of their own (name, title, phone), not blocks apart.
 */
const TEXT_OPTIONS = {
  body: { wordwrap: 78, selectors: [{ selector: 'img', format: 'skip' }] },
  signature: { wordwrap: 78, selectors: [{ selector: 'img', format: 'skip' }, { selector: 'p', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } }] },
} satisfies Record<string, HtmlToTextOptions>;

export type TextKind = keyof typeof TEXT_OPTIONS;

// Loaded on first use: html-to-text and its parsers are ~5 MB that a plain-text message, or a CLI
// command other than send, never needs (bench/attachment.ts). Compiled once: convert() compiles
// its options anew on every call, about a quarter of its time on a newsletter-sized message.
let converters: Promise<Record<TextKind, (html: string) => string>> | undefined;
const loadConverters = () => (converters ??= import('html-to-text').then(({ compile }) => ({ body: compile(TEXT_OPTIONS.body), signature: compile(TEXT_OPTIONS.signature) })));

/** The text of an HTML body (or signature), on this thread. */
export const textFromHtml = async (html: string, kind: TextKind = 'body'): Promise<string> => (await loadConverters())[kind](html);

/** A message without files, as bytes, and the envelope its headers give. */
export interface Composed {
  bytes: Buffer;
  envelope: { from: string; to: string[] };
}

/**
 * Build a message without files (plain data: no streams), on this thread; with `textFrom`, its
 * text part is first derived from that HTML. WORKER_PROGRAM below does the same steps on the worker's.
 */
export async function composeHere(options: Mail.Options, textFrom?: string): Promise<Composed> {
  if (textFrom !== undefined) options = { ...options, text: await textFromHtml(textFrom) };
  const node = new MailComposer(options).compile();
  const envelope = node.getEnvelope() as Composed['envelope'];
  return { bytes: await node.build(), envelope };
}

/** Messages built this close together are a bulk send (a merge, a script): the worker takes them. */
const BULK_COUNT = 8;
const BULK_WITHIN_MS = 1_000;
/** A worker left idle this long ends: it holds a V8 heap of its own. */
const IDLE_END_MS = 30_000;

// The worker's whole program: html-to-text and nodemailer's composer, loaded by the paths this
// module resolved, with the same options. No file of its own to find (the sources, the bundle
// and a packaged app lay files out differently). A Buffer arrives as a Uint8Array: made a Buffer
// again, which nodemailer needs for an inline image's content.
const WORKER_PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const { compile } = require(workerData.htmlToText);
const composerModule = require(workerData.mailComposer);
const MailComposer = composerModule.default || composerModule;
const converters = Object.fromEntries(Object.entries(workerData.textOptions).map(([kind, options]) => [kind, compile(options)]));
async function compose(options, textFrom) {
  if (textFrom !== undefined) options.text = converters.body(textFrom);
  for (const a of options.attachments || []) if (a.content instanceof Uint8Array) a.content = Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength);
  const node = new MailComposer(options).compile();
  const envelope = node.getEnvelope();
  return { bytes: await node.build(), envelope };
}
parentPort.on('message', async ({ id, html, kind, options, textFrom }) => {
  try {
    parentPort.postMessage(options ? { id, composed: await compose(options, textFrom) } : { id, text: converters[kind](html) });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});`;

type Job = { html: string; kind: TextKind } | { options: Mail.Options; textFrom?: string };
interface Reply {
  id: number;
  text?: string;
  composed?: { bytes: Uint8Array; envelope: Composed['envelope'] };
  error?: string;
}
interface Pending {
  job: Job;
  resolve: (value: string | Composed) => void;
  reject: (err: unknown) => void;
}

/**
 * Where messages without files are built: here, or on a worker thread in a bulk send. Building a
 * newsletter-sized message (its text part and its MIME) is most of the event loop's time per
 * message in a bulk send (bench/throughput.ts), taken from the window and from every message
 * in flight. A lone message is built here (a worker takes ~40 ms and ~10 MB to start); once
 * messages come in a stream, a worker builds them, and ends after a while without any. If the
 * worker cannot start or dies, its work is done here: a message is never lost to it.
 */
export class BuildWorker {
  private worker: Worker | undefined;
  private broken = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private recent: number[] = [];
  private idle: NodeJS.Timeout | undefined;

  /** Whether a worker is building now (a bulk send). */
  get onWorker(): boolean {
    return this.worker !== undefined;
  }

  /** An HTML body's text part: on the worker while one runs (a bulk send), else here. */
  toText(html: string, kind: TextKind): Promise<string> {
    return (this.worker ? this.send(this.worker, { html, kind }) : this.here({ html, kind })) as Promise<string>;
  }

  /**
   * A message without files: on the worker in a bulk send, else here. With `textFrom`, its text
   * part derived from that HTML in the same trip (a merge's HTML rows: one round trip each, not two).
   */
  compose(options: Mail.Options, textFrom?: string): Promise<Composed> {
    const worker = this.worker ?? this.startIfBulk(Date.now());
    const job = textFrom === undefined ? { options } : { options, textFrom };
    return (worker ? this.send(worker, job) : this.here(job)) as Promise<Composed>;
  }

  /** Ends the worker, if there is one; what it still had is built here. */
  async close(): Promise<void> {
    this.broken = true; // what comes later is built here
    const worker = this.worker;
    if (!worker) return;
    this.dropWorker();
    await worker.terminate();
  }

  private async here(job: Job): Promise<string | Composed> {
    return 'options' in job ? composeHere(job.options, job.textFrom) : textFromHtml(job.html, job.kind);
  }

  private send(worker: Worker, job: Job): Promise<string | Composed> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { job, resolve, reject });
      if (this.pending.size === 1) {
        // While it has work, the worker keeps the process alive (a CLI awaiting it must not exit).
        clearTimeout(this.idle);
        worker.ref();
      }
      worker.postMessage({ id, ...job });
    });
  }

  private startIfBulk(now: number): Worker | undefined {
    if (this.broken) return undefined;
    this.recent.push(now);
    if (this.recent.length > BULK_COUNT) this.recent.shift();
    if (this.recent.length < BULK_COUNT || now - this.recent[0]! > BULK_WITHIN_MS) return undefined;
    try {
      const resolve = createRequire(import.meta.url).resolve;
      const worker = new Worker(WORKER_PROGRAM, {
        eval: true,
        workerData: { htmlToText: resolve('html-to-text'), mailComposer: resolve('nodemailer/lib/mail-composer'), textOptions: TEXT_OPTIONS },
      });
      worker.on('message', (reply: Reply) => this.settle(worker, reply));
      worker.on('error', () => this.fallBack(worker));
      worker.on('exit', () => this.fallBack(worker));
      worker.unref();
      this.worker = worker;
    } catch {
      this.broken = true;
    }
    return this.worker;
  }

  private settle(worker: Worker, { id, text, composed, error }: Reply): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    // A job that failed there is done again here, to fail (or not) with this thread's own error.
    if (error !== undefined) this.here(waiting.job).then(waiting.resolve, waiting.reject);
    else if (composed) waiting.resolve({ bytes: Buffer.from(composed.bytes.buffer, composed.bytes.byteOffset, composed.bytes.byteLength), envelope: composed.envelope });
    else waiting.resolve(text!);
    if (this.pending.size || this.worker !== worker) return;
    worker.unref();
    this.idle = setTimeout(() => {
      if (this.worker !== worker || this.pending.size) return;
      this.dropWorker();
      void worker.terminate();
    }, IDLE_END_MS);
    this.idle.unref();
  }

  /** The worker failed: from now on messages are built here, starting with what it had. */
  private fallBack(worker: Worker): void {
    if (this.worker !== worker) return;
    this.broken = true;
    this.dropWorker();
  }

  private dropWorker(): void {
    clearTimeout(this.idle);
    this.worker = undefined;
    this.recent = [];
    for (const [id, { job, resolve, reject }] of this.pending) {
      this.pending.delete(id);
      this.here(job).then(resolve, reject);
    }
  }
}
