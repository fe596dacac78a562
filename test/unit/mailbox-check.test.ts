import { describe, expect, it } from 'vitest';
import { checkMailbox, formatMailbox } from '../../shared/model/mailbox';

// The one checker behind the composer's chips and main's refusal: what it accepts, and why it refuses.
describe('checkMailbox', () => {
  it.each([
    ['a@example.test', '', 'a@example.test'],
    ['Ana Núñez <ana@example.test>', 'Ana Núñez', 'ana@example.test'],
    ['"Doe, John" <john@example.test>', 'Doe, John', 'john@example.test'],
    ['"Smith; Jane (ops)" <jane@example.test>', 'Smith; Jane (ops)', 'jane@example.test'],
    ['"a@b"@example.test', '', '"a@b"@example.test'],
    ['"john doe"@example.test', '', '"john doe"@example.test'],
    ['Иван <ivan@пример.рф>', 'Иван', 'ivan@пример.рф'],
    ['bücher@bücher.de', '', 'bücher@bücher.de'],
    ['<plain@example.test>', '', 'plain@example.test'],
    ['  spaced@example.test  ', '', 'spaced@example.test'],
  ])('accepts %s', (text, name, address) => {
    expect(checkMailbox(text)).toEqual({ ok: true, name, address });
  });

  it.each([
    ['', /empty/],
    ['bob.example.test', /missing @/],
    ['Jane <jane>', /missing @/],
    ['not an address', /missing @/],
    ['a@', /nothing after the @/],
    ['@b.test', /nothing before the @/],
    ['a@-b.test', /the domain “-b.test” is not valid/],
    ['a@b..test', /the domain “b..test” is not valid/],
    ['a@@b.test', /more than one @/],
    ['a b@c.test', /has a space — put a name in quotes before <b@c.test>/],
    ['a@b.test, c@d.test', /holds two addresses/],
    ['a@b.test c@d.test', /holds two addresses/],
    ['Jane <jane@x.test> <k@y.test>', /holds two addresses/],
    ['"open@example.test', /a quote that is not closed/],
    ['a"b@c.test', /a quote that is not closed/],
  ])('refuses %s, saying why', (text, reason) => {
    const checked = checkMailbox(text);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.reason).toMatch(reason);
  });

  it('formats a mailbox back so the checker reads the same name and address', () => {
    for (const m of [{ name: 'Doe, John', address: 'john@example.test' }, { name: 'Ana Núñez', address: 'ana@example.test' }, { name: 'a "quoted" one', address: 'q@example.test' }, { name: '', address: 'x@пример.рф' }]) {
      expect(checkMailbox(formatMailbox(m))).toEqual({ ok: true, ...m });
    }
  });
});
