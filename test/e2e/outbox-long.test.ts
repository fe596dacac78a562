import { promises as fs } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOutbox } from '../../bench/outbox-view';
import { tearDown } from '../helpers/app-session';
import { launchChromium, openApp, serve, type Served } from '../helpers/browser';

// A long outbox (400 messages written in the outbox's own format) in Chromium through the real
// `mailwright serve`: long groups render only the rows near the window, yet every row says its
// place, Tab walks from row to row past what was rendered, and the focused row stays put.
let dataDir: string;
let served: Served;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dataDir = await fs.mkdtemp('/tmp/mw-e2e-outbox-long-');
  await makeOutbox(dataDir, 400); // 240 sent, 80 scheduled, 48 needing attention, 32 cancelled
  served = await serve(dataDir);
  browser = await launchChromium();
  page = await openApp(browser, served.url);
  await page.getByRole('button', { name: 'Outbox', exact: true }).click();
  await page.getByRole('region', { name: 'Sent' }).getByRole('listitem').first().waitFor();
  // The first rows come from the overview; every row of a short group once the whole list is in.
  // (Polled from here: the page's CSP forbids the string eval that waitForFunction polls with.)
  for (let tries = 0; (await page.evaluate(`document.querySelectorAll('section[aria-label="Needs your attention"] li').length`)) !== 48; tries++) {
    if (tries > 300) throw new Error('the whole outbox list never arrived');
    await page.waitForTimeout(100);
  }
}, 60_000);

afterAll(() => tearDown({ browser, served, dataDir }));

const sent = () => page.getByRole('region', { name: 'Sent' });

/** Open the outbox in `on` with the whole list (outbox:list) held back: only the overview's rows are drawn until the returned function lets it come. */
async function openHoldingTheList(on: Page): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await on.route('**/api/outbox%3Alist', async (route) => {
    await held;
    await route.continue();
  });
  await on.getByRole('button', { name: 'Outbox', exact: true }).click();
  return release;
}

describe('a long outbox', () => {
  it('draws each section\'s first rows and its size before the whole list has arrived, then the whole list', async () => {
    const second = await openApp(browser, served.url);
    try {
      // Hold back the whole list (outbox:list) until the overview has been drawn.
      const release = await openHoldingTheList(second);
      const attention = second.getByRole('region', { name: 'Needs your attention' });
      await attention.getByRole('listitem').first().waitFor();
      expect(await attention.getByRole('heading').textContent()).toBe('Needs your attention (48)');
      expect(await attention.getByRole('listitem').count()).toBe(20); // OVERVIEW_ROWS
      const sentRows = second.getByRole('region', { name: 'Sent' }).getByRole('listitem');
      expect(await second.getByRole('region', { name: 'Sent' }).getByRole('heading').textContent()).toBe('Sent (240)');
      expect(await sentRows.first().getAttribute('aria-label')).toBe('Invoice 239 — quarterly numbers for customer 239: Sent');
      expect(await sentRows.first().getAttribute('aria-setsize')).toBe('240');
      release();
      await expect.poll(() => attention.getByRole('listitem').count()).toBe(48);
      expect(await attention.getByRole('heading').textContent()).toBe('Needs your attention (48)');
    } finally {
      await second.close();
    }
  });

  it('a row focused while only the overview’s rows are there keeps the focus when the whole list comes', async () => {
    const second = await openApp(browser, served.url);
    try {
      const release = await openHoldingTheList(second);
      const third = second.getByRole('region', { name: 'Sent' }).locator('li[aria-posinset="3"]');
      await third.getByRole('button').first().focus();
      const focused = () => second.evaluate(`[document.activeElement?.closest('li')?.getAttribute('aria-posinset'), document.activeElement?.closest('ul')?.classList.contains('outbox-list-virtual')]`);
      expect(await focused()).toEqual(['3', false]);
      await second.evaluate(`document.activeElement.dataset.focusedBefore = 'yes'`); // the very element, not one made again
      release();
      // The whole list in: the same row, now in the virtual list, still has the focus.
      await expect.poll(focused).toEqual(['3', true]);
      expect(await second.evaluate(`document.activeElement.dataset.focusedBefore`)).toBe('yes');
      // Scrolled far away, the focused row stays rendered and focused.
      await second.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
      await second.waitForTimeout(200);
      expect(await focused()).toEqual(['3', true]);
    } finally {
      await second.close();
    }
  });

  it('keeps its groups and counts, renders a window of rows, each with its place in the group', async () => {
    expect(await sent().getByRole('heading').textContent()).toBe('Sent (240)');
    expect(await page.getByRole('region', { name: 'Needs your attention' }).getByRole('listitem').count()).toBe(48); // short: every row
    const rows = sent().getByRole('listitem');
    expect(await rows.count()).toBeLessThan(40);
    expect(await rows.first().getAttribute('aria-posinset')).toBe('1');
    expect(await rows.first().getAttribute('aria-setsize')).toBe('240');
    // Newest first, as before: the first sent row is the newest sent message.
    expect(await rows.first().getAttribute('aria-label')).toBe('Invoice 239 — quarterly numbers for customer 239: Sent');
  });

  it('scrolling reaches the last row, in its place', async () => {
    await page.evaluate(`(() => {
      const list = document.querySelector('section.outbox-group[aria-label="Sent"] ul');
      window.scrollTo(0, list.getBoundingClientRect().bottom + window.scrollY - window.innerHeight + 20);
    })()`);
    const last = sent().locator('li[aria-posinset="240"]');
    await expect.poll(() => last.count()).toBe(1);
    expect(await last.getAttribute('aria-label')).toBe('Invoice 0 — quarterly numbers for customer 0: Sent');
    expect(await last.isVisible()).toBe(true);
  });

  it('Tab walks row after row past the rendered ones, and the focused row stays rendered when scrolled away', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    // The list renders the rows near the window a frame after the scroll: wait for the first one.
    const first = sent().locator('li[aria-posinset="1"]');
    await first.waitFor();
    await first.getByRole('button').first().focus();
    const focusedPos = () => page.evaluate(`Number(document.activeElement?.closest('li')?.getAttribute('aria-posinset'))`);
    expect(await focusedPos()).toBe(1);
    for (let i = 0; i < 60; i++) await page.keyboard.press('Tab'); // two actions a row: Open as new draft, Export .eml
    expect(await focusedPos()).toBe(31);
    expect(await page.evaluate(`document.activeElement?.getAttribute('aria-label')`)).toMatch(/^Open as new draft: Invoice 209 /);
    await page.keyboard.press('Shift+Tab');
    expect(await focusedPos()).toBe(30);
    await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
    await page.waitForTimeout(200);
    expect(await page.evaluate(`document.activeElement?.isConnected && document.activeElement.tagName`)).toBe('BUTTON');
    expect(await focusedPos()).toBe(30);
  });
});

