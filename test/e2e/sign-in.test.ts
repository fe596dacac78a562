import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { cliProcess } from '../helpers/cli';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tearDown } from '../helpers/app-session';
import { launchChromium, openApp, screenshot, serve, type Served } from '../helpers/browser';
import { CLIENT_ID, consentInPage, loopbackOnly, startTestOAuthProvider, type TestOAuthProvider } from '../helpers/oauth-provider';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { fillAccountForm } from '../helpers/ui';

// OAuth2 sign-in from the window, in Chromium through browser mode: a provider of one's own by its
// issuer URL, one's own app registration, the provider's consent page in a new tab, the account
// signed in, mail sent over XOAUTH2; and a sign-in cancelled, and asked for again.
// Screenshots: test-results/screenshots/signin-*.png.

const USER = 'alice@example.test';
let provider: TestOAuthProvider;
let smtp: TestSmtpServer;
let served: Served;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dataDir: string;

beforeAll(async () => {
  provider = await startTestOAuthProvider();
  smtp = await startTestSmtp({ mode: 'plain', xoauth2: { refuseLike: 'google', check: async (token, user) => ((s) => s.active && s.sub === user)(await provider.introspect(token)) } });
  dataDir = await fs.mkdtemp('/tmp/mw-e2e-signin-');
  served = await serve(dataDir);
  browser = await launchChromium();
  page = await openApp(browser, served.url);
  context = page.context();
}, 60_000);

afterAll(async () => {
  await tearDown({ browser, served, smtp, dataDir });
  await provider?.close();
});

