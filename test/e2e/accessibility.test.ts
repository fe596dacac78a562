import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tearDown } from '../helpers/app-session';
import { launchChromium, openApp, screenshot, serve, type Served } from '../helpers/browser';

// The bar: every main screen, in the light and the dark palette, has no serious or
// critical axe-core violation (contrast included), and every control reached by Tab shows focus.
// Real `mailwright serve` in Debian's Chromium, with real content on each screen.
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SCHEMES = ['light', 'dark'] as const;

/** The little of the DOM the page functions below use: the Node tsconfig has no DOM types. */
interface El {
  ownerDocument: { activeElement: El | null; defaultView: { getComputedStyle(e: El): Record<'backgroundColor' | 'outlineStyle' | 'outlineWidth' | 'boxShadow', string> } };
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  closest(selector: string): El | null;
}

let served: Served;
let browser: Browser;
let page: Page;
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp('/tmp/mw-e2e-a11y-');
  // Undo send off: the message goes straight through, so the outbox shows a sent item.
  await fs.writeFile(join(dataDir, 'settings.json'), JSON.stringify({ undoSeconds: 0 }));
  served = await serve(dataDir);
  browser = await launchChromium();
  page = await openApp(browser, served.url);
  // Through the DevTools protocol: the app's CSP (script-src 'self') rightly refuses a script tag.
  await page.evaluate(await fs.readFile(AXE, 'utf8'));
}, 60_000);

afterAll(() => tearDown({ browser, served, dataDir }));

// Something in the outbox and in the sandbox for the screens below to show.
it('sends a message to the Sandbox account', async () => {
  await expect.poll(() => page.getByLabel('From').inputValue()).toBe('sandbox');
  await page.getByLabel('To', { exact: true }).fill('zoya@example.test');
  await page.getByLabel('Subject', { exact: true }).fill('Accessible preview');
  await page.getByLabel('Message body').click();
  await page.keyboard.type('Hello in both themes');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect.poll(() => page.getByRole('listitem', { name: /Accessible preview/ }).getAttribute('data-state'), { timeout: 20_000 }).toBe('sent');
});

/** Each main screen, brought into a state with its typical content showing. */
const SCREENS: Record<string, () => Promise<void>> = {
  compose: async () => {
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
  },
  outbox: async () => {
    await page.getByRole('button', { name: 'Outbox', exact: true }).click();
    await page.getByRole('listitem', { name: /Accessible preview/ }).waitFor();
  },
  sandbox: async () => {
    await page.getByRole('button', { name: 'Sandbox', exact: true }).click();
    await page.getByRole('button', { name: /Accessible preview/ }).click();
    await page.frameLocator('iframe[title="HTML part"]').locator('body', { hasText: 'Hello in both themes' }).waitFor();
  },
  accounts: async () => {
    await page.getByRole('button', { name: 'Accounts', exact: true }).click();
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByRole('form', { name: 'Add account' }).waitFor();
  },
  settings: async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
  },
};

/** axe-core on the whole page; the serious and critical violations, one readable line per element. */
async function seriousViolations(): Promise<string[]> {
  // The message preview frame is the sender's mail, not our UI, and runs no script (sandbox=""), so axe cannot enter it.
  const options: RunOptions = { iframes: false, resultTypes: ['violations'] };
  const results = await page.evaluate((o) => (globalThis as unknown as { axe: { run(o: RunOptions): Promise<AxeResults> } }).axe.run(o), options);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}) at ${n.target.join(' ')}: ${v.help} — ${n.failureSummary ?? ''} [${v.helpUrl}]`));
}

describe.each(SCHEMES)('accessibility in the %s palette (system preference)', (scheme) => {
  beforeAll(() => page.emulateMedia({ colorScheme: scheme }));

  it.each(Object.keys(SCREENS))('the %s screen has no serious or critical axe violation', async (screen) => {
    await SCREENS[screen]!();
    await screenshot(page, `a11y-${scheme}-${screen}`);
    expect(await seriousViolations()).toEqual([]);
  });
});

describe('the theme', () => {
  // The palette's background is painted by the root element (the body is transparent).
  const pageBackground = () => page.locator('html').evaluate((node) => {
      const html = node as unknown as El;
      return html.ownerDocument.defaultView.getComputedStyle(html).backgroundColor;
    });
  const luminance = (rgb: string) => (rgb.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, c) => sum + Number(c), 0) / 3;

  it('follows the system preference, and the setting overrides it both ways', async () => {
    await SCREENS.settings!();
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(luminance(await pageBackground())).toBeLessThan(60);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(luminance(await pageBackground())).toBeGreaterThan(200);

    await page.getByLabel('Appearance').selectOption('dark');
    await expect.poll(async () => luminance(await pageBackground())).toBeLessThan(60);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByLabel('Appearance').selectOption('light');
    await expect.poll(async () => luminance(await pageBackground())).toBeGreaterThan(200);
    // The choice is saved: a new window opens in it.
    const again = await openApp(browser, served.url);
    await again.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => again.locator('html').getAttribute('data-theme')).toBe('light');
    await again.close();
    await page.getByLabel('Appearance').selectOption('system');
  });
});

describe('keyboard focus', () => {
  /** What Tab lands on next, and whether it (or the header row it sits in) shows a focus indicator. */
  const tabToNext = () =>
    page.keyboard.press('Tab').then(() =>
      page.locator('body').evaluate((node) => {
        const body = node as unknown as El;
        const el = body.ownerDocument.activeElement;
        // Back at a control already seen (Tab went round): the walk is over.
        if (!el || el === body || el.hasAttribute('data-a11y-seen')) return undefined;
        el.setAttribute('data-a11y-seen', '');
        const shows = (e: El | null) => {
          if (!e) return false;
          const s = body.ownerDocument.defaultView.getComputedStyle(e);
          return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
        };
        const name = `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.getAttribute('id') ?? el.textContent?.trim().slice(0, 30) ?? ''}`;
        return { name, visible: shows(el) || shows(el.closest('.field-row')) };
      }),
    );

  it.each(Object.keys(SCREENS))('every control Tab reaches on the %s screen shows a visible focus ring', async (screen) => {
    await SCREENS[screen]!();
    await page.locator('[data-a11y-seen]').evaluateAll((els) => els.forEach((e) => (e as unknown as El).removeAttribute('data-a11y-seen')));
    await page.locator('body').click({ position: { x: 1, y: 1 } }); // start from the top of the page
    const seen: Array<{ name: string; visible: boolean }> = [];
    for (let i = 0; i < 80; i++) {
      const next = await tabToNext();
      if (!next) break;
      seen.push(next);
      if (seen.length === 7) await screenshot(page, `a11y-focus-${screen}`); // one ring, for a person to look at
    }
    expect(seen.length).toBeGreaterThan(4);
    expect(seen.filter((s) => !s.visible).map((s) => s.name)).toEqual([]);
  });
});
