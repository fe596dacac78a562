import { describe, expect, it } from 'vitest';
import { translator } from '../../shared/i18n/translate';
import { checkMailbox, describeMailboxProblem, formatMailbox } from '../../shared/model/mailbox';

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
    ['', 'empty', /empty/],
    ['bob.example.test', 'missing-at', /missing @/],
    ['Jane <jane>', 'missing-at', /missing @/],
    ['not an address', 'missing-at', /missing @/],
    ['a@', 'nothing-after-at', /nothing after the @/],
    ['@b.test', 'nothing-before-at', /nothing before the @/],
    ['a@-b.test', 'bad-domain', /the domain “-b.test” is not valid/],
    ['a@b..test', 'bad-domain', /the domain “b..test” is not valid/],
    ['a@@b.test', 'more-than-one-at', /more than one @/],
    ['a(b@c.test', 'needs-quotes', /“a\(b” before the @ holds characters that need quotes/],
    ['"x y"@-b.test', 'bad-domain', /the domain “-b.test” is not valid/],
    ['a b@c.test', 'space', /has a space — put a name in quotes before <b@c.test>/],
    ['a@b.test, c@d.test', 'two-addresses', /holds two addresses/],
    ['a@b.test c@d.test', 'two-addresses', /holds two addresses/],
    ['Jane <jane@x.test> <k@y.test>', 'two-addresses', /holds two addresses/],
    ['"open@example.test', 'unclosed-quote', /a quote that is not closed/],
    ['a"b@c.test', 'unclosed-quote', /a quote that is not closed/],
  ])('refuses %s as %s, saying why in English', (text, code, reason) => {
    const checked = checkMailbox(text);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problem.code).toBe(code);
    expect(describeMailboxProblem(checked.problem)).toMatch(reason);
  });

  it('says why in the composer’s language, quoting the same piece', () => {
    const checked = checkMailbox('a@-b.test');
    expect(!checked.ok && describeMailboxProblem(checked.problem, translator('ru'))).toBe('домен «-b.test» указан неверно');
    const spaced = checkMailbox('a b@c.test');
    expect(!spaced.ok && describeMailboxProblem(spaced.problem, translator('es'))).toBe('tiene un espacio: pon el nombre entre comillas antes de <b@c.test>');
  });

  it('formats a mailbox back so the checker reads the same name and address', () => {
    for (const m of [{ name: 'Doe, John', address: 'john@example.test' }, { name: 'Ana Núñez', address: 'ana@example.test' }, { name: 'a "quoted" one', address: 'q@example.test' }, { name: '', address: 'x@пример.рф' }]) {
      expect(checkMailbox(formatMailbox(m))).toEqual({ ok: true, ...m });
    }
  });
});
