import { promises as fs } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tearDown } from '../helpers/app-session';
import { launchChromium, openApp, screenshot, serve, type Served } from '../helpers/browser';

// The language setting in the real UI: Russian and Spanish chosen in Settings, and "system"
// following the browser's locale. Screenshots: test-results/screenshots/lang-*.png, and the
// composer in both themes (composer-dark-ru.png, composer-light-en.png).
let served: Served;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp('/tmp/mw-lang-');
  served = await serve(dataDir);
  browser = await launchChromium();
}, 60_000);

afterAll(() => tearDown({ browser, served, dataDir }));

const sidebar = (page: Page) => page.getByRole('navigation');
const lang = (page: Page) => page.locator('html').getAttribute('lang');

/** Send one message through the Sandbox so the outbox has something to show. */
async function sendOne(page: Page, subject: string) {
  await page.getByLabel('To', { exact: true }).fill('zoya@example.test');
  await page.getByLabel('Subject', { exact: true }).fill(subject);
  await page.getByLabel('Message body').click();
  await page.keyboard.type('Hello');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect.poll(() => page.getByRole('listitem', { name: new RegExp(subject) }).getAttribute('data-state'), { timeout: 30_000 }).toBe('sent'); // the 10 s undo window, then the send
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
    // The toast of the first message is gone by now, or soon: the screenshots show the composer's footer.
    await page.getByRole('status', { name: 'Состояние письма' }).waitFor({ state: 'detached', timeout: 10_000 });
    // The composer speaks Russian: field labels, buttons, the format choice, and why an address is refused.
    const composer = page.getByRole('region', { name: 'Новое письмо' });
    expect(await composer.getByRole('heading', { level: 1 }).textContent()).toBe('Новое письмо');
    expect(await composer.getByLabel('От', { exact: true }).inputValue()).toBe('sandbox');
    await composer.getByRole('button', { name: 'Копия / Скрытая' }).click();
    for (const field of ['Кому', 'Копия', 'Скрытая копия', 'Адрес для ответа', 'Тема']) expect(await composer.getByLabel(field, { exact: true }).count(), field).toBe(1);
    expect(await composer.getByRole('textbox', { name: 'Текст письма' }).count()).toBe(1);
    expect(await composer.getByRole('button', { name: 'Отправить', exact: true }).count()).toBe(1);
    expect(await composer.getByRole('button', { name: 'Отправить позже…' }).count()).toBe(1);
    expect(await composer.getByRole('button', { name: 'Как увидит получатель' }).count()).toBe(1);
    expect(await composer.getByLabel('Формат отправки').locator('option:checked').textContent()).toBe('HTML + текст');
    expect(await composer.textContent()).toContain('Sandbox: письмо останется на компьютере');
    await composer.getByLabel('Кому', { exact: true }).fill('sam smith@example.test');
    await composer.getByLabel('Тема', { exact: true }).click(); // leaving the field makes the chip
    const bad = composer.locator('li[data-invalid]');
    await expect.poll(() => bad.locator('.recipient-chip-reason').textContent()).toBe('есть пробел — возьмите имя в кавычки перед <smith@example.test>');
    expect(await bad.getByRole('button').first().getAttribute('aria-label')).toBe('sam smith@example.test, ошибка в адресе');
    expect(await composer.getByRole('list', { name: 'Получатели в поле «Кому»' }).count()).toBe(1);
    expect(await composer.textContent()).not.toMatch(/Preview as delivered|Send format|Attach files|Subject|Reply-To/);
    await screenshot(page, 'lang-ru-composer');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'composer-dark-ru');
    await page.emulateMedia({ colorScheme: 'light' });

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
    await page.getByRole('button', { name: 'Redactar' }).click();
    const redactar = page.getByRole('region', { name: 'Mensaje nuevo' });
    for (const field of ['De', 'Para', 'CC', 'CCO', 'Responder a', 'Asunto']) expect(await redactar.getByLabel(field, { exact: true }).count(), field).toBe(1);
    expect(await redactar.getByRole('button', { name: 'Enviar', exact: true }).count()).toBe(1);
    expect(await redactar.getByLabel('Formato de envío').count()).toBe(1);
    expect(await redactar.locator('.recipient-chip-reason').textContent()).toBe('tiene un espacio: pon el nombre entre comillas antes de <smith@example.test>');
    await screenshot(page, 'lang-es-composer');

    // The choice is kept in settings.json: a new window opens in Spanish whatever the browser says.
    const again = await openApp(browser, served.url, { locale: 'ru-RU' });
    await expect.poll(() => sidebar(again).textContent()).toContain('Bandeja de salida');
    await again.close();

    // Back to "system" for the next test.
    await page.getByRole('button', { name: 'Ajustes' }).click();
    await page.getByLabel('Idioma').selectOption('system');
    await expect.poll(() => sidebar(page).textContent()).toContain('Outbox');
    // The same composer in English, light: the names the other tests find controls by.
    await page.getByRole('button', { name: 'Compose' }).click();
    const compose = page.getByRole('region', { name: 'New message' });
    for (const field of ['From', 'To', 'Cc', 'Bcc', 'Reply-To', 'Subject']) expect(await compose.getByLabel(field, { exact: true }).count(), field).toBe(1);
    expect(await compose.getByRole('button', { name: 'Preview as delivered' }).count()).toBe(1);
    expect(await compose.getByLabel('Send format').count()).toBe(1);
    expect(await compose.locator('.recipient-chip-reason').textContent()).toBe('has a space — put a name in quotes before <smith@example.test>');
    await screenshot(page, 'composer-light-en');
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
