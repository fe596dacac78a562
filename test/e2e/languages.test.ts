import { promises as fs } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openApp, screenshot, serve, type Served } from '../helpers/browser';

// The language setting in the real UI: Russian and Spanish chosen in Settings, and "system"
// following the browser's locale. Screenshots: test-results/screenshots/lang-*.png.
let served: Served;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp('/tmp/mw-lang-');
  served = await serve(dataDir);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

const sidebar = (page: Page) => page.getByRole('navigation');
const lang = (page: Page) => page.locator('html').getAttribute('lang');

/** Send one message through the Sandbox so the outbox has something to show. */
async function sendOne(page: Page, subject: string) {
  await page.getByLabel('To', { exact: true }).fill('zoya@example.test');
  await page.getByLabel('Subject', { exact: true }).fill(subject);
  await page.getByLabel('Message body').click();
  await page.keyboard.type('Hello');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect.poll(() => page.getByRole('listitem', { name: new RegExp(subject) }).getAttribute('data-state'), { timeout: 15_000 }).toBe('sent');
}

describe('languages', () => {
  it('switches to Russian, then Spanish, in Settings: sidebar, settings and outbox follow', async () => {
    const page = await openApp(browser, served.url);
    await expect.poll(() => page.getByLabel('From').inputValue()).toBe('sandbox');
    expect(await lang(page)).toBe('en');
    await sendOne(page, 'Languages check');

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('ru');
    await expect.poll(() => sidebar(page).textContent()).toContain('Исходящие');
    expect(await sidebar(page).textContent()).toContain('Учётные записи');
    expect(await lang(page)).toBe('ru');
    const settings = page.getByRole('region', { name: 'Настройки' });
    expect(await settings.getByRole('heading', { level: 1 }).textContent()).toBe('Настройки');
    expect(await settings.getByLabel('Отмена отправки').locator('option:checked').textContent()).toBe('10 секунд');
    expect(await settings.textContent()).toContain('Сообщать, если письмо не ушло');
    await screenshot(page, 'lang-ru-settings');

    await page.getByRole('button', { name: 'Исходящие' }).click();
    const outbox = page.getByRole('region', { name: 'Исходящие' });
    await expect.poll(() => outbox.getByRole('region', { name: 'Отправленные' }).count()).toBe(1);
    const item = outbox.getByRole('listitem', { name: 'Languages check: Отправлено' });
    expect(await item.textContent()).toMatch(/кому: zoya@example\.test · через Sandbox/);
    expect(await item.getByRole('button', { name: 'Открыть как новый черновик: Languages check' }).count()).toBe(1);
    await screenshot(page, 'lang-ru-outbox');

    await page.getByRole('button', { name: 'Учётные записи' }).click();
    await page.getByRole('button', { name: 'Добавить учётную запись' }).click();
    await screenshot(page, 'lang-ru-accounts');
    await page.getByRole('button', { name: 'Отмена' }).click();
    await page.getByRole('button', { name: 'Написать' }).click();
    await screenshot(page, 'lang-ru-composer');

    await page.getByRole('button', { name: 'Настройки' }).click();
    await page.getByLabel('Язык').selectOption('es');
    await expect.poll(() => sidebar(page).textContent()).toContain('Bandeja de salida');
    expect(await lang(page)).toBe('es');
    expect(await page.getByRole('region', { name: 'Ajustes' }).getByLabel('Deshacer envío').locator('option:checked').textContent()).toBe('10 segundos');
    await screenshot(page, 'lang-es-settings');
    await page.getByRole('button', { name: 'Bandeja de salida' }).click();
    await expect.poll(() => page.getByRole('listitem', { name: 'Languages check: Enviado' }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Enviados' }).count()).toBe(1);
    await screenshot(page, 'lang-es-outbox');

    // The choice is kept in settings.json: a new window opens in Spanish whatever the browser says.
    const again = await openApp(browser, served.url, { locale: 'ru-RU' });
    await expect.poll(() => sidebar(again).textContent()).toContain('Bandeja de salida');
    await again.close();

    // Back to "system" for the next test.
    await page.getByRole('button', { name: 'Ajustes' }).click();
    await page.getByLabel('Idioma').selectOption('system');
    await expect.poll(() => sidebar(page).textContent()).toContain('Outbox');
    await page.close();
  });

  it('with the setting on "system", a Russian browser starts in Russian', async () => {
    const page = await openApp(browser, served.url, { locale: 'ru-RU' });
    await expect.poll(() => sidebar(page).textContent()).toContain('Исходящие');
    expect(await lang(page)).toBe('ru');
    await page.getByRole('button', { name: 'Настройки' }).click();
    expect(await page.getByLabel('Язык').locator('option:checked').textContent()).toBe('Как в системе (Русский)');
    await page.close();
  });
});
