import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../helpers/certs';
import { cli } from '../helpers/cli';
import { tearDown } from '../helpers/app-session';
import { launchChromium, openApp, screenshot, serve, type Served } from '../helpers/browser';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { clearRecipients } from '../helpers/recipients';
import { fillAccountForm } from '../helpers/ui';

// The real UI on the real core, in Debian's Chromium through browser mode: a newcomer adds an
// account against a real STARTTLS + AUTH server, writes a formatted message with an attachment,
// sends it and watches it arrive — by clicking alone.
const PASSWORD = `ui-${randomBytes(6).toString('hex')}`;
let served: Served;
let browser: Browser;
let page: Page;
let smtp: TestSmtpServer;
let dataDir: string;

const shot = (name: string) => screenshot(page, name);

beforeAll(async () => {
  dataDir = await fs.mkdtemp('/tmp/mw-e2e-');
  smtp = await startTestSmtp({ mode: 'starttls', users: { ana: PASSWORD } });
  served = await serve(dataDir);
  browser = await launchChromium();
  page = await openApp(browser, served.url);
}, 60_000);

afterAll(() => tearDown({ browser, served, smtp, dataDir }));

describe('browser mode in Chromium', () => {
  it('starts on the composer with the Sandbox account ready, and hides the token from the address bar', async () => {
    await expect.poll(() => page.getByLabel('From').inputValue()).toBe('sandbox');
    expect(page.url()).not.toContain('token');
    await shot('1-composer-empty');
  });

  it('adds an account against a real STARTTLS + AUTH server by clicking', async () => {
    await page.getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: 'Add account' }).click();
    // port and security move together while security has not been set by hand
    const open = page.getByRole('form', { name: 'Add account' });
    await open.getByLabel('Port').fill('465');
    await expect.poll(() => open.getByLabel('Security').inputValue()).toBe('tls');
    await open.getByLabel('Port').fill('587');
    await expect.poll(() => open.getByLabel('Security').inputValue()).toBe('starttls');
    const form = await fillAccountForm(page, { name: 'Work', displayName: 'Ana Núñez', email: 'ana@example.test', host: '127.0.0.1', port: smtp.port, security: 'starttls', user: 'ana', password: 'not-the-password', fingerprint: (await selfSignedCert()).fingerprint256 });
    // Test before saving: the login fails and the hint stands beside the password field.
    await form.getByRole('button', { name: 'Test settings' }).click();
    const result = form.getByRole('group', { name: 'Test result' });
    await expect.poll(() => result.locator('li[data-status="failed"]').textContent(), { timeout: 15_000 }).toContain('Login');
    // The hint stands under the password field and is its accessible description.
    const passwordField = form.getByLabel('Password', { exact: true });
    const description = () => passwordField.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ').map((id: string) => el.ownerDocument.getElementById(id)?.textContent ?? '').join(' '));
    await expect.poll(description).toMatch(/user name and password/i);
    await shot('2a-account-test-failed');
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByRole('button', { name: 'Test settings' }).click();
    await expect.poll(() => result.textContent(), { timeout: 15_000 }).toContain('No message was sent');
    expect(await result.locator('li[data-status="passed"]').count()).toBe(6);
    expect(await description()).toBe('');
    expect(smtp.dataCommands).toBe(0);
    await shot('2-account-form');
    await form.getByRole('button', { name: 'Save account' }).click();
    const card = page.getByRole('listitem', { name: 'Work' });
    await expect.poll(() => card.textContent()).toContain('password in the keychain');
    await card.getByRole('button', { name: 'Test Work' }).click();
    await expect.poll(() => card.getByRole('group', { name: 'Test result' }).textContent(), { timeout: 15_000 }).toMatch(/Login.*passed/);
    await expect.poll(() => card.textContent()).toMatch(/Last test .*all phases passed|Login/);
    await card.getByRole('button', { name: 'Make Work the default' }).click();
    await expect.poll(() => card.textContent()).toContain('Default');
    await shot('3-accounts');
    // the password never comes back to the page
    expect(await page.content()).not.toContain(PASSWORD);
  }, 90_000);

  it('proposes settings as the address is typed, each with its source, and fills them in on request', async () => {
    await page.getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('form', { name: 'Add account' });
    await form.getByLabel('Email address').fill('someone@gmail.com');
    const proposals = form.getByRole('group', { name: 'Suggested settings' });
    await expect.poll(() => proposals.textContent(), { timeout: 15_000 }).toContain('smtp.gmail.com:465');
    expect(await proposals.textContent()).toMatch(/Known provider: Gmail.*app password/);
    await shot('2b-account-proposals');
    await proposals.getByRole('button', { name: 'Use smtp.gmail.com:465' }).click();
    expect(await form.getByLabel('SMTP server').inputValue()).toBe('smtp.gmail.com');
    expect(await form.getByLabel('Port').inputValue()).toBe('465');
    expect(await form.getByLabel('Security').inputValue()).toBe('tls');
    expect(await form.getByLabel('User name').inputValue()).toBe('someone@gmail.com');
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('writes a bold message with an attachment, sends it, and the server receives correct MIME', async () => {
    await page.getByRole('button', { name: 'Compose' }).click();
    await expect.poll(() => page.getByLabel('From').locator('option:checked').textContent()).toContain('ana@example.test');
    await page.getByLabel('To', { exact: true }).fill('Bob <bob@example.test>, carol@example.test');
    await page.getByLabel('Subject', { exact: true }).fill('Informe — отчёт');
    await page.getByLabel('Message body').click();
    await page.keyboard.type('Hello team, ');
    await page.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type('numbers are in');
    const pdf = randomBytes(40_000);
    await page.getByTestId('file-input').setInputFiles({ name: 'informe.pdf', mimeType: 'application/pdf', buffer: pdf });
    await expect.poll(() => page.getByLabel('Attachments').textContent()).toContain('informe.pdf');
    await shot('4-composer-filled');
    await page.keyboard.press('Control+Enter');

    const item = page.getByRole('listitem', { name: /Informe — отчёт/ });
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 30_000 }).toBe('sent'); // the 10 s undo window, then the send
    await shot('5-outbox-sent');
    expect(smtp.received).toHaveLength(1);
    const got = smtp.received[0]!;
    expect(got.to).toEqual(['bob@example.test', 'carol@example.test']);
    expect(got.parsed.subject).toBe('Informe — отчёт');
    expect(got.parsed.from?.value[0]).toEqual({ name: 'Ana Núñez', address: 'ana@example.test' });
    expect(got.parsed.html).toMatch(/<strong>numbers are in<\/strong>/);
    expect(got.parsed.text).toContain('Hello team, numbers are in');
    expect(got.parsed.attachments).toHaveLength(1);
    expect(got.parsed.attachments[0]!.filename).toBe('informe.pdf');
    expect(got.parsed.attachments[0]!.content.equals(pdf)).toBe(true);
    // the composer is clear for the next message
    await page.getByRole('button', { name: 'Compose' }).click();
    expect(await page.getByLabel('Subject', { exact: true }).inputValue()).toBe('');
  });

  it('edits an account without retyping the password, and removes one after confirming', async () => {
    await page.getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: 'Edit Work' }).click();
    const form = page.getByRole('form', { name: 'Edit Work' });
    expect(await form.getByLabel('Password').getAttribute('placeholder')).toMatch(/stored — type to replace/);
    expect(await form.getByLabel('Password').inputValue()).toBe('');
    await form.getByLabel('Your name').fill('Ana N.');
    await form.getByRole('button', { name: 'Save account' }).click();
    const card = page.getByRole('listitem', { name: 'Work' });
    await expect.poll(() => card.textContent()).toContain('Ana N. <ana@example.test>');
    await expect.poll(() => card.textContent()).toContain('password in the keychain');

    // a second account, removed again: the confirmation names it
    await page.getByRole('button', { name: 'Add account' }).click();
    const add = await fillAccountForm(page, { name: 'Old', email: 'old@example.test', host: 'smtp.example.test', port: 587, security: 'starttls' });
    await add.getByRole('button', { name: 'Save account' }).click();
    await expect.poll(() => page.getByRole('listitem', { name: 'Old' }).count()).toBe(1);
    page.once('dialog', (d) => {
      expect(d.message()).toContain('Old');
      void d.accept();
    });
    await page.getByRole('button', { name: 'Remove Old' }).click();
    await expect.poll(() => page.getByRole('listitem', { name: 'Old' }).count()).toBe(0);
  });

  it('a file that disappeared before sending is named with its code and hint, and the message stays in the composer', async () => {
    await page.getByRole('button', { name: 'Compose' }).click();
    await page.getByLabel('To', { exact: true }).fill('bob@example.test, ');
    await page.getByLabel('Subject', { exact: true }).fill('With a vanishing file');
    await page.getByTestId('file-input').setInputFiles({ name: 'gone.txt', mimeType: 'text/plain', buffer: Buffer.from('soon gone') });
    await expect.poll(() => page.getByLabel('Attachments').textContent()).toContain('gone.txt');
    // The file is removed behind the app's back (moved, deleted by another program).
    for (const dir of await fs.readdir(join(dataDir, 'uploads'))) await fs.rm(join(dataDir, 'uploads', dir, 'gone.txt'), { force: true });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const alert = page.locator('.composer').getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/ATTACHMENT_UNREADABLE.*"gone\.txt" cannot be read: it is no longer there/);
    // Where main keeps the file is main's business: no path reaches the page.
    expect(await alert.textContent()).not.toContain(dataDir);
    await shot('6-composer-error');
    // Nothing was lost: the message is still here to fix.
    expect(await page.getByLabel('Subject', { exact: true }).inputValue()).toBe('With a vanishing file');
    await page.getByRole('button', { name: 'Remove gone.txt' }).click();
    await clearRecipients(page, 'To');
    await page.getByLabel('Subject', { exact: true }).fill('');
  });

  it('sends to the Sandbox and shows the message in the viewer, remote loads blocked', async () => {
    await page.getByRole('button', { name: 'Compose' }).click();
    await page.getByLabel('From').selectOption('sandbox');
    await page.getByLabel('To', { exact: true }).fill('zoya@example.test');
    await page.getByLabel('Subject', { exact: true }).fill('Vista previa ✓');
    await page.getByLabel('Message body').click();
    await page.keyboard.type('Preview me');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.getByRole('listitem', { name: /Vista previa/ }).getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');

    await page.getByRole('button', { name: 'Sandbox' }).click();
    await page.getByRole('button', { name: /Vista previa/ }).click();
    const frame = page.frameLocator('iframe[title="HTML part"]');
    await expect.poll(() => frame.locator('body').textContent()).toContain('Preview me');
    expect(await page.locator('iframe[title="HTML part"]').getAttribute('sandbox')).toBe('');
    await shot('7-sandbox-html');
    await page.getByRole('tab', { name: 'Raw source' }).click();
    await expect.poll(() => page.getByRole('tabpanel').textContent()).toContain('Subject: =?UTF-8?');
    await page.getByRole('tab', { name: 'Headers' }).click();
    await shot('8-sandbox-headers');
  });

  it('never fetches remote content of a previewed message, and runs none of its script', async () => {
    let hits = 0;
    const tracker = createServer((_req, res) => {
      hits++;
      res.end('x');
    });
    await new Promise<void>((r) => tracker.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(tracker.address() as { port: number }).port}`;
    const html = join(dataDir, 'hostile.html');
    await fs.writeFile(html, `<p id="p">Hostile</p><img src="${base}/pixel.gif"><link rel="stylesheet" href="${base}/s.css"><script>document.getElementById('p').textContent='ran'</script><div style="background:url(${base}/bg.png)">bg</div>`);
    const sent = await cli(['--data-dir', dataDir, '--json', 'send', '--account', 'Sandbox', '--to', 'x@example.test', '--subject', 'Hostile preview', '--html-file', html]);
    expect(sent.code, sent.stdout).toBe(0);

    await page.getByRole('button', { name: 'Outbox' }).click();
    await page.getByRole('button', { name: 'Sandbox' }).click();
    await page.getByRole('button', { name: /Hostile preview/ }).click();
    const frame = page.frameLocator('iframe[title="HTML part"]');
    await expect.poll(() => frame.locator('#p').textContent()).toBe('Hostile');
    await page.waitForTimeout(500);
    expect(hits).toBe(0);
    await new Promise<void>((r) => tracker.close(() => r()));
  });
});

/** A raw HTTP request, so Host and Origin can be set to anything a hostile page or rebinding DNS would. */
function raw(path: string, headers: Record<string, string>, method = 'POST', body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: served.port, path, method, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('browser mode refuses strangers', () => {
  const host = () => `127.0.0.1:${served.port}`;
  it('answers a correct request (the control)', async () => {
    const r = await raw('/api/accounts:list', { Host: host(), Origin: served.origin, Authorization: `Bearer ${served.token}` });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).ok).toBe(true);
  });
  it('gives nothing without the token or with a wrong one', async () => {
    const attempts: Array<Record<string, string>> = [{}, { Authorization: 'Bearer nope' }, { Authorization: `Bearer ${served.token}x` }];
    for (const auth of attempts) {
      const r = await raw('/api/accounts:list', { Host: host(), Origin: served.origin, ...auth });
      expect(r.status).toBe(401);
      expect(r.body).not.toContain('Sandbox');
    }
    expect((await raw('/api/events', { Host: host() }, 'GET')).status).toBe(401);
  });
  it('gives nothing to a foreign Origin, even with the token', async () => {
    const r = await raw('/api/accounts:list', { Host: host(), Origin: 'http://evil.example', Authorization: `Bearer ${served.token}` });
    expect(r.status).toBe(403);
    expect(r.body).toBe('');
  });
  it('gives nothing to a foreign Host header (DNS rebinding), even with the token', async () => {
    for (const h of ['evil.example', `evil.example:${served.port}`, '127.0.0.1:1']) {
      const r = await raw('/api/accounts:list', { Host: h, Authorization: `Bearer ${served.token}` });
      expect(r.status).toBe(421);
      expect(r.body).toBe('');
    }
    expect((await raw('/', { Host: 'evil.example' }, 'GET')).status).toBe(421);
  });
  it('serves nothing outside the built renderer', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json']) {
      const r = await raw(path, { Host: host() }, 'GET');
      expect(r.status).toBe(404);
    }
  });
});
