import { generateKeyPairSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tearDown } from '../helpers/app-session';
import { launchChromium, openApp, screenshot, serve, type Served } from '../helpers/browser';
import { cli } from '../helpers/cli';
import { startTestDns, type TestDns } from '../helpers/dns-server';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';

// The account's DKIM panel in the window (browser mode, real core, Chromium, a real DNS server on
// loopback): a key generated in main, its record shown and published, the domain checked, the
// doctor's report with the domain's checks; no private key ever reaches the page.
let served: Served;
let browser: Browser;
let page: Page;
let dataDir: string;
let smtp: TestSmtpServer;
let dns: TestDns;
/** Every body the page received from main (read as each response comes; all awaited before the check). */
const bodies: Array<Promise<string>> = [];

beforeAll(async () => {
  dataDir = await fs.mkdtemp('/tmp/mw-e2e-dkim-');
  smtp = await startTestSmtp({ mode: 'plain' });
  const added = await cli(['--data-dir', dataDir, '--json', 'account', 'add', 'Shop', '--email', 'orders@shop.test', '--display-name', 'Tienda', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none']);
  expect(added.code, added.stderr).toBe(0);
  dns = await startTestDns([['shop.test', 'v=spf1 ip4:127.0.0.1 -all']]);
  served = await serve(dataDir, { ...process.env, MAILWRIGHT_DNS_SERVERS: dns.server });
  browser = await launchChromium();
  page = await openApp(browser, served.url);
  // The event stream never ends: its text would never be read whole (what it carries, the replies carry too).
  page.on('response', (r) => void (r.url().endsWith('/api/events') || bodies.push(r.text().catch(() => ''))));
  await page.getByLabel('From').locator('option[value="sandbox"]').waitFor({ state: 'attached' });
}, 60_000);

afterAll(async () => {
  await tearDown({ browser, served, dataDir, smtp });
  await dns?.stop();
});

describe('DKIM in the window', () => {
  it('generates a key, shows the record to publish, and checks the domain against the DNS', { timeout: 90_000 }, async () => {
    await page.keyboard.press('Control+5');
    await page.getByRole('button', { name: 'DKIM signing of Shop' }).click();
    const panel = page.getByRole('group', { name: 'DKIM signing of Shop' });
    expect(await panel.textContent()).toContain('Shop does not sign its mail.');
    await panel.getByLabel('Selector').fill('shop1');
    await panel.getByRole('button', { name: 'Generate a key' }).click();
    await expect.poll(() => panel.textContent()).toContain('Signs for shop.test with selector shop1 (RSA).');
    const name = await panel.locator('.dkim-record dd code').first().textContent();
    const value = (await panel.locator('.dkim-record code.dkim-value').textContent())!;
    expect(name).toBe('shop1._domainkey.shop.test');
    expect(value).toMatch(/^v=DKIM1; k=rsa; p=/);

    // Nothing published yet but SPF: the check says what is missing, and what to publish where.
    await panel.getByRole('button', { name: 'Check the domain' }).click();
    const checks = panel.getByRole('group', { name: 'The From domain shop.test' });
    await expect.poll(() => checks.locator('li').count(), { timeout: 20_000 }).toBe(4);
    expect(await checks.locator('li[data-status=pass]').first().textContent()).toContain('SPF: shop.test allows the server’s address 127.0.0.1 to send its mail.');
    expect(await checks.textContent()).toContain('DKIM: no key is published at shop1._domainkey.shop.test.');
    expect(await checks.textContent()).toContain('Publish a TXT record at _dmarc.shop.test, such as v=DMARC1; p=none');
    await screenshot(page, 'dkim-missing');

    // Published (the same server, the zone now complete): everything passes.
    await dns.stop();
    dns = await startTestDns([['shop.test', 'v=spf1 ip4:127.0.0.1 -all'], ['_dmarc.shop.test', 'v=DMARC1; p=none'], [name!, value]], { port: dns.port });
    await panel.getByRole('button', { name: 'Check the domain' }).click();
    await expect.poll(() => checks.locator('li[data-status=pass]').count(), { timeout: 20_000 }).toBe(4);
    await screenshot(page, 'dkim-published');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'dkim-published-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The doctor shows the same checks beside the server's.
    await page.getByRole('button', { name: 'Test Shop' }).click();
    const result = page.getByRole('group', { name: 'Test result' });
    await expect.poll(() => result.getByRole('group', { name: 'The From domain shop.test' }).locator('li[data-status=pass]').count(), { timeout: 20_000 }).toBe(4);
    await screenshot(page, 'dkim-doctor');

    for (const [lang, title] of [['ru', 'Подпись DKIM учётной записи Shop'], ['es', 'Firma DKIM de Shop']] as const) {
      await page.keyboard.press('Control+6');
      await page.locator('#language').selectOption(lang);
      await page.keyboard.press('Control+5');
      const translated = page.getByRole('group', { name: title });
      if (!(await translated.isVisible())) await page.getByRole('button', { name: title }).click();
      await translated.getByRole('button', { name: lang === 'ru' ? 'Проверить домен' : 'Comprobar el dominio' }).click();
      await expect.poll(() => translated.locator('.domain-checks li[data-status=pass]').count(), { timeout: 20_000 }).toBe(4);
      expect(await translated.textContent()).not.toMatch(/publishes|allows the server/);
      await screenshot(page, `dkim-${lang}`);
    }
    await page.keyboard.press('Control+6');
    await page.locator('#language').selectOption('en');

    // A key of the user's own, pasted: not a key is refused where it was typed and changes nothing;
    // a real one replaces the generated key, and its record is its own public key.
    await page.keyboard.press('Control+5');
    if (!(await panel.isVisible())) await page.getByRole('button', { name: 'DKIM signing of Shop' }).click();
    await panel.getByRole('button', { name: 'Import a key…' }).click();
    await panel.getByLabel('Selector').fill('own1');
    await panel.getByLabel('Private key (PEM)').fill('not a key');
    await panel.getByRole('button', { name: 'Use this key' }).click();
    await expect.poll(() => panel.locator('.error-box').textContent()).toContain('This is not a private key in PEM form.');
    expect(await panel.textContent()).toContain('with selector shop1');
    const own = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await panel.getByLabel('Private key (PEM)').fill(own.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    await panel.getByRole('button', { name: 'Use this key' }).click();
    await expect.poll(() => panel.textContent()).toContain('Signs for shop.test with selector own1 (RSA).');
    expect(await panel.locator('.dkim-record code.dkim-value').textContent()).toBe(`v=DKIM1; k=rsa; p=${own.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`);

    // Main never handed the page a private key.
    const read = await Promise.all(bodies);
    expect(read.length).toBeGreaterThan(5);
    // The key imported, or the start of any RSA 2048 private key's base64 (the generated one's; a
    // public key's starts MIIBIj…). The words "PRIVATE KEY" may be in a hint, so not those.
    const imported = own.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64').slice(100, 160);
    expect(read.filter((b) => b.includes(imported) || /MIIE[A-Za-z0-9+/]{60}/.test(b))).toEqual([]);
  });
});
