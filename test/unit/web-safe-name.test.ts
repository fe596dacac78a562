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
