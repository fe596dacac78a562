import { simpleParser } from 'mailparser';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { BuildWorker, composeHere, textFromHtml } from '../../electron/core/message/build-worker';
import { newsletterHtml } from '../../bench/throughput';

const options = (i: number) => ({
  from: { name: 'Ana Núñez', address: 'ana@example.test' },
  to: [{ name: 'Bob', address: `bob${i}@example.test` }],
  subject: `Pedido nº ${i} — заказ`,
  messageId: `<m${i}@example.test>`,
  date: new Date('2026-12-07T10:00:00Z'),
  html: `<p>Hola <b>${i}</b></p><img src="cid:img${i}@example.test">`,
  text: `Hola ${i}`,
  // Inline image bytes: a Buffer here, a Uint8Array once it crossed to the worker.
  attachments: [{ cid: `img${i}@example.test`, filename: 'dot.png', contentType: 'image/png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, i % 256]), contentDisposition: 'inline' as const }],
  headers: { 'X-Mailer': 'Mailwright' },
  newline: 'windows' as const,
  disableFileAccess: true,
  disableUrlAccess: true,
});

/** What a reader sees of a message: its boundaries are random, everything else must match. */
async function seen(bytes: Buffer) {
  const m = await simpleParser(bytes);
  return { subject: m.subject, messageId: m.messageId, to: m.to, text: m.text, html: m.html, date: m.date, images: m.attachments.map((a) => [a.cid, [...a.content]]) };
}

describe('building messages on a worker in a bulk send', () => {
  it('a lone message is built on this thread; a stream of them moves to a worker, and each comes out as it would here', async () => {
    const builder = new BuildWorker();
    try {
      await builder.compose(options(0));
      expect(builder.onWorker).toBe(false);
      const built = await Promise.all(Array.from({ length: 40 }, (_, i) => builder.compose(options(i + 1))));
      expect(builder.onWorker).toBe(true);
      for (const [i, b] of built.entries()) {
        const here = await composeHere(options(i + 1));
        expect(b.envelope).toEqual(here.envelope);
        expect(await seen(b.bytes)).toEqual(await seen(here.bytes));
        expect(b.bytes.toString()).toMatch(/\r\n/); // canonical CRLF, as the options ask
        expect(b.bytes.toString()).not.toMatch(/[^\r]\n/);
      }
      const html = newsletterHtml(20_000);
      expect(await builder.toText(html, 'body')).toBe(await textFromHtml(html, 'body'));
      expect(await builder.toText('<p>Ana</p><p>Acme</p>', 'signature')).toBe(await textFromHtml('<p>Ana</p><p>Acme</p>', 'signature'));
    } finally {
      await builder.close();
    }
  });

  it('derives an HTML message’s text part in the same trip to the worker as its build, as it would here', async () => {
    const builder = new BuildWorker();
    try {
      await Promise.all(Array.from({ length: 8 }, (_, i) => builder.compose(options(i))));
      expect(builder.onWorker).toBe(true);
      const worker = (builder as unknown as { worker: Worker }).worker;
      const posted: unknown[] = [];
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (message: unknown) => (posted.push(message), post(message));
      const html = newsletterHtml(12_000);
      const { text: _given, ...withoutText } = options(70);
      const built = await Promise.all([1, 2, 3].map(() => builder.compose({ ...withoutText }, html)));
      expect(posted).toHaveLength(3); // one trip each: no separate one for the text part
      const here = await composeHere({ ...withoutText, text: await textFromHtml(html) });
      for (const b of built) expect(await seen(b.bytes)).toEqual(await seen(here.bytes));
      expect((await seen(built[0]!.bytes)).text).toContain('MONTHLY NEWSLETTER'); // html-to-text's heading
      expect(await seen((await composeHere({ ...withoutText }, html)).bytes)).toEqual(await seen(here.bytes));
    } finally {
      await builder.close();
    }
  });

  it('closed with work still on the worker, that work is finished here: nothing is lost', async () => {
    const builder = new BuildWorker();
    await Promise.all(Array.from({ length: 8 }, (_, i) => builder.compose(options(i))));
    expect(builder.onWorker).toBe(true);
    const pending = Array.from({ length: 30 }, (_, i) => builder.compose(options(100 + i)));
    await builder.close();
    const built = await Promise.all(pending);
    expect(built.map((b) => b.envelope.to)).toEqual(Array.from({ length: 30 }, (_, i) => [`bob${100 + i}@example.test`]));
    for (const b of built) expect((await simpleParser(b.bytes)).text?.trim()).toMatch(/^Hola \d+$/);
    // After close, everything is built here.
    await builder.compose(options(999));
    expect(builder.onWorker).toBe(false);
  });

  it('a worker that dies mid-work: what it held is built here, and so is everything after', async () => {
    const builder = new BuildWorker();
    try {
      const pending = Array.from({ length: 20 }, (_, i) => builder.compose(options(200 + i)));
      expect(builder.onWorker).toBe(true);
      // As a crash would: the thread ends with the work it was given.
      await (builder as unknown as { worker: Worker }).worker.terminate();
      const built = await Promise.all(pending);
      expect(built.map((b) => b.envelope.to[0])).toEqual(Array.from({ length: 20 }, (_, i) => `bob${200 + i}@example.test`));
      expect(builder.onWorker).toBe(false);
      await Promise.all(Array.from({ length: 20 }, (_, i) => builder.compose(options(300 + i))));
      expect(builder.onWorker).toBe(false);
    } finally {
      await builder.close();
    }
  });
});
