import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { draft } from '../../shared/model/draft';
import { AttachmentRegistry } from '../../electron/core/attachments/attachment-registry';
import { inlineImages, messageBodies } from '../../electron/core/message/build-message';
import { buildToFile } from '../helpers/build-to-file';
import { tempDir } from '../helpers/temp-dir';

const SIG = '<p><strong>Ana Núñez</strong></p><p>Acme · <a href="https://acme.test">acme.test</a></p>';
const sender = { displayName: 'Ana', email: 'ana@example.test', signature: SIG };

async function build(fields: Record<string, unknown>) {
  const dir = tempDir();
  const path = join(dir, 'out.eml');
  const built = await buildToFile(draft.parse({ accountId: 'x', to: ['bob@example.test'], subject: 'Hi', ...fields }), sender, new AttachmentRegistry(), path, new Date());
  const raw = await fs.readFile(path);
  return { built, raw, parsed: await simpleParser(raw, { keepCidLinks: true }) };
}

describe('signatures', () => {
  it('adds the signature after a "-- " line in both parts when the draft asks for it', async () => {
    const { parsed } = await build({ html: '<p>Hello Bob</p>', signature: true });
    expect(parsed.html).toContain('<p>-- </p><p><strong>Ana Núñez</strong></p>');
    // The text part has the RFC 3676 separator on a line of its own, then the signature as text.
    expect(parsed.text).toMatch(/Hello Bob\n\n-- \nAna Núñez\n/);
    expect((parsed.text ?? '').split('\n-- \n')).toHaveLength(2);
  });

  it('plain-text messages get the signature as text, and no HTML part at all', async () => {
    const { parsed, raw } = await build({ text: 'Hello Bob,\nsee you.', signature: true });
    expect(parsed.html).toBeFalsy();
    expect(raw.toString()).not.toMatch(/text\/html/i);
    // Each paragraph of the signature is a line of its own in text.
    expect(parsed.text).toMatch(/^Hello Bob,\nsee you\.\n\n-- \nAna Núñez\nAcme · acme\.test/);
  });

  it('a rich-text message of only a signature keeps the signature as HTML; a plain one has none', async () => {
    const rich = await build({ html: '', signature: true });
    expect(rich.parsed.html).toContain('<p>-- </p><p><strong>Ana Núñez</strong></p>');
    expect(rich.parsed.text).toMatch(/^-- \nAna Núñez\n/);
    const plain = await build({ text: '', signature: true });
    expect(plain.parsed.html).toBeFalsy();
    expect(plain.parsed.text).toMatch(/^-- \nAna Núñez\n/);
  });

  it('a text part given with the HTML is sent as is (it was dropped for one made from the HTML); an empty one is made from the HTML', async () => {
    const given = await build({ html: '<p>Hello <b>Bob</b></p>', text: 'Hello Bob, in my own words.' });
    expect(given.parsed.text?.trim()).toBe('Hello Bob, in my own words.');
    expect(given.parsed.html).toContain('Hello <b>Bob</b>');
    const blank = await build({ html: '<p>Hello <b>Bob</b></p>', text: '  ' });
    expect(blank.parsed.text?.trim()).toBe('Hello Bob');
  });

  it('leaves the signature out when the draft does not ask for it, or the account has none', async () => {
    // No signature: the HTML as it is, its text part left to the builder, which derives it as it composes.
    expect(await messageBodies({ html: '<p>x</p>', signature: false }, SIG)).toEqual({ html: '<p>x</p>' });
    expect(await messageBodies({ html: '<p>x</p>', signature: true }, '  ')).toEqual({ html: '<p>x</p>' });
    expect(await messageBodies({ html: '<p>x</p>', signature: true }, undefined)).toEqual({ html: '<p>x</p>' });
    const { parsed } = await build({ html: '<p>x</p>', signature: false });
    expect(parsed.text?.trim()).toBe('x');
    expect(parsed.html).not.toContain('-- ');
  });
});

describe('inline images', () => {
  const png = randomBytes(2048);
  const dataUrl = `data:image/png;base64,${png.toString('base64')}`;

  it('sends a data: image as a related inline part that the HTML refers to by cid:', async () => {
    const { parsed, raw } = await build({ html: `<p>Look:</p><img src="${dataUrl}" alt="chart"><p>done</p>` });
    expect(raw.toString()).toMatch(/multipart\/related/i);
    expect(raw.toString()).not.toContain('data:image/png');
    const image = parsed.attachments.find((a) => a.contentType === 'image/png');
    expect(image?.content.equals(png)).toBe(true);
    expect(image?.contentDisposition).toBe('inline');
    expect(image?.related).toBe(true);
    expect(parsed.html).toContain(`src="cid:${image?.contentId?.replace(/[<>]/g, '')}"`);
    // The text part does not carry the image.
    expect(parsed.text).not.toMatch(/base64|cid:/);
  });

  it('leaves other data: URLs (SVG can hold script) and remote images alone', () => {
    const svg = '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">';
    const remote = '<img src="https://example.test/a.png">';
    expect(inlineImages(svg + remote, 'example.test')).toEqual({ html: svg + remote, parts: [] });
  });

  it('gives each image its own part and name', () => {
    const { html, parts } = inlineImages(`<img src="${dataUrl}"><p>and</p><img alt="x" src="data:image/jpeg;base64,AAAA"><img src="${dataUrl}" alt="Screenshot 2026-11-22.png">`, 'example.test');
    expect(parts.map((p) => [p.filename, p.contentType])).toEqual([
      ['image-1.png', 'image/png'],
      ['image-2.jpg', 'image/jpeg'],
      ['Screenshot 2026-11-22.png', 'image/png'],
    ]);
    expect(new Set(parts.map((p) => p.cid)).size).toBe(3);
    expect(html).toContain('alt="Screenshot 2026-11-22.png"');
    for (const p of parts) expect(html).toContain(`cid:${p.cid}`);
  });
});
