import { promises as fs } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tearDown } from '../helpers/app-session';
import { launchChromium, openApp, screenshot, serve, type Served } from '../helpers/browser';

// Browser mode has no application menu: the page itself answers the same shortcuts, and Esc
// closes whatever dialog or pop-up is on top, giving the focus back to what opened it.
let served: Served;
let browser: Browser;
let page: Page;
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp('/tmp/mw-e2e-keys-');
  served = await serve(dataDir);
  browser = await launchChromium();
  page = await openApp(browser, served.url);
  // The app is up once the Sandbox account fills From.
  await page.getByLabel('From').locator('option[value="sandbox"]').waitFor({ state: 'attached' });
}, 60_000);

afterAll(() => tearDown({ browser, served, dataDir }));

/** The composer in front: New message opens another beside it, which stays mounted but hidden. */
const composer = () => page.getByRole('region', { name: 'New message' });
const focused = () => page.locator(':focus');
const focusedText = async () => (await focused().textContent())?.trim();

describe('keyboard shortcuts in browser mode', () => {
  it('switches views with Ctrl+1…6 and opens the composer with Alt+N', async () => {
    await page.keyboard.press('Control+2');
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Outbox' }).isVisible()).toBe(true);
    expect(await composer().isVisible()).toBe(false);
    await page.keyboard.press('Control+1');
    await expect.poll(() => composer().isVisible()).toBe(true);
    await page.keyboard.press('Control+5');
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Accounts' }).isVisible()).toBe(true);
    await page.keyboard.press('Alt+n');
    await expect.poll(() => composer().isVisible()).toBe(true);
    // It opened beside the first one; close it again for the tests below.
    const open = page.getByRole('navigation', { name: 'Open messages' });
    await open.getByRole('button', { name: 'Close New message' }).last().click();
    await expect.poll(() => open.count()).toBe(0);
  });

  it('offers the mailto: setting, which only the desktop app can act on', async () => {
    await page.keyboard.press('Control+6');
    const box = page.getByLabel('Open mailto: links with Mailwright');
    await expect.poll(() => box.isVisible()).toBe(true);
    expect(await box.isChecked()).toBe(false);
    expect(await box.isDisabled()).toBe(true);
    await screenshot(page, 'shortcuts-settings-mailto');
    await page.keyboard.press('Control+1');
  });
});

describe('composer commands from the keyboard (the composer carries them out as the menu’s)', () => {
  const field = (label: string) => page.locator('section.composer:visible').getByLabel(label, { exact: true });

  it('Alt+N opens a new, empty message beside the one being written, which stays a draft', async () => {
    await field('Subject').fill('Scratch');
    await page.keyboard.press('Alt+n');
    await expect.poll(() => field('Subject').inputValue()).toBe('');
    const open = page.getByRole('navigation', { name: 'Open messages' });
    await open.getByRole('button', { name: 'Close Scratch' }).click();
    await expect.poll(() => open.count()).toBe(0);
  });

  it('Ctrl+Shift+A opens the file chooser and attaches what is chosen', async () => {
    const file = `${dataDir}/notes.txt`;
    await fs.writeFile(file, 'attached by shortcut');
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Control+Shift+A');
    await (await chooser).setFiles(file);
    await expect.poll(() => page.getByLabel('Attachments').textContent()).toContain('notes.txt');
  });

  it('Ctrl+Enter sends from anywhere on the page', async () => {
    await field('To').fill('bob@example.test');
    await field('Subject').fill('Sent by shortcut');
    await page.getByLabel('Message body').click();
    await page.keyboard.type('Hello from the keyboard.');
    await page.getByRole('button', { name: 'Compose' }).focus(); // outside the composer: the page's shortcut, not the composer's own
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByRole('listitem', { name: /Sent by shortcut/ }).count(), { timeout: 15_000 }).toBe(1);
    await page.keyboard.press('Control+1');
  });
});

describe('Esc closes dialogs', () => {
  it('closes the Send later pop-up, wherever the focus is, and returns to its button', async () => {
    const later = page.getByRole('button', { name: 'Send later…' });
    const popup = page.getByRole('dialog', { name: 'Send later' });
    await later.click();
    await expect.poll(() => popup.isVisible()).toBe(true);
    await screenshot(page, 'shortcuts-send-later-open');
    await page.keyboard.press('Escape');
    await expect.poll(() => popup.count()).toBe(0);
    expect(await focusedText()).toBe('Send later…');
    // Focus moved to a field meanwhile: Esc still closes it, and leaves the focus in the field.
    await later.click();
    await page.getByLabel('To', { exact: true }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => popup.count()).toBe(0);
    expect(await focused().getAttribute('id')).toBe(await page.getByLabel('To', { exact: true }).getAttribute('id'));
  });

  it('closes the pre-send dialog and returns to Send', async () => {
    const dialog = page.getByRole('dialog', { name: 'Before sending' });
    await page.getByRole('button', { name: 'Send', exact: true }).click(); // no recipients: the checks stop it
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await focusedText()).toBe('Send');
  });

  it('closes the Drafts list and the account form', async () => {
    const drafts = page.locator('details.popup-menu', { has: page.locator('summary', { hasText: 'Drafts' }) });
    await page.getByText('Drafts', { exact: true }).click();
    await expect.poll(() => drafts.getAttribute('open')).not.toBeNull();
    await page.keyboard.press('Escape');
    await expect.poll(() => drafts.getAttribute('open')).toBeNull();

    await page.keyboard.press('Control+5');
    await page.getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('form', { name: 'Add account' });
    await form.getByLabel('Account name').fill('Half typed');
    await page.keyboard.press('Escape');
    await expect.poll(() => form.count()).toBe(0);
    expect(await focusedText()).toBe('Add account');
  });
});
