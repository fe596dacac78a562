import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../shared/i18n/translate';
import type { Language } from '../../shared/i18n/languages';
import { appSession } from '../helpers/app-session';
import { screenshot } from '../helpers/browser';
import { cli } from '../helpers/cli';

// Every view (and the Send later dialog) fits a 900 × 700 window, and the usual 1280 × 820 one, in every language and both
// themes: no sideways scrolling, and every control on screen within the window's width. The
// screenshots (test-results/screenshots/layout-*.png) are for a person to look at.
const session = appSession({ name: 'layout', smtp: {} });
const page = (): Page => session.page;

const SIZES = [
  { width: 1280, height: 820 },
  { width: 900, height: 700 },
] as const;
const LANGUAGES: Language[] = ['en', 'ru', 'es'];
const THEMES = ['light', 'dark'] as const;

/** A port on 127.0.0.1 that nothing listens on: an account there fails its test at "connect". */
const closedPort = () =>
  new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });

/** Save settings as the Settings view does, through the app's own API, then show them. */
async function use(settings: { language: Language; theme: 'light' | 'dark' }) {
  const r = await fetch(`${session.served.origin}/api/settings:save`, { method: 'POST', headers: { Authorization: `Bearer ${session.served.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(settings) });
  expect(r.status).toBe(200);
  await page().reload();
  await expect.poll(() => page().locator('html').getAttribute('lang')).toBe(settings.language);
}

/** What sticks out: sideways scrolling, and controls on screen that reach past the window's right edge. */
const overflow = () =>
  page().evaluate(() => {
    const width = document.documentElement.clientWidth;
    const outside = [...document.querySelectorAll<HTMLElement>('button, select, input, textarea, [role="textbox"], a')]
      .filter((el) => el.getClientRects().length > 0 && !el.closest('[hidden]'))
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.right > width + 1 || box.left < -1))
      .map(({ el, box }) => `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}" at ${Math.round(box.left)}–${Math.round(box.right)}`);
    return { scrollsSideways: document.documentElement.scrollWidth > width + 1, outside };
  });

beforeAll(async () => {
  const dir = session.dataDir;
  const broken = await cli(['--data-dir', dir, '--json', 'account', 'add', 'Broken', '--email', 'old@example.test', '--host', '127.0.0.1', '--port', String(await closedPort()), '--security', 'starttls', '--user', 'old@example.test', '--password-stdin'], 'secret');
  expect(broken.code, broken.stderr).toBe(0);
  // Something in the outbox: one delivered, one that waits to be tried again, with its error.
  const sent = await cli(['--data-dir', dir, '--json', 'send', '--account', 'Office', '--to', 'bob@example.test', '--cc', 'carol@example.test', '--subject', 'Quarterly numbers, with the attachments you asked for', '--text', 'Hello']);
  expect(sent.code, sent.stdout).toBe(0);
  await cli(['--data-dir', dir, '--json', 'send', '--account', 'Broken', '--to', 'dave@example.test', '--subject', 'Via the old server', '--text', 'Hi']);
}, 60_000);

describe.each(LANGUAGES)('layout in %s', (language) => {
  const t = translator(language);
  it.each(THEMES)('%s: composer, outbox, accounts with a test result, and settings fit both window sizes', async (theme) => {
    await use({ language, theme });
    for (const size of SIZES) {
      await page().setViewportSize(size);
      const name = (view: string) => `layout-${view}-${size.width}x${size.height}-${theme}-${language}`;
      const check = async (view: string) => {
        const found = await overflow();
        expect(found.outside, `${name(view)}: controls past the window's edge`).toEqual([]);
        expect(found.scrollsSideways, `${name(view)} scrolls sideways`).toBe(false);
        await screenshot(page(), name(view));
      };

      await page().keyboard.press('Control+1');
      await expect.poll(() => page().locator('section.composer:visible').count()).toBe(1);
      await check('composer');
      await page().locator('section.composer:visible').getByRole('button', { name: t('composer.sendLater') }).click();
      await expect.poll(() => page().getByRole('dialog', { name: t('sendLater.label') }).isVisible()).toBe(true);
      await check('composer-send-later');
      await page().keyboard.press('Escape');

      await page().keyboard.press('Control+2');
      await expect.poll(() => page().locator('.outbox-item').count()).toBe(2);
      await check('outbox');

      await page().keyboard.press('Control+3');
      await expect.poll(() => page().getByRole('heading', { level: 1, name: t('nav.merge') }).isVisible()).toBe(true);
      await check('merge');

      await page().keyboard.press('Control+4');
      await expect.poll(() => page().getByRole('heading', { level: 1, name: t('nav.sandbox') }).isVisible()).toBe(true);
      await check('sandbox');

      await page().keyboard.press('Control+5');
      await page().getByRole('button', { name: t('accounts.testNamed', { name: 'Broken' }) }).click();
      await expect.poll(() => page().locator('.error-box').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      // An account without encryption says so in the window's language, not as a raw setting.
      expect(await page().locator('main').textContent()).toContain(`· ${t('security.none')}`);
      await check('accounts');

      await page().keyboard.press('Control+6');
      await expect.poll(() => page().getByRole('heading', { level: 1, name: t('nav.settings') }).isVisible()).toBe(true);
      await check('settings');
    }
  });
});
