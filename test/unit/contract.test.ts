import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/ipc/contract';
import { accountInput } from '../../shared/model/account';
import { draft } from '../../shared/model/draft';

describe('contract schemas', () => {
  const good = { accountId: 'sandbox', to: ['a@example.test'], subject: 'Hi' };

  it('accepts a plain draft and fills defaults', () => {
    const parsed = draft.parse(good);
    expect(parsed).toMatchObject({ cc: [], bcc: [], attachments: [] });
  });

  it.each([
    ['subject', { subject: 'Hi\r\nBcc: victim@example.test' }],
    ['subject with NUL', { subject: 'a\0b' }],
    ['recipient with LF', { to: ['a@example.test\nX-Evil: 1'] }],
    ['reply-to with CR', { replyTo: 'r@example.test\r' }],
  ])('refuses line breaks and control characters in header fields (%s)', (_name, change) => {
    expect(draft.safeParse({ ...good, ...change }).success).toBe(false);
  });

  it('needs a recipient', () => {
    const result = draft.safeParse({ ...good, to: [] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('err.input.needsRecipient');
  });

  it('refuses unknown keys (no smuggled attachment paths)', () => {
    expect(draft.safeParse({ ...good, attachments: [{ handle: 'att_abcdefghijklmnop', path: '/etc/passwd' }] }).success).toBe(false);
    expect(draft.safeParse({ ...good, attachments: [{ path: '/etc/passwd' }] }).success).toBe(false);
  });

  it('normalises a pinned fingerprint with or without colons', () => {
    const hex = 'ab'.repeat(32);
    const base = { name: 'Work', email: 'me@example.test', host: 'smtp.example.test', port: 587, security: 'starttls' };
    const a = accountInput.parse({ ...base, pinnedCertSha256: hex });
    const b = accountInput.parse({ ...base, pinnedCertSha256: hex.match(/../g)!.join(':').toUpperCase() });
    expect(a.pinnedCertSha256).toBe(b.pinnedCertSha256);
    expect(a.pinnedCertSha256).toMatch(/^AB(:AB){31}$/);
    expect(accountInput.safeParse({ ...base, pinnedCertSha256: 'abc' }).success).toBe(false);
  });

  it('refuses impossible ports and security modes', () => {
    const base = { name: 'Work', email: 'me@example.test', host: 'smtp.example.test', port: 587, security: 'starttls' };
    expect(accountInput.safeParse({ ...base, port: 70000 }).success).toBe(false);
    expect(accountInput.safeParse({ ...base, security: 'ssl' }).success).toBe(false);
    expect(accountInput.safeParse({ ...base, host: 'smtp.example.test\r\n' }).success).toBe(false);
  });

  it('every channel has a request schema', () => {
    for (const [name, entry] of Object.entries(contract)) {
      expect(typeof entry.request.safeParse, name).toBe('function');
    }
  });
});
