import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { draft } from '../../shared/model/draft';
import { AttachmentRegistry } from '../../electron/core/attachments/attachment-registry';
import { buildToFile } from '../helpers/build-to-file';
import { buildMessage } from '../../electron/core/message/build-message';
import { invalidInputInfo } from '../../electron/core/invoke';
import { tempDir } from '../helpers/temp-dir';

const sender = { displayName: 'José Núñez', email: 'jose@example.test' };

describe('buildMessage', () => {
  it('keeps a message without files in memory and writes nothing; streams one with files to its path', async () => {
    const dir = tempDir();
    const registry = new AttachmentRegistry();
    const small = await buildMessage(draft.parse({ accountId: 'x', to: ['a@example.test'], subject: 's', text: 'hi' }), sender, registry, join(dir, 'small.eml'), new Date());
    expect(small.bytes?.length).toBe(small.size);
    expect((await simpleParser(small.bytes!)).text?.trim()).toBe('hi');
    await expect(fs.stat(join(dir, 'small.eml'))).rejects.toMatchObject({ code: 'ENOENT' });
    await fs.writeFile(join(dir, 'a.txt'), 'file');
    const info = await registry.register(join(dir, 'a.txt'));
    const withFile = await buildMessage(draft.parse({ accountId: 'x', to: ['a@example.test'], subject: 's', text: 'hi', attachments: [{ handle: info.handle }] }), sender, registry, join(dir, 'big.eml'), new Date());
    expect(withFile.bytes).toBeUndefined();
    expect((await fs.stat(join(dir, 'big.eml'))).size).toBe(withFile.size);
  });
});

