import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openApp, screenshot, serve, type Served } from '../helpers/browser';
import { cli } from '../helpers/cli';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';

// The composer's promise: what is written, pasted into and decorated arrives as clean, correct
// MIME, and the preview shows exactly that before it leaves. Chromium through `mailwright serve`,
// a real SMTP server on loopback, the received bytes parsed.
let served: Served;
let browser: Browser;
let page: Page;
let smtp: TestSmtpServer;
let dataDir: string;
let accountId: string;

const field = (label: string) => page.getByLabel(label, { exact: true });
// A 4×4 red PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEklEQVR4nGP4z8AARwzEcQEAq1YF+7Jm4t4AAAAASUVORK5CYII=', 'base64');

/** Files handed to the page the way a paste or a drop hands them (a DataTransfer holding File objects). */
async function dataTransfer(files: Array<{ name: string; type: string; bytes: Buffer }>) {
  // Page code as text: the test's own TypeScript has no DOM types.
  const list = JSON.stringify(files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString('base64') })));
  return page.evaluateHandle(`(() => {
    const dt = new DataTransfer();
    for (const f of ${list}) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    return dt;
  })()`);
}

/** Paste these files into the editor, as Ctrl+V of a screenshot does. */
async function pasteFiles(files: Array<{ name: string; type: string; bytes: Buffer }>) {
  const dt = await dataTransfer(files);
  await page.evaluate(([el, data]) => (el as { dispatchEvent(e: unknown): boolean }).dispatchEvent(new (globalThis as unknown as { ClipboardEvent: new (t: string, i: object) => unknown }).ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })), [await page.$('.ProseMirror'), dt] as const);
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp('/tmp/mw-e2e-mime-');
  smtp = await startTestSmtp({ mode: 'plain' });
  const added = await cli(['--data-dir', dataDir, '--json', 'account', 'add', 'Office', '--email', 'ana@example.test', '--display-name', 'Ana', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none']);
  accountId = JSON.parse(added.stdout).account.id;
  served = await serve(dataDir);
  browser = await launchChromium();
  page = await openApp(browser, served.url);
  await page.getByLabel('From').locator(`option[value="${accountId}"]`).waitFor({ state: 'attached' });
  await page.getByLabel('From').selectOption(accountId);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await smtp?.close();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

describe('the composer builds correct MIME', () => {
  it('a signature set in Accounts appears under the body and swaps with the From account', async () => {
    await page.getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: 'Signature of Office' }).click();
    const sig = page.getByRole('textbox', { name: 'Signature of Office' });
    await sig.click();
    await page.keyboard.type('Ana Núñez');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Acme Ltd');
    await page.getByRole('button', { name: 'Save signature' }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Signature of Office' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Compose' }).click();
    const block = page.getByLabel('Signature', { exact: true });
    await expect.poll(() => block.textContent()).toContain('Acme Ltd');
    expect(await block.textContent()).toContain('-- ');
    // The Sandbox has no signature: switching From takes it away, and back brings exactly one.
    await field('From').selectOption('sandbox');
    await expect.poll(() => block.count()).toBe(0);
    await field('From').selectOption(accountId);
    await expect.poll(() => page.getByLabel('Signature', { exact: true }).count()).toBe(1);
  });

  it('writes, pastes, inlines an image, attaches a file, previews as delivered, and sends exactly that', async () => {
    await field('To').fill('Bob <bob@example.test>, carol@example.test, ');
    await field('Subject').fill('Q3 plan — план');
    const body = page.getByLabel('Message body');
    await body.click();
    await page.keyboard.type('Hello Bob, ');
    await page.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type('the chart');
    await page.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type(' is below.');
    await page.keyboard.press('Enter');
    // A screenshot pasted from the clipboard goes into the text.
    await pasteFiles([{ name: 'chart.png', type: 'image/png', bytes: PNG }]);
    await expect.poll(() => body.locator('img').count()).toBe(1);
    expect(await body.locator('img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // A file dropped on the "Attach" zone is attached.
    const csv = randomBytes(3000);
    const dropped = await dataTransfer([{ name: 'numbers.csv', type: 'text/csv', bytes: csv }]);
    await page.locator('.composer-card').dispatchEvent('dragenter', { dataTransfer: dropped });
    await expect.poll(() => page.locator('[data-zone]').count()).toBe(1); // no image: attaching is the only choice
    await page.locator('[data-zone="attach"]').dispatchEvent('drop', { dataTransfer: dropped });
    await expect.poll(() => page.getByLabel('Attachments').textContent()).toContain('numbers.csv');
    await screenshot(page, 'composer-decorated');

    await page.getByRole('button', { name: 'Preview as delivered' }).click();
    const dialog = page.getByRole('dialog', { name: 'Preview as delivered' });
    await expect.poll(() => dialog.textContent()).toContain('numbers.csv');
    const text = await dialog.locator('.preview-text').first().textContent();
    expect(text).toMatch(/Hello Bob, the chart is below\./);
    expect(text).toMatch(/\n-- \nAna Núñez\n/);
    expect(await dialog.textContent()).toMatch(/inline · image\/png/);
    await screenshot(page, 'composer-preview-delivered');
    await dialog.getByRole('tab', { name: 'Raw source' }).click();
    expect(await dialog.locator('.preview-raw').textContent()).toMatch(/multipart\/related/i);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => smtp.received.length, { timeout: 30_000 }).toBe(1);
    const got = smtp.received[0]!;
    expect(got.to.sort()).toEqual(['bob@example.test', 'carol@example.test']);
    expect(got.parsed.subject).toBe('Q3 plan — план');
    const raw = got.raw.toString();
    expect(raw).toMatch(/multipart\/related/i);
    expect(raw).not.toContain('data:image');
    const image = got.parsed.attachments.find((a) => a.contentType === 'image/png')!;
    expect(image.content.equals(PNG)).toBe(true);
    expect(image.related).toBe(true);
    const withCids = await simpleParser(got.raw, { keepCidLinks: true });
    expect(withCids.html).toContain(`src="cid:${image.contentId!.replace(/[<>]/g, '')}"`);
    expect(got.parsed.html).toMatch(/<strong>the chart<\/strong>/);
    const file = got.parsed.attachments.find((a) => a.filename === 'numbers.csv')!;
    expect(file.content.equals(csv)).toBe(true);
    // The plain-text part is there, with the signature after its separator, and is what the preview showed.
    expect(got.parsed.text).toBe(text);
  }, 60_000);

  it('an image dropped on the composer asks: inline in the text, or attached', async () => {
    await page.getByRole('button', { name: 'Compose' }).click();
    const image = await dataTransfer([{ name: 'photo.png', type: 'image/png', bytes: PNG }]);
    await page.locator('.composer-card').dispatchEvent('dragenter', { dataTransfer: image });
    await expect.poll(() => page.locator('[data-zone]').count()).toBe(2);
    await screenshot(page, 'composer-drop-zones');
    await page.locator('[data-zone="attach"]').dispatchEvent('drop', { dataTransfer: image });
    await expect.poll(() => page.getByLabel('Attachments').textContent()).toContain('photo.png');
    expect(await page.getByLabel('Message body').locator('img').count()).toBe(0);
    await page.locator('.composer-card').dispatchEvent('dragenter', { dataTransfer: image });
    await page.locator('[data-zone="inline"]').dispatchEvent('drop', { dataTransfer: image });
    await expect.poll(() => page.getByLabel('Message body').locator('img').count()).toBe(1);
  });

  it('plain text only: the switch shows the text as it will be sent, and no HTML part leaves', async () => {
    await page.getByRole('button', { name: 'Remove photo.png' }).click();
    await field('To').fill('dave@example.test, ');
    await field('Subject').fill('Plain one');
    const body = page.getByLabel('Message body');
    await body.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type('Line one with ');
    await page.getByRole('button', { name: 'Bold' }).click();
    await page.keyboard.type('bold');
    await page.getByLabel('Send format').selectOption('plain');
    await expect.poll(() => page.getByRole('textbox', { name: 'Message body' }).inputValue()).toBe('Line one with bold');
    expect(await page.getByRole('button', { name: 'Bold' }).count()).toBe(0);
    expect(await page.getByLabel('Signature', { exact: true }).textContent()).toContain('-- \nAna Núñez');
    await screenshot(page, 'composer-plain');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => smtp.received.length, { timeout: 30_000 }).toBe(2);
    const got = smtp.received[1]!;
    expect(got.parsed.html).toBeFalsy();
    expect(got.raw.toString()).not.toMatch(/text\/html/i);
    expect(got.parsed.text).toMatch(/^Line one with bold\n\n-- \nAna Núñez\nAcme Ltd/);
  }, 60_000);
});
