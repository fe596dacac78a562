import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outboxHarness, saveAccount, testDraft } from '../helpers/outbox-harness';

// "The exact bytes sent": the .eml the outbox keeps (and exports) is byte for byte what a real
// server received, for every kind of message: canonical CRLF line ends, stored once, sent as stored.

const { setup, smtp } = outboxHarness();
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('the stored message is the message sent', () => {
  it.each([
    ['plain text', { text: 'Line one\nLine two\n\n-- \nAna\n' }],
    ['rich text (an HTML part and its generated text part)', { html: '<h1>Title</h1><p>Paragraph one</p><ul><li>a</li><li>b</li></ul><blockquote>quoted\nlines</blockquote><pre>code\n  indented\n</pre>' }],
    ['an inline image', { html: `<p>Look:</p><p><img src="data:image/png;base64,${PNG}" alt="dot"></p>` }],
    ['an attachment with LF line ends', { text: 'See the file', attach: 'one\ntwo\nthree\n' }],
  ])('%s: the .eml and the export equal what the server received, with no bare LF', async (_kind, body) => {
    const { core, dir } = await setup();
    const server = await smtp();
    const acc = await saveAccount(core, server.port);
    const attachments = [];
    if ('attach' in body) {
      await fs.writeFile(join(dir, 'notes.txt'), body.attach);
      attachments.push({ handle: (await core.attachments.register(join(dir, 'notes.txt'))).handle });
    }
    const { attach: _a, ...fields } = body as { attach?: string };
    const item = await core.outbox.enqueue(testDraft(acc.id, { ...fields, attachments }));
    const sent = await core.outbox.settled(item.id);
    expect(sent.state).toBe('sent');
    const stored = await core.outbox.readMessage(sent);
    const received = server.received[0]!.raw;
    expect(stored.toString('latin1').match(/(?<!\r)\n/g) ?? []).toEqual([]);
    expect(stored.equals(received), `stored ${stored.length} bytes, received ${received.length}`).toBe(true);
    const exported = await core.handlers['outbox:export']({ id: sent.id });
    expect(Buffer.from(exported.base64!, 'base64').equals(received)).toBe(true);
  });
});