describe('buildToFile', () => {
  it('builds one RFC 5322 message that parses back to the draft', async () => {
    const dir = tempDir();
    const registry = new AttachmentRegistry();
    const pdfBytes = randomBytes(300_000);
    await fs.writeFile(join(dir, 'informe.pdf'), pdfBytes);
    await fs.writeFile(join(dir, 'заметки.txt'), 'Привет, мир\n');
    const a = await registry.register(join(dir, 'informe.pdf'));
    const b = await registry.register(join(dir, 'заметки.txt'));
    const now = new Date('2026-11-21T10:00:00Z');
    const d = draft.parse({
      accountId: 'x',
      to: ['Иван Петров <ivan@example.test>'],
      cc: ['"Núñez, Ana" <ana@example.test>'],
      bcc: ['hidden@example.test'],
      replyTo: 'replies@example.test',
      subject: 'Отчёт — ¿listo? ñandú',
      html: '<p>Hola <b>Иван</b>, see <a href="https://example.test/r">the report</a>.</p>',
      attachments: [{ handle: a.handle }, { handle: b.handle }],
    });
    const path = join(dir, 'out.eml');
    const built = await buildToFile(d, sender, registry, path, now);
    const raw = await fs.readFile(path);
    const parsed = await simpleParser(raw);

    expect(parsed.subject).toBe('Отчёт — ¿listo? ñandú');
    expect(parsed.from?.value).toEqual([{ name: 'José Núñez', address: 'jose@example.test' }]);
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value).toEqual([{ name: 'Иван Петров', address: 'ivan@example.test' }]);
    expect(parsed.cc && !Array.isArray(parsed.cc) && parsed.cc.value).toEqual([{ name: 'Núñez, Ana', address: 'ana@example.test' }]);
    expect(parsed.replyTo?.value[0]?.address).toBe('replies@example.test');
    expect(parsed.messageId).toBe(built.messageId);
    expect(parsed.date?.toISOString()).toBe(now.toISOString());
    // Bcc travels in the envelope only.
    expect(raw.toString('latin1')).not.toMatch(/^bcc:/im);
    expect(raw.toString('latin1')).not.toContain('hidden@example.test');
    expect(built.envelope.to.sort()).toEqual(['ana@example.test', 'hidden@example.test', 'ivan@example.test']);
    expect(built.envelope.from).toBe('jose@example.test');
    // HTML plus a generated plain-text alternative.
    expect(raw.toString('latin1')).toMatch(/multipart\/alternative/);
    expect(parsed.html).toContain('<b>Иван</b>');
    expect(parsed.text).toContain('Hola Иван');
    expect(parsed.text).toContain('https://example.test/r');
    // Attachments arrive byte for byte, with their UTF-8 names.
    expect(parsed.attachments.map((x) => x.filename)).toEqual(['informe.pdf', 'заметки.txt']);
    expect(parsed.attachments[0]!.content.equals(pdfBytes)).toBe(true);
    expect(parsed.attachments[1]!.content.toString()).toBe('Привет, мир\n');
    expect(built.size).toBe(raw.length);
    // No line longer than SMTP allows.
    expect(Math.max(...raw.toString('latin1').split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
  });

  it('sends a text-only draft as text/plain', async () => {
    const dir = tempDir();
    const d = draft.parse({ accountId: 'x', to: ['a@example.test'], subject: 's', text: 'only text ' + 'x'.repeat(2000) });
    await buildToFile(d, sender, new AttachmentRegistry(), join(dir, 'm.eml'), new Date());
    const raw = await fs.readFile(join(dir, 'm.eml'), 'latin1');
    expect(raw).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
    expect(raw).not.toMatch(/multipart/);
    expect(Math.max(...raw.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
  });

  it('refuses an attachment that changed or vanished after it was picked, and writes nothing', async () => {
    const dir = tempDir();
    const registry = new AttachmentRegistry();
    await fs.writeFile(join(dir, 'a.txt'), 'one');
    const a = await registry.register(join(dir, 'a.txt'));
    await fs.rm(join(dir, 'a.txt'));
    const d = draft.parse({ accountId: 'x', to: ['a@example.test'], attachments: [{ handle: a.handle }] });
    await expect(buildToFile(d, sender, registry, join(dir, 'm.eml'), new Date())).rejects.toMatchObject({ info: { code: 'ATTACHMENT_UNREADABLE' } });
    await expect(fs.stat(join(dir, 'm.eml'))).rejects.toThrow();
  });

  it('refuses a handle that was never issued', async () => {
    const d = draft.parse({ accountId: 'x', to: ['a@example.test'], attachments: [{ handle: 'att_AAAAAAAAAAAAAAAAAAAA' }] });
    await expect(buildToFile(d, sender, new AttachmentRegistry(), join(tempDir(), 'm.eml'), new Date())).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
  });
});

describe('a recipient, parsed once by the schema at the door', () => {
  const to = (text: string) => draft.safeParse({ accountId: 'x', to: [text] });

  it.each([
    ['a@example.test', 'a@example.test', ''],
    ['Ivan <ivan@пример.рф>', 'ivan@пример.рф', 'Ivan'],
    ['"Doe, John" <john@example.test>', 'john@example.test', 'Doe, John'],
    ['"Doe, Jane; QA" <jane@example.test>', 'jane@example.test', 'Doe, Jane; QA'],
    ['"a@b"@example.test', '"a@b"@example.test', ''],
    ['bücher@bücher.de', 'bücher@bücher.de', ''],
  ])('parses %s into its name and address', (text, address, name) => {
    expect(to(text).data?.to).toEqual([{ address, name }]);
  });

  it.each([
    ['a b@c.test', /^To "a b@c.test": has a space — put a name in quotes before <b@c.test>\.$/],
    ['a@b.test c@d.test', /^To "a@b.test c@d.test": holds two addresses — put each in its own recipient\.$/],
    ['a@b.test, c@d.test', /holds two addresses/],
    ['a@-b.test', /the domain “-b.test” is not valid/],
    ['@b.test', /nothing before the @/],
    ['not an address', /is not an email address/],
    ['a@', /nothing after the @/],
  ])('refuses %s as INVALID_INPUT with the reason the composer shows', (text, message) => {
    const parsed = to(text);
    expect(parsed.success).toBe(false);
    const info = invalidInputInfo(parsed.error!, { to: [text] });
    expect(info.code).toBe('INVALID_INPUT');
    expect(info.message).toMatch(message);
  });
});
