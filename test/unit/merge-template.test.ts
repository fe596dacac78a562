import { describe, expect, it, vi } from 'vitest';
import type { Phrase } from '../../shared/errors';
import { sayText } from '../../shared/i18n/errors/say';
import { MailwrightError } from '../../electron/core/errors';
import { compileTemplate, type RenderedFields } from '../../electron/core/templates/message-template';
import { rowScope } from '../../electron/core/templates/liquid';

// Liquid as a merge renders it: strict (a missing or empty value is the row's error, never a
// blank), HTML escaped unless `| raw`, one-line subjects, and dates and money the reader's way.

const render = (t: Parameters<typeof compileTemplate>[0], row: Record<string, unknown>, locale: 'en' | 'ru' | 'es' = 'en') => compileTemplate(t, locale).render(rowScope(row));
const problem = (out: RenderedFields | { problem: Phrase }) => ('problem' in out ? sayText('en', out.problem) : undefined);
const ok = (out: RenderedFields | { problem: Phrase }) => {
  if ('problem' in out) throw new Error(`refused: ${sayText('en', out.problem)}`);
  return out;
};

describe('merge templates', () => {
  it('fills each variable from the row, and names the one a row lacks', () => {
    const t = { subject: 'Order {{ order }}', text: 'Dear {{ name }}, {{ customer.city }}' };
    expect(ok(render(t, { order: 'A-1', name: 'Ана', customer: { city: 'Sevilla' } }))).toEqual({ subject: 'Order A-1', text: 'Dear Ана, Sevilla' });
    expect(problem(render(t, { order: 'A-1', customer: { city: 'x' } }))).toBe('"name" has no value in this row');
    expect(problem(render(t, { order: 'A-1', name: 'x', customer: {} }))).toBe('"customer.city" has no value in this row');
  });

  it('takes an empty cell for a missing value, yet lets if and default test for it', () => {
    const t = { subject: 'Hi', text: '{{ name }}{% if coupon %} code {{ coupon }}{% endif %} / {{ note | default: "none" }}' };
    expect(problem(render(t, { name: '', coupon: '', note: '' }))).toBe('"name" has no value in this row');
    expect(ok(render(t, { name: 'Bo', coupon: '', note: '' })).text).toBe('Bo / none');
    expect(ok(render(t, { name: 'Bo', coupon: 'X1', note: 'n' })).text).toBe('Bo code X1 / n');
  });

  it('escapes values in the HTML body (not in text), unless the template says raw', () => {
    const row = { name: '<script>alert(1)</script> & "Ana"' };
    const out = ok(render({ subject: '{{ name }}', html: '<p>{{ name }}</p>{{ name | raw }}', text: '{{ name }}' }, row));
    expect(out.html).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Ana&#34;</p><script>alert(1)</script> & "Ana"');
    expect(out.text).toBe(row.name);
    expect(out.subject).toBe(row.name);
  });

  it('refuses a row whose subject would hold a line break (header injection)', () => {
    expect(problem(render({ subject: 'Order {{ order }}', text: 'x' }, { order: 'A-1\r\nBcc: evil@attacker.test' }))).toMatch(/line break/);
    expect(problem(render({ subject: 'Order {{ order }}', text: 'x' }, { order: 'A-1\nX: y' }))).toMatch(/line break/);
  });

  it('refuses a template that is not Liquid, naming the field, before any row', () => {
    const refused = (t: Parameters<typeof compileTemplate>[0]) => {
      try {
        compileTemplate(t, 'en');
      } catch (err) {
        return (err as MailwrightError).info;
      }
      throw new Error('not refused');
    };
    expect(refused({ subject: 'Hi {{ name | nosuchfilter }}', text: 'x' })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('Subject') });
    expect(refused({ subject: 'Hi', html: '{% if a %}unclosed' })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('Body (HTML)') });
  });

  it('writes dates and money the reader’s way (en, ru, es), and refuses values that are neither', () => {
    const t = { subject: 's', text: '{{ d | local_date: "long" }} | {{ total | money: "EUR" }}' };
    expect(ok(render(t, { d: '2026-12-07', total: '1234.5' }, 'en')).text).toBe('December 7, 2026 | €1,234.50');
    expect(ok(render(t, { d: '2026-12-07', total: '1234.5' }, 'ru')).text).toMatch(/^7 декабря 2026 г\. \| 1\s234,50\s€$/);
    expect(ok(render(t, { d: '2026-12-07', total: '1234.5' }, 'es')).text).toMatch(/^7 de diciembre de 2026 \| 1\.?234,50\s€$/);
    expect(problem(render(t, { d: 'soon', total: '1' }))).toBe('"soon" is not a date');
    expect(problem(render(t, { d: '2026-12-07', total: '12,50' }))).toBe('"12,50" is not an amount (write it as 1234.50)');
  });

  it('renders List-Unsubscribe per row and refuses one that is neither https nor mailto', () => {
    const t = { subject: 's', text: 'x', listUnsubscribe: 'https://shop.example.test/u/{{ id }}' };
    expect(ok(render(t, { id: '42' })).listUnsubscribe).toBe('https://shop.example.test/u/42');
    expect(problem(render({ ...t, listUnsubscribe: '{{ link }}' }, { link: 'http://plain.example.test/u' }))).toMatch(/not https:\/\/ or mailto:/);
    expect(ok(render({ ...t, listUnsubscribe: 'mailto:unsub@example.test?subject={{ id }}' }, { id: '7' })).listUnsubscribe).toBe('mailto:unsub@example.test?subject=7');
  });

  it('reads no file of this machine (a template naming one is refused), and stops a runaway loop as the row’s problem', () => {
    for (const tag of ['{% include "package.json" %}', '{% render "package.json" %}', '{% layout "package.json" %}x']) {
      expect(() => compileTemplate({ subject: 's', html: tag }, 'en'), tag).toThrow(MailwrightError);
      try {
        compileTemplate({ subject: 's', html: tag }, 'en');
      } catch (err) {
        expect((err as MailwrightError).info).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('Body (HTML)') });
        expect((err as MailwrightError).info.message).not.toContain('"name": "mailwright"');
      }
    }
    // A file named by the row's own value finds nothing either.
    const named = render({ subject: 's', html: '{% include name %}' }, { name: 'package.json' });
    expect(problem(named)).toMatch(/^the template cannot be rendered for this row/);
    expect(JSON.stringify(named)).not.toContain('mailwright');
    const started = Date.now();
    expect(problem(render({ subject: 's', text: '{% for i in (1..1000000000) %}{{ i }}{% endfor %}' }, {}))).toMatch(/cannot be rendered/);
    expect(Date.now() - started).toBeLessThan(30_000); // stopped by a limit, not run to its end
  });

  it('refuses a row that outlasts the time limit as the row’s problem; a row already checked gets ten times as long, and no more', () => {
    const t = { subject: 'Order {{ order }}', text: 'Dear {{ name }}' };
    const row = rowScope({ order: 'A-1', name: 'Bo' });
    const now = performance.now.bind(performance);
    let looks = 0;
    // Every other look at the clock two seconds on: a machine that stalls mid-render.
    const stalled = vi.spyOn(performance, 'now').mockImplementation(() => now() + 2000 * (looks++ % 2));
    try {
      expect(problem(compileTemplate(t, 'en').render(row))).toMatch(/^the template cannot be rendered for this row \(.*limit/);
      expect(ok(compileTemplate(t, 'en', { checked: true }).render(row))).toEqual({ subject: 'Order A-1', text: 'Dear Bo' });
    } finally {
      stalled.mockRestore();
    }
    // Loops over a list the row already has cost the memory limit nothing: a checked row that
    // runs on (a template that reads the clock may do more when sent than when checked) is still
    // stopped by its time limit, here eleven seconds a look (without one, a million turns, then no problem).
    let skew = 0;
    const slow = vi.spyOn(performance, 'now').mockImplementation(() => now() + (skew += 11_000));
    try {
      const nested = '{% assign xs = list | split: "," %}{% for a in xs %}{% for b in xs %}{% for c in xs %}.{% endfor %}{% endfor %}{% endfor %}';
      expect(problem(compileTemplate({ subject: 's', text: nested }, 'en', { checked: true }).render(rowScope({ list: Array.from({ length: 100 }, (_, i) => i).join(',') })))).toMatch(/cannot be rendered.*limit/);
    } finally {
      slow.mockRestore();
    }
  });

  it('lists the top-level variables a template uses', () => {
    expect(compileTemplate({ subject: '{{ order }}', html: '{{ customer.name }}{% for i in items %}{{ i.sku }}{% endfor %}', text: '{{ order }}' }, 'en').variables.sort()).toEqual(['customer', 'items', 'order']);
  });
});
