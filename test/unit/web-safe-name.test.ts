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
  ])('%j → %j', (raw, expected) => {
    expect(safeName(raw)).toBe(expected);
  });
});