/** Settings through browser mode's API, as the Settings view saves them. */
async function saveSettings(where: Served, change: Record<string, unknown>) {
  const res = await fetch(`${where.origin}/api/settings:save`, { method: 'POST', headers: { Authorization: `Bearer ${where.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(change) });
  expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
}

type Language = 'en' | 'ru' | 'es';

/**
 * Each language in each theme, at a desktop size and a small window: the screen `show` opens,
 * in that language and theme (checked), saved for a person to look at.
 */
async function sweep(where: Served, name: string, show: (page: Page, language: Language) => Promise<void>) {
  for (const language of ['en', 'ru', 'es'] as const) for (const theme of ['light', 'dark'] as const) {
    await saveSettings(where, { language, theme });
    for (const [width, height] of [[1280, 820], [900, 700]] as const) {
      const view = await browser.newPage({ viewport: { width, height } });
      try {
        await view.goto(where.url);
        await view.locator(`html[lang="${language}"][data-theme="${theme}"]`).waitFor({ state: 'attached', timeout: 15_000 });
        await show(view, language);
        await view.screenshot({ path: `test-results/screenshots/${name}-${language}-${theme}-${width}.png` });
      } finally {
        await view.close();
      }
    }
  }
  await saveSettings(where, { language: 'en', theme: 'system' });
}

/** Wait for the provider's tab the page opens, and keep it on loopback (its pages load web fonts). */
async function providerTab(click: () => Promise<void>): Promise<Page> {
  const [tab] = await Promise.all([context.waitForEvent('page'), click()]);
  await loopbackOnly(tab);
  tab.setDefaultTimeout(15_000);
  return tab;
}

describe('signing in with OAuth2 from the window', () => {
  it('adds an account through a provider of one’s own and sends with it', async () => {
    await page.getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: 'Add account' }).click();
    const form = await fillAccountForm(page, { name: 'Work', displayName: 'Alice', email: USER, host: '127.0.0.1', port: smtp.port, security: 'none' });
    await form.getByText('Other OAuth2 provider').click();
    await form.getByLabel('Issuer URL').fill(provider.issuer);
    await form.getByLabel('Scopes').fill('openid email offline_access smtp.send');
    await form.getByText('Your own app registration').click();
    await form.getByLabel('Client ID').fill(CLIENT_ID);
    await screenshot(page, 'signin-1-form');

    const tab = await providerTab(() => form.getByRole('button', { name: 'Sign in and save' }).click());
    await expect.poll(() => form.getByRole('status').textContent()).toContain('Waiting for you to sign in with 127.0.0.1');
    await screenshot(page, 'signin-2-waiting');
    const answer = await consentInPage(tab, { login: USER });
    expect(answer).toContain('Mailwright can now send as alice@example.test');
    await tab.close();

    const card = page.getByRole('listitem', { name: 'Work' });
    await expect.poll(() => card.textContent()).toMatch(/signed in with 127\.0\.0\.1:\d+ as alice@example\.test/);
    await screenshot(page, 'signin-3-accounts');

    await page.getByRole('button', { name: 'Compose' }).click();
    await page.getByLabel('From').selectOption({ label: 'Alice <alice@example.test> — Work' });
    await page.getByLabel('To', { exact: true }).fill('bob@example.test');
    await page.getByLabel('Subject', { exact: true }).fill('Signed in, not a password');
    await page.getByLabel('Message body').click();
    await page.keyboard.type('Sent over XOAUTH2.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => smtp.received.length, { timeout: 30_000 }).toBe(1);
    expect(smtp.received[0]!.parsed.subject).toBe('Signed in, not a password');
  });

  it('an Outlook address is offered Sign in with Microsoft; with no app registration set, the form says so and what to do', async () => {
    await page.getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('form', { name: 'Add account' });
    await form.getByLabel('Account name').fill('Outlook');
    await form.getByLabel('Email address').fill('ana@outlook.com');
    const button = form.getByRole('button', { name: 'Sign in with Microsoft' });
    await button.waitFor();
    await expect.poll(() => form.textContent()).toContain('Microsoft: no client ID is set yet.');
    await button.click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('No client ID is set for signing in with Microsoft.');
    expect(await form.getByRole('alert').textContent()).toContain('MAILWRIGHT_OAUTH_MICROSOFT_CLIENT_ID');
    expect(await form.getByLabel('SMTP server').inputValue()).toBe('smtp-mail.outlook.com'); // the discovered server, filled in
    await screenshot(page, 'signin-5-no-client-id');
    await form.getByRole('button', { name: 'Cancel', exact: true }).click();
  });

  it('a sign-in cancelled at the provider says so; "Sign in again" on the card then works', async () => {
    await page.getByRole('button', { name: 'Accounts' }).click();
    const card = page.getByRole('listitem', { name: 'Work' });
    const denied = await providerTab(() => card.getByRole('button', { name: 'Sign in to Work again' }).click());
    expect(await consentInPage(denied, { login: USER, deny: true })).toContain('access was denied');
    await denied.close();
    await expect.poll(() => card.getByRole('alert').textContent()).toContain('Not signed in');
    await screenshot(page, 'signin-4-cancelled');

    const again = await providerTab(() => card.getByRole('button', { name: 'Sign in to Work again' }).click());
    expect(await consentInPage(again, { login: USER })).toContain('Mailwright can now send');
    await again.close();
    await expect.poll(() => card.getByRole('alert').count()).toBe(0);
    await expect.poll(() => card.textContent()).toMatch(/signed in with .* as alice@example\.test/);
  });

  it('says who is signed in, in every language and theme', { timeout: 120_000 }, async () => {
    await fs.mkdir('test-results/screenshots', { recursive: true });
    const signedIn = { en: /Signed in with 127\.0\.0\.1:\d+ as alice@example\.test/, ru: /Вход через 127\.0\.0\.1:\d+ выполнен как alice@example\.test/, es: /Sesión iniciada con 127\.0\.0\.1:\d+ como alice@example\.test/ };
    await sweep(served, 'signin-accounts', async (view, language) => {
      await view.locator('nav button').nth(4).click(); // Accounts
      await view.locator('li.account-card').nth(1).waitFor();
      await view.locator('li.account-card').nth(1).locator('button').filter({ hasText: /^(Edit|Изменить|Editar)$/ }).click();
      await expect.poll(() => view.locator('form.account-form .sign-in-state').textContent()).toMatch(signedIn[language]);
    });
  });
});

describe('the vault in the window (a machine with no keychain)', () => {
  const PASSPHRASE = 'a vault passphrase for the window';
  let vaultDir: string;
  let vaultServed: Served;
  let headlessEnv: NodeJS.ProcessEnv;
  beforeAll(async () => {
    vaultDir = await fs.mkdtemp('/tmp/mw-e2e-vault-');
    headlessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', MAILWRIGHT_NO_BROWSER: '1' };
    delete headlessEnv.DISPLAY;
    const made = await cliProcess(['--data-dir', vaultDir, '--json', 'secrets', 'use-vault'], { env: { ...headlessEnv, MAILWRIGHT_PASSPHRASE: PASSPHRASE } });
    expect(made.code, made.stdout).toBe(0);
    vaultServed = await serve(vaultDir, headlessEnv);
  }, 60_000);
  afterAll(() => tearDown({ served: vaultServed, dataDir: vaultDir }));

  it('asks for the passphrase at start, in every language and theme', async () => {
    const unlockTitle = { en: 'Unlock passwords and sign-ins', ru: 'Откройте пароли и входы', es: 'Desbloquea contraseñas e inicios de sesión' };
    await sweep(vaultServed, 'vault-unlock', async (view, language) => {
      await view.getByRole('dialog', { name: unlockTitle[language] }).waitFor();
    });
  }, 120_000);

  it('a wrong passphrase says so, the right one unlocks; Settings tells where secrets are, in every language and theme', async () => {
    const view = await openApp(browser, vaultServed.url);
    try {
      const dialog = view.getByRole('dialog', { name: 'Unlock passwords and sign-ins' });
      await dialog.getByLabel('Passphrase').fill('not the passphrase');
      await dialog.getByRole('button', { name: 'Unlock' }).click();
      await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('The passphrase does not open the secrets vault');
      await screenshot(view, 'vault-unlock-wrong');
      await dialog.getByLabel('Passphrase').fill(PASSPHRASE);
      await dialog.getByRole('button', { name: 'Unlock' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      await view.getByRole('button', { name: 'Settings' }).click();
      await expect.poll(() => view.getByRole('region', { name: 'Settings' }).textContent()).toContain('Kept in an encrypted vault in the data directory');
      expect(await view.getByRole('region', { name: 'Settings' }).textContent()).toContain('The vault is unlocked until Mailwright quits.');
      await screenshot(view, 'vault-settings');
    } finally {
      await view.close();
    }
    // Unlocked now (the key stays in the serving process): no dialog any more.
    const inVault = { en: 'Kept in an encrypted vault', ru: 'Хранятся в зашифрованном хранилище', es: 'Se guardan en una bóveda cifrada' };
    await sweep(vaultServed, 'vault-settings', async (shown, language) => {
      await shown.locator('nav button').nth(5).click(); // Settings
      await expect.poll(() => shown.locator('#secrets-title + p').textContent()).toContain(inVault[language]);
    });
  }, 120_000);

  it('on a machine with no keychain, the account form offers the vault instead of failing, and then saves the account', async () => {
    const freshDir = await fs.mkdtemp('/tmp/mw-e2e-novault-');
    const server = await startTestSmtp({ mode: 'plain', users: { ana: 'app-password-1' }, authMethods: ['PLAIN'] });
    const fresh = await serve(freshDir, headlessEnv);
    const view = await openApp(browser, fresh.url);
    try {
      await view.getByRole('button', { name: 'Accounts' }).click();
      await view.getByRole('button', { name: 'Add account' }).click();
      const form = await fillAccountForm(view, { name: 'Shop', email: 'ana@example.test', host: '127.0.0.1', port: server.port, security: 'none', user: 'ana', password: 'app-password-1' });
      await form.getByRole('button', { name: 'Save account' }).click();
      const offer = form.getByRole('group', { name: 'Use an encrypted vault instead' });
      await expect.poll(() => offer.textContent()).toContain('No keychain answers on this computer');
      expect(await form.getByRole('alert').first().textContent()).toContain('KEYCHAIN_UNAVAILABLE');
      await offer.getByLabel('Passphrase', { exact: true }).fill('shop vault passphrase');
      await offer.getByLabel('Passphrase again').fill('shop vault passphrase');
      await screenshot(view, 'vault-offer');
      await offer.getByLabel('Passphrase again').press('Enter'); // Enter creates the vault; it must not submit the account form
      const card = view.getByRole('listitem', { name: 'Shop' });
      await expect.poll(() => card.textContent()).toContain('password in the vault');
      expect(await fs.readFile(join(freshDir, 'secrets.vault'), 'utf8')).not.toContain('app-password-1');
    } finally {
      await view.close();
      await tearDown({ served: fresh, smtp: server, dataDir: freshDir });
    }
  });
});