describe('the navigation counts what needs attention', () => {
  let ownDir: string;
  let ownServed: Served;

  beforeAll(async () => {
    ownDir = await fs.mkdtemp('/tmp/mw-e2e-outbox-count-');
    await makeOutbox(ownDir, 200); // 16 failed, 4 partially delivered, 4 outcome unknown
    ownServed = await serve(ownDir);
  }, 60_000);

  afterAll(() => tearDown({ served: ownServed, dataDir: ownDir }));

  it('from the start, without opening the outbox; the view opens on the rows already known, and the count follows a decision', async () => {
    const own = await openApp(browser, ownServed.url);
    try {
      // What the page asked main for, from its load on (Resource Timing).
      const asked = (channel: string): Promise<number> => own.evaluate(`performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/${encodeURIComponent(channel)}')).length`);
      const outbox = own.getByRole('button', { name: 'Outbox', exact: true });
      const count = outbox.locator('.nav-count');
      await count.waitFor();
      expect(await count.textContent()).toBe('24');
      const described = await outbox.getAttribute('aria-describedby');
      expect(await own.locator(`#${described}`).textContent()).toBe('24 messages need your attention');
      expect(await own.locator(`#${described}`).isHidden()).toBe(true); // a description, not a line of its own
      expect(await own.getByRole('region', { name: 'Needs your attention' }).count()).toBe(0); // still on the composer
      await outbox.click();
      const attention = own.getByRole('region', { name: 'Needs your attention' });
      await attention.getByRole('listitem').first().waitFor();
      // The overview was asked for once, at the start: opening the view asked only for the whole list.
      await expect.poll(() => asked('outbox:list')).toBeGreaterThan(0);
      expect(await asked('outbox:overview')).toBe(1);
      await attention.getByRole('button', { name: /^Mark as sent: / }).first().click();
      await expect.poll(() => count.textContent()).toBe('23');
      await own.getByRole('button', { name: 'Compose', exact: true }).click();
      expect(await count.textContent()).toBe('23');
    } finally {
      await own.close();
    }
  });

  it('a decision elsewhere about a message older than the rows it knows is counted too (the overview asked for again)', async () => {
    const watching = await openApp(browser, ownServed.url);
    const deciding = await openApp(browser, ownServed.url);
    try {
      const count = watching.getByRole('button', { name: 'Outbox', exact: true }).locator('.nav-count');
      await count.waitFor();
      const before = Number(await count.textContent()); // 24, or 23 after the test above
      await deciding.getByRole('button', { name: 'Outbox', exact: true }).click();
      const attention = deciding.getByRole('region', { name: 'Needs your attention' });
      await expect.poll(() => attention.getByRole('listitem').count()).toBe(before);
      // The oldest message that can be cancelled: past the 20 newest rows the watching window knows.
      const rows = await attention.getByRole('listitem').all();
      const cancellable = [];
      for (const [at, row] of rows.entries()) if (await row.getByRole('button', { name: /^Cancel: / }).count()) cancellable.push(at);
      expect(cancellable.at(-1)).toBeGreaterThanOrEqual(20);
      await rows[cancellable.at(-1)!]!.getByRole('button', { name: /^Cancel: / }).click();
      await expect.poll(() => count.textContent()).toBe(String(before - 1));
      expect(await watching.evaluate(`performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/outbox%3Aoverview')).length`)).toBe(2);
      expect(await watching.evaluate(`performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/outbox%3Alist')).length`)).toBe(0);
    } finally {
      await watching.close();
      await deciding.close();
    }
  });
});
