import { promises as fs } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOutbox } from '../../bench/outbox-view';
import { tearDown } from '../helpers/app-session';
import { launchChromium, openApp, serve, type Served } from '../helpers/browser';

// An outbox longer than one page of outbox:list (the view takes the whole list in pages of 5,000):
// every message arrives once, in its place, and the page requests walk the list to its end.
const COUNT = 5_100; // 3,060 sent, 1,020 scheduled, 612 needing attention, 408 cancelled
let dataDir: string;
let served: Served;
let browser: Browser;

beforeAll(async () => {
  dataDir = await fs.mkdtemp('/tmp/mw-e2e-outbox-pages-');
  await makeOutbox(dataDir, COUNT);
  served = await serve(dataDir);
  browser = await launchChromium();
}, 120_000);

afterAll(() => tearDown({ browser, served, dataDir }));

describe('an outbox of more than one page', () => {
  it('comes in whole: every section its size, the oldest message at the end of its section, each message once', async () => {
    const page = await openApp(browser, served.url);
    const pages: string[] = [];
    page.on('request', (r) => r.url().includes('outbox%3Alist') && pages.push(r.postData() ?? ''));
    await page.getByRole('button', { name: 'Outbox', exact: true }).click();
    // (A section says aria-busy until all its rows are in. Polled from here: the page's CSP forbids the string eval of waitForFunction.)
    await expect.poll(() => page.evaluate(`!!document.querySelector('section.outbox-group') && !document.querySelector('section[aria-busy]')`), { timeout: 40_000 }).toBe(true); // inside the test's 60 s, to fail as itself
    expect(pages.length).toBe(2);
    expect(JSON.parse(pages[1]!)).toMatchObject({ limit: 5000, after: { id: expect.any(String), createdAt: expect.any(String) } });
    const sizes = await page.evaluate(`[...document.querySelectorAll('section.outbox-group h2')].map((h) => h.textContent)`);
    expect(sizes).toEqual(['Needs your attention (612)', 'Scheduled (1020)', 'Sent (3060)', 'Cancelled (408)']);
    // The oldest sent message (made first) is the last row of Sent, in its place: it came in the second page.
    await page.evaluate(`(() => {
      const list = document.querySelector('section.outbox-group[aria-label="Sent"] ul');
      window.scrollTo(0, list.getBoundingClientRect().bottom + window.scrollY - window.innerHeight + 20);
    })()`);
    const last = page.getByRole('region', { name: 'Sent' }).locator('li[aria-posinset="3060"]');
    await expect.poll(() => last.count()).toBe(1);
    expect(await last.getAttribute('aria-label')).toBe('Invoice 0 — quarterly numbers for customer 0: Sent');
    await page.close();
  });
});
