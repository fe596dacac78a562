import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tearDown } from '../helpers/app-session';
import { launchChromium, openApp, screenshot, serve, type Served } from '../helpers/browser';

// "Send to a list" in the window (browser mode, real core, Chromium): a CSV uploaded, every row
// checked, a row previewed as delivered, the merge started with the invalid row skipped, and each
// valid row caught once by the sandbox with its own values; the report downloaded.
let served: Served;
let browser: Browser;
let page: Page;
let dataDir: string;
let files: string;

const NAMES = ['Ана Ивановна', 'José Núñez', 'Zoë Brontë'];

beforeAll(async () => {
  dataDir = await fs.mkdtemp('/tmp/mw-e2e-merge-');
  files = await fs.mkdtemp('/tmp/mw-e2e-merge-files-');
  await fs.writeFile(join(files, 'orders.csv'), ['email,name,order', ...Array.from({ length: 12 }, (_, i) => `c${i + 1}@example.test,${NAMES[i % 3]} ${i + 1},A-${100 + i}`), 'not an address,Nobody,A-999'].join('\n'));
  served = await serve(dataDir);
  browser = await launchChromium();
  page = await openApp(browser, served.url);
  await page.getByLabel('From').locator('option[value="sandbox"]').waitFor({ state: 'attached' });
}, 60_000);

afterAll(async () => {
  await tearDown({ browser, served, dataDir });
  await fs.rm(files, { recursive: true, force: true });
});

describe('Send to a list', () => {
  it('checks every row, previews one as delivered, sends the valid ones once each, and gives the report', async () => {
    await page.keyboard.press('Control+3');
    const view = page.getByRole('region', { name: 'Send to a list' });
    await view.getByLabel('Subject').fill('Pedido {{ order }}');
    await view.getByLabel(/^Body/).fill('<p>Hola {{ name }}, tu pedido {{ order }}.</p>');
    await view.locator('input[type=file]').setInputFiles(join(files, 'orders.csv'));
    await expect.poll(() => view.getByText('13 rows checked, 12 can be sent.').isVisible()).toBe(true);
    const invalid = view.getByRole('alert');
    expect(await invalid.textContent()).toContain('Row 13 <not an address>: address: missing @');
    // Start waits for the invalid row to be dealt with.
    expect(await view.getByRole('button', { name: 'Start sending' }).isDisabled()).toBe(true);
    await view.getByLabel('Name column').selectOption('name');
    await screenshot(page, 'merge-checked');

    await view.getByLabel('Row', { exact: true }).fill('2');
    await view.getByRole('button', { name: 'Preview as delivered' }).click();
    const dialog = page.getByRole('dialog', { name: 'Preview as delivered' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('Pedido A-101');
    await page.keyboard.press('Escape');

    await view.getByLabel('Send the valid rows and skip the invalid ones').check();
    await view.getByRole('button', { name: 'Start sending' }).click();
    const merge = view.locator('.merge-item').first();
    await expect.poll(() => merge.locator('.badge').textContent(), { timeout: 30_000 }).toBe('Done');
    expect(await merge.textContent()).toContain('12 sent · 0 failed · 0 unknown · 1 skipped · 0 to go');
    await screenshot(page, 'merge-done');

    const download = page.waitForEvent('download');
    await merge.getByRole('button', { name: /Download the report/ }).click();
    const report = await fs.readFile((await (await download).path())!, 'utf8');
    const lines = report.trimEnd().split('\r\n');
    expect(lines).toHaveLength(14);
    expect(lines.filter((l) => l.split(',')[2] === 'sent')).toHaveLength(12);
    expect(lines.at(-1)).toMatch(/^13,not an address,skipped,/);
    const why = lines.at(-1)!.split(',').slice(6).join(',');
    expect(why).toMatch(/[a-z]/i);

    // The same report from a window in Russian: why the row was skipped, in Russian.
    const ru = await openApp(browser, served.url, { locale: 'ru-RU' });
    try {
      await ru.getByRole('button', { name: 'Рассылка по списку', exact: true }).click();
      const ruDownload = ru.waitForEvent('download');
      await ru.getByRole('button', { name: /Скачать отчёт/ }).first().click();
      const ruLines = (await fs.readFile((await (await ruDownload).path())!, 'utf8')).trimEnd().split('\r\n');
      expect(ruLines[0]).toBe(lines[0]); // the column names stay for the programs that read the file
      const ruWhy = ruLines.at(-1)!.split(',').slice(6).join(',');
      expect(ruWhy).toMatch(/[а-яё]/i);
      expect(ruWhy).not.toBe(why);
    } finally {
      await ru.close();
    }

    // Each valid row, once, with its own values.
    const caught = await fs.readdir(join(dataDir, 'sandbox'));
    const eml = await Promise.all(caught.filter((f) => f.endsWith('.eml')).map((f) => fs.readFile(join(dataDir, 'sandbox', f), 'utf8')));
    expect(eml).toHaveLength(12);
    for (let i = 1; i <= 12; i++) {
      const mine = eml.filter((m) => m.includes(`<c${i}@example.test>`));
      expect(mine, `row ${i}`).toHaveLength(1);
      expect(mine[0]).toContain(`Subject: Pedido A-${99 + i}`);
    }
  });

  it('saves the composer’s message as a template, starts a new one from it, and asks before sending its variables', async () => {
    await page.keyboard.press('Control+1');
    const composer = page.getByRole('region', { name: 'New message' });
    await composer.getByLabel('Subject', { exact: true }).fill('Envío {{ order }}');
    await composer.getByLabel('Message body').click();
    await page.keyboard.type('Hola {{ name }}, su pedido va en camino.');
    await composer.locator('summary', { hasText: 'Templates' }).click();
    await composer.getByRole('button', { name: 'Save as template…' }).click();
    // The name is asked in the menu itself (the desktop app has no prompt()), the subject offered.
    expect(await composer.getByLabel('Name of the template').inputValue()).toBe('Envío {{ order }}');
    await composer.getByLabel('Name of the template').fill('Shipping notice');
    await composer.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => composer.getByRole('status').textContent()).toContain('Saved as the template “Shipping notice”.');

    // A new message from it: what was in the composer stays a draft of its own.
    await composer.locator('summary', { hasText: 'Templates' }).click();
    await composer.getByRole('list', { name: 'Saved templates' }).getByRole('button', { name: /Shipping notice/ }).click();
    await expect.poll(() => composer.getByRole('status').textContent()).toContain('From the template “Shipping notice”');
    expect(await composer.getByLabel('Subject', { exact: true }).inputValue()).toBe('Envío {{ order }}');
    expect(await composer.getByLabel('Message body').textContent()).toBe('Hola {{ name }}, su pedido va en camino.');
    await composer.getByLabel('To', { exact: true }).fill('zoe@example.test');
    await composer.getByRole('button', { name: 'Send', exact: true }).click();
    const asked = page.getByRole('dialog', { name: 'Before sending' });
    await expect.poll(() => asked.textContent()).toContain('The message still holds template variables ({{ order }}, {{ name }}): they are sent as written.');
    await screenshot(page, 'composer-template-variables');
    await asked.getByRole('button', { name: 'Replace them' }).click();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('Envío {{ order }}');

    // The merge view offers it.
    await page.keyboard.press('Control+3');
    const view = page.getByRole('region', { name: 'Send to a list' });
    await expect.poll(() => view.locator('option', { hasText: 'Shipping notice' }).count()).toBe(1);
  });
});
