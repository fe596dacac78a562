import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

// `mailwright template` and `mailwright merge` against a real smtp-server: every row's message
// arrives once, with its own row's values; invalid rows stop the merge before anything is sent.

const servers: TestSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const NAMES = ['Ана Ивановна', 'José Núñez', 'Пётр Щукин', 'María Fernández', 'Zoë Brontë'];

async function setup(rows = 200) {
  const dir = tempDir();
  const s = await startTestSmtp({ mode: 'plain', noAuth: true });
  servers.push(s);
  const added = await cli(['--data-dir', join(dir, 'data'), '--json', 'account', 'add', 'Shop', '--email', 'shop@example.test', '--display-name', 'Tienda Пример', '--host', '127.0.0.1', '--port', String(s.port), '--security', 'none']);
  expect(added.code, added.stdout + added.stderr).toBe(0);
  const csv = ['email;name;order;total;shipped', ...Array.from({ length: rows }, (_, i) => `row${i + 1}@example.test;${NAMES[i % NAMES.length]} ${i + 1};A-${1000 + i};${(i * 3.5 + 10).toFixed(2)};2026-12-0${(i % 9) + 1}`)].join('\n');
  await fs.writeFile(join(dir, 'orders.csv'), '\uFEFF' + csv);
  await fs.writeFile(join(dir, 'body.html'), '<p>Hola {{ name }},</p><p>Order <b>{{ order }}</b>: {{ total | money: "EUR" }}, shipped {{ shipped | local_date: "long" }}.</p>');
  return { dir, data: join(dir, 'data'), s };
}

const run = (data: string, args: string[]) => cli(['--data-dir', data, '--json', ...args]);

