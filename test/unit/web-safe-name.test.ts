import { describe, expect, it } from 'vitest';
import { safeName } from '../../electron/core/attachments/uploads';

describe('safeName (browser-mode upload names)', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\ana\\informe.pdf', 'informe.pdf'],
    ['..', 'attachment'],
    ['.', 'attachment'],
    ['', 'attachment'],
    ['a\r\nb.txt', 'ab.txt'],
    ['заметки.txt', 'заметки.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'], // a right-to-left override would show it as …exe.pdf
    ['a\u2067b\u2069.txt', 'ab.txt'],
    ['👩\u200D💻 notes.txt', '👩\u200D💻 notes.txt'], // a joiner belongs in an emoji: kept
  ])('%j → %j', (raw, expected) => {
    expect(safeName(raw)).toBe(expected);
  });
});

describe('names that reach the disk fit its 255-byte limit', () => {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  it.each([
    ['126 Cyrillic letters', `${'я'.repeat(126)}.pdf`],
    ['CJK', `${'報告'.repeat(60)}.docx`],
    ['emoji of several code points', `${'👩\u200D👩\u200D👧\u200D👦'.repeat(12)}.png`],
    ['no extension', 'ж'.repeat(300)],
  ])('%s: cut between whole characters, the extension kept', (_what, name) => {
    const fitted = safeName(name);
    expect(bytes(fitted)).toBeLessThanOrEqual(255);
    expect(fitted.length).toBeGreaterThan(10);
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.')) : '';
    expect(fitted.endsWith(ext)).toBe(true);
    expect(name.startsWith(fitted.replace(/\.[^.]+$/, ''))).toBe(true); // a prefix: nothing but the end went
    expect(fitted).not.toMatch(/\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no broken character
  });

  it('a long name is stored, not refused with INTERNAL_ERROR (upload, reopened draft, export)', async () => {
    const { storeUpload } = await import('../../electron/core/attachments/uploads');
    const { tempDir } = await import('../helpers/temp-dir');
    const { promises: fs } = await import('node:fs');
    const { basename } = await import('node:path');
    const path = await storeUpload(tempDir(), `${'я'.repeat(200)}.pdf`, Buffer.from('x'));
    expect(await fs.readFile(path, 'utf8')).toBe('x');
    expect(basename(path)).toMatch(/я+\.pdf$/);
  });
});
