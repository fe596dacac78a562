import { describe, expect, it } from 'vitest';
import { parseMailto } from '../../shared/model/mailto';

describe('mailto: URLs (RFC 6068)', () => {
  it('reads recipients, cc, bcc, subject and a multi-line body', () => {
    expect(parseMailto('mailto:ana@example.test,bob@example.test?cc=carol@example.test&bcc=dan@example.test&subject=Hello%20there&body=Line%201%0D%0ALine%202')).toEqual({
      to: ['ana@example.test', 'bob@example.test'],
      cc: ['carol@example.test'],
      bcc: ['dan@example.test'],
      subject: 'Hello there',
      body: 'Line 1\nLine 2',
    });
  });

  it('decodes UTF-8 and keeps a plus sign as a plus (RFC 6068, unlike forms)', () => {
    expect(parseMailto('mailto:jos%C3%A9+news@example.test?subject=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82+1')).toMatchObject({ to: ['josé+news@example.test'], subject: 'Привет+1' });
  });

  it('takes to= in the query as well as in the path, and case-insensitive field names', () => {
    expect(parseMailto('mailto:?To=a@x.test&SUBJECT=s')).toMatchObject({ to: ['a@x.test'], subject: 's' });
  });

  it('ignores every other header, and refuses line breaks in the subject', () => {
    const d = parseMailto('mailto:a@x.test?subject=Hi%0D%0ABcc:%20evil@x.test&from=ceo@x.test&in-reply-to=%3Cx%40y%3E&x-mailer=evil');
    expect(d).toEqual({ to: ['a@x.test'], cc: [], bcc: [], subject: 'Hi Bcc: evil@x.test', body: '' });
  });

  it('is not fooled by other schemes or malformed escapes', () => {
    expect(parseMailto('https://example.com/?to=a@x.test')).toBeUndefined();
    expect(parseMailto('mailto:a@x.test?subject=100%')).toMatchObject({ subject: '100%' });
  });
});

describe('mailwright compose', () => {
  it('saves a mailto: link as a draft the composer reopens, and sends nothing', async () => {
    const { cli } = await import('../helpers/cli');
    const { tempDir } = await import('../helpers/temp-dir');
    const dir = tempDir();
    const r = await cli(['--data-dir', dir, '--json', 'compose', 'mailto:ana@example.test?cc=bob@example.test&subject=Hola&body=Uno%0A%0ADos%20%3Cb%3E']);
    expect(r.code, r.stdout).toBe(0);
    const list = await cli(['--data-dir', dir, '--json', 'outbox', 'list']);
    expect(list.json.items).toEqual([]);
    const { savedDrafts } = await import('../helpers/saved-drafts');
    const [saved] = savedDrafts(dir);
    expect(saved).toMatchObject({ id: r.json.draft, to: 'ana@example.test', cc: 'bob@example.test', subject: 'Hola', html: '<p>Uno</p><p>Dos &lt;b&gt;</p>' });
    expect((await cli(['--data-dir', dir, 'compose', 'https://example.com'])).code).toBe(2);
  });

  it('a subject too long for one header line is cut, and its whole text opens the body: the link still works', async () => {
    const { cli } = await import('../helpers/cli');
    const { tempDir } = await import('../helpers/temp-dir');
    const dir = tempDir();
    const subject = `${'Ünïcödé 🙂 '.repeat(120)}end`; // 1,323 code points, emoji included
    const r = await cli(['--data-dir', dir, '--json', 'compose', `mailto:ana@example.test?subject=${encodeURIComponent(subject)}&body=Hello`]);
    expect(r.code, r.stdout).toBe(0);
    const { savedDrafts } = await import('../helpers/saved-drafts');
    const [saved] = savedDrafts(dir) as Array<{ subject: string; html: string }>;
    expect([...saved!.subject]).toHaveLength(998);
    expect(saved!.subject.endsWith('…')).toBe(true);
    expect(subject.startsWith(saved!.subject.slice(0, -1))).toBe(true); // no half emoji
    expect(saved!.html).toContain('end</p>');
    expect(saved!.html).toContain('<p>Hello</p>');
  });
});