describe('mailwright merge', () => {
  it('sends 200 personalised order confirmations from a saved template, one each, with the report', async () => {
    const { dir, data, s } = await setup(200);
    const saved = await run(data, ['template', 'save', 'Order confirmation', '--account', 'Shop', '--subject', 'Pedido {{ order }} — {{ name }}', '--html-file', join(dir, 'body.html'), '--list-unsubscribe', 'https://shop.example.test/u?o={{ order }}']);
    expect(saved.code, saved.stdout + saved.stderr).toBe(0);
    expect((saved.json.template as { variables: string[] }).variables.sort()).toEqual(['name', 'order', 'shipped', 'total']);

    const r = await run(data, ['merge', '--account', 'Shop', '--template', 'Order confirmation', '--data', join(dir, 'orders.csv'), '--name-column', 'name', '--locale', 'es', '--report', join(dir, 'report.csv')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(s.received).toHaveLength(200);
    const byTo = new Map(s.received.map((m) => [m.to[0]!, m]));
    expect(byTo.size).toBe(200);
    for (let i = 0; i < 200; i++) {
      const m = byTo.get(`row${i + 1}@example.test`)!;
      const name = `${NAMES[i % NAMES.length]} ${i + 1}`;
      expect(m.parsed.subject).toBe(`Pedido A-${1000 + i} — ${name}`);
      expect(m.parsed.to).toMatchObject({ value: [{ address: `row${i + 1}@example.test`, name }] });
      expect(m.parsed.html).toContain(`Hola ${name}`);
      expect(m.raw.toString()).toContain(`\r\nList-Unsubscribe: <https://shop.example.test/u?o=A-${1000 + i}>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n`);
    }
    // Spanish money and dates: "10,00 €", "1 de diciembre de 2026".
    expect(byTo.get('row1@example.test')!.parsed.text).toMatch(/10,00\s€, shipped 1 de diciembre de 2026/);
    const report = await fs.readFile(join(dir, 'report.csv'), 'utf8');
    const lines = report.trimEnd().split('\r\n');
    expect(lines[0]).toBe('row,address,state,message_id,response,error_code,error');
    expect(lines).toHaveLength(201);
    const ids = new Set(s.received.map((m) => m.parsed.messageId));
    for (const line of lines.slice(1)) {
      const [, , state, messageId] = line.split(',');
      expect(state).toBe('sent');
      expect(ids.has(messageId!)).toBe(true);
    }
  });

  it('refuses the whole merge with exit 2 while any row is invalid, listing each, and sends nothing', async () => {
    const { dir, data, s } = await setup(3);
    await fs.mkdir(join(dir, 'files'));
    await fs.writeFile(join(dir, 'files', 'a.pdf'), 'pdf');
    await fs.writeFile(
      join(dir, 'bad.csv'),
      ['email,name,order,file', 'ok@example.test,Ana,A-1,files/a.pdf', 'not an address,Bo,A-2,', 'c@example.test,,A-3,', 'd@example.test,Di,A-4,../../etc/passwd', '"e@example.test","Eve","A-5\r\nBcc: x@evil.test",'].join('\n'),
    );
    await fs.writeFile(join(dir, 'body.txt'), 'Hi {{ name }}, your order {{ order }}.');
    const r = await run(data, ['merge', '--account', 'Shop', '--subject', 'Order {{ order }}', '--text-file', join(dir, 'body.txt'), '--data', join(dir, 'bad.csv'), '--attach-column', 'file']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.json.error).toMatchObject({ code: 'INVALID_INPUT' });
    const invalid = (r.json.check as { invalid: Array<{ row: number; text: string }> }).invalid;
    expect(invalid.map((p) => p.row)).toEqual([2, 3, 4, 5]);
    expect(invalid[0]!.text).toMatch(/address/);
    expect(invalid[1]!.text).toBe('"name" has no value in this row');
    expect(invalid[2]!.text).toMatch(/not inside the data file’s folder/);
    expect(invalid[3]!.text).toMatch(/line break/);
    expect(s.received).toHaveLength(0);
    expect(s.transactions).toBe(0);

    const skipped = await run(data, ['merge', '--account', 'Shop', '--subject', 'Order {{ order }}', '--text-file', join(dir, 'body.txt'), '--data', join(dir, 'bad.csv'), '--attach-column', 'file', '--skip-invalid']);
    expect(skipped.code, skipped.stdout + skipped.stderr).toBe(0);
    expect(s.received.map((m) => m.to[0])).toEqual(['ok@example.test']);
    expect(s.received[0]!.parsed.attachments.map((a) => a.filename)).toEqual(['a.pdf']);
    expect((skipped.json.report as Array<{ row: number; state: string }>).map((x) => `${x.row}:${x.state}`)).toEqual(['1:sent', '2:skipped', '3:skipped', '4:skipped', '5:skipped']);
  });

  it('previews a row exactly as delivered and a dry run sends nothing', async () => {
    const { dir, data, s } = await setup(5);
    const preview = await run(data, ['merge', '--account', 'Shop', '--subject', 'Pedido {{ order }}', '--html-file', join(dir, 'body.html'), '--data', join(dir, 'orders.csv'), '--preview', '2']);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    const shown = preview.json.preview as { headers: Array<{ key: string; value: string }>; html: string };
    expect(shown.headers.find((h) => h.key === 'subject')?.value).toBe('Pedido A-1001');
    expect(shown.html).toContain('José Núñez 2');
    const dry = await run(data, ['merge', '--account', 'Shop', '--subject', 'Pedido {{ order }}', '--html-file', join(dir, 'body.html'), '--data', join(dir, 'orders.csv'), '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.json.check).toMatchObject({ total: 5, valid: 5, invalidCount: 0 });
    expect(s.transactions).toBe(0);
  });

  it('refuses a row whose message would pass the SIZE the server announced', async () => {
    const dir = tempDir();
    const s = await startTestSmtp({ mode: 'plain', noAuth: true, size: 100_000 });
    servers.push(s);
    const data = join(dir, 'data');
    expect((await run(data, ['account', 'add', 'Shop', '--email', 'shop@example.test', '--host', '127.0.0.1', '--port', String(s.port), '--security', 'none'])).code).toBe(0);
    // The account's test learns the limit (SIZE 100000 in the server's EHLO).
    expect((await run(data, ['account', 'test', 'Shop'])).code).toBe(0);
    const tested = s.transactions; // the test's MAIL FROM, stopped before DATA
    await fs.writeFile(join(dir, 'small.pdf'), Buffer.alloc(20_000, 1));
    await fs.writeFile(join(dir, 'large.pdf'), Buffer.alloc(90_000, 1)); // 90 KB is ~123 KB in base64
    await fs.writeFile(join(dir, 'rows.csv'), 'email,file\na@example.test,small.pdf\nb@example.test,large.pdf\n');
    const r = await run(data, ['merge', '--account', 'Shop', '--subject', 'Factura', '--text-file', join(dir, 'rows.csv'), '--data', join(dir, 'rows.csv'), '--attach-column', 'file', '--dry-run']);
    expect(r.code, r.stdout).toBe(2);
    expect((r.json.check as { invalid: Array<{ row: number; text: string }> }).invalid).toEqual([
      expect.objectContaining({ row: 2, text: 'the message would be about 0.2 MB, more than the 0.1 MB the server takes' }),
    ]);
    expect(s.transactions).toBe(tested);
    // The From domain's check comes with the rows' (the tests' DNS answers nothing: said, not refused).
    const domain = (r.json.check as { domain: { domain: string; checks: Array<{ name: string; status: string; text: { key: string } }> } }).domain;
    expect(domain.domain).toBe('example.test');
    expect(domain.checks.map((c) => [c.name, c.status, c.text.key])).toEqual([
      ['spf', 'warn', 'dom.dns.unreachable'],
      ['dkim', 'warn', 'dom.dkim.off'],
      ['dmarc', 'warn', 'dom.dns.unreachable'],
      ['alignment', 'warn', 'dom.dns.unreachable'],
    ]);
  });
});
