import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { appSession } from '../helpers/app-session';
import { screenshot } from '../helpers/browser';

// The composer's promise: what is written, pasted into and decorated arrives as clean, correct
// MIME, and the preview shows exactly that before it leaves. Chromium through `mailwright serve`,
// a real SMTP server on loopback, the received bytes parsed.
const app = appSession({ name: 'mime', smtp: {} });

const field = (label: string) => app.page.getByLabel(label, { exact: true });
// A 4×4 red PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEklEQVR4nGP4z8AARwzEcQEAq1YF+7Jm4t4AAAAASUVORK5CYII=', 'base64');

/** Files handed to the page the way a paste or a drop hands them (a DataTransfer holding File objects). */
async function dataTransfer(files: Array<{ name: string; type: string; bytes: Buffer }>) {
  // Page code as text: the test's own TypeScript has no DOM types.
  const list = JSON.stringify(files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString('base64') })));
  return app.page.evaluateHandle(`(() => {
    const dt = new DataTransfer();
    for (const f of ${list}) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    return dt;
  })()`);
}

/** Paste these files into the editor, as Ctrl+V of a screenshot does. */
async function pasteFiles(files: Array<{ name: string; type: string; bytes: Buffer }>) {
  const dt = await dataTransfer(files);
  await app.page.evaluate(([el, data]) => (el as { dispatchEvent(e: unknown): boolean }).dispatchEvent(new (globalThis as unknown as { ClipboardEvent: new (t: string, i: object) => unknown }).ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })), [await app.page.$('.ProseMirror'), dt] as const);
}

describe('the composer builds correct MIME', () => {
  it('a signature set in Accounts appears under the body and swaps with the From account', async () => {
    await app.page.getByRole('button', { name: 'Accounts' }).click();
    await app.page.getByRole('button', { name: 'Signature of Office' }).click();
    const sig = app.page.getByRole('textbox', { name: 'Signature of Office' });
    await sig.click();
    await app.page.keyboard.type('Ana Núñez');
    await app.page.keyboard.press('Enter');
    // The message toolbar serves the signature too (without headings and colours, which it lacks).
    const sigTools = app.page.getByRole('group', { name: 'Signature of Office' });
    expect(await sigTools.getByLabel('Paragraph style').count()).toBe(0);
    await sigTools.getByRole('button', { name: 'Bold' }).click();
    await app.page.keyboard.type('Acme Ltd');
    await app.page.getByRole('button', { name: 'Save signature' }).click();
    await expect.poll(() => app.page.getByRole('group', { name: 'Signature of Office' }).count()).toBe(0);
    await app.page.getByRole('button', { name: 'Compose' }).click();
    const block = app.page.getByLabel('Signature', { exact: true });
    await expect.poll(() => block.textContent()).toContain('Acme Ltd');
    expect(await block.textContent()).toContain('-- ');
    // The Sandbox has no signature: switching From takes it away, and back brings exactly one.
    await field('From').selectOption('sandbox');
    await expect.poll(() => block.count()).toBe(0);
    await field('From').selectOption(app.accountId!);
    await expect.poll(() => app.page.getByLabel('Signature', { exact: true }).count()).toBe(1);
  });

  it('writes, pastes, inlines an image, attaches a file, previews as delivered, and sends exactly that', async () => {
    await field('To').fill('Bob <bob@example.test>, carol@example.test, ');
    await field('Subject').fill('Q3 plan — план');
    const body = app.page.getByLabel('Message body');
    await body.click();
    await app.page.keyboard.type('Hello Bob, ');
    await app.page.getByRole('button', { name: 'Bold' }).click();
    await app.page.keyboard.type('the chart');
    await app.page.getByRole('button', { name: 'Bold' }).click();
    await app.page.keyboard.type(' is ');
    await app.page.getByLabel('Text colour').selectOption('red');
    await app.page.keyboard.type('below');
    await app.page.getByLabel('Text colour').selectOption('');
    await app.page.keyboard.type('.');
    await app.page.keyboard.press('Enter');
    // A screenshot pasted from the clipboard goes into the text.
    await pasteFiles([{ name: 'chart.png', type: 'image/png', bytes: PNG }]);
    await expect.poll(() => body.locator('img').count()).toBe(1);
    expect(await body.locator('img').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    // A file dropped on the "Attach" zone is attached.
    const csv = randomBytes(3000);
    const dropped = await dataTransfer([{ name: 'numbers.csv', type: 'text/csv', bytes: csv }]);
    await app.page.locator('.composer-card').dispatchEvent('dragenter', { dataTransfer: dropped });
    await expect.poll(() => app.page.locator('[data-zone]').count()).toBe(1); // no image: attaching is the only choice
    await app.page.locator('[data-zone="attach"]').dispatchEvent('drop', { dataTransfer: dropped });
    await expect.poll(() => app.page.getByLabel('Attachments').textContent()).toContain('numbers.csv');
    await screenshot(app.page, 'composer-decorated');

    await app.page.getByRole('button', { name: 'Preview as delivered' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Preview as delivered' });
    await expect.poll(() => dialog.textContent()).toContain('numbers.csv');
    const text = await dialog.locator('.preview-text').first().textContent();
    expect(text).toMatch(/Hello Bob, the chart is below\./);
    expect(text).toMatch(/\n-- \nAna Núñez\n/);
    expect(await dialog.textContent()).toMatch(/inline · image\/png/);
    await screenshot(app.page, 'composer-preview-delivered');
    await dialog.getByRole('tab', { name: 'Raw source' }).click();
    expect(await dialog.locator('.preview-raw').textContent()).toMatch(/multipart\/related/i);
    await app.page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    await app.page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => app.smtp!.received.length, { timeout: 30_000 }).toBe(1);
    const got = app.smtp!.received[0]!;
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
    expect(got.parsed.html).toMatch(/<div class="mailwright-signature"><p>-- <\/p><p>Ana Núñez<\/p><p><strong>Acme Ltd<\/strong><\/p><\/div>/);
    expect(got.parsed.html).toMatch(/<span style="color: (#c0392b|rgb\(192, 57, 43\));?">below<\/span>\./);
    const file = got.parsed.attachments.find((a) => a.filename === 'numbers.csv')!;
    expect(file.content.equals(csv)).toBe(true);
    // The plain-text part is there, with the signature after its separator, and is what the preview showed.
    expect(got.parsed.text).toBe(text);
  }, 60_000);

  it('an image dropped on the composer asks: inline in the text, or attached', async () => {
    await app.page.getByRole('button', { name: 'Compose' }).click();
    const image = await dataTransfer([{ name: 'photo.png', type: 'image/png', bytes: PNG }]);
    await app.page.locator('.composer-card').dispatchEvent('dragenter', { dataTransfer: image });
    await expect.poll(() => app.page.locator('[data-zone]').count()).toBe(2);
    await screenshot(app.page, 'composer-drop-zones');
    await app.page.locator('[data-zone="attach"]').dispatchEvent('drop', { dataTransfer: image });
    await expect.poll(() => app.page.getByLabel('Attachments').textContent()).toContain('photo.png');
    expect(await app.page.getByLabel('Message body').locator('img').count()).toBe(0);
    await app.page.locator('.composer-card').dispatchEvent('dragenter', { dataTransfer: image });
    await app.page.locator('[data-zone="inline"]').dispatchEvent('drop', { dataTransfer: image });
    await expect.poll(() => app.page.getByLabel('Message body').locator('img').count()).toBe(1);
  });

  it('an invalid recipient stops the message before it leaves, and the fix goes to the field', async () => {
    await app.page.getByRole('button', { name: 'Compose' }).click();
    await field('To').fill('dave@example.test, bob@, ');
    await field('Subject').fill('Check');
    await app.page.getByRole('button', { name: 'Send', exact: true }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Before sending' });
    await expect.poll(() => dialog.textContent()).toContain('Not valid email addresses: bob@.');
    expect(await dialog.getByRole('button', { name: 'Send anyway' }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Correct them' }).click();
    await expect.poll(() => app.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe(await field('To').getAttribute('id'));
    await app.page.getByRole('button', { name: 'Remove bob@' }).click();
    expect(app.smtp!.received).toHaveLength(1);
  });

  it('plain text only: the switch shows the text as it will be sent, and no HTML part leaves', async () => {
    await app.page.getByRole('button', { name: 'Remove photo.png' }).click();
    await field('To').fill('dave@example.test, ');
    await field('Subject').fill('Plain one');
    const body = app.page.getByLabel('Message body');
    await body.click();
    await app.page.keyboard.press('Control+a');
    await app.page.keyboard.press('Delete');
    await app.page.keyboard.type('Line one with ');
    await app.page.getByRole('button', { name: 'Bold' }).click();
    await app.page.keyboard.type('bold');
    await app.page.getByLabel('Send format').selectOption('plain');
    await expect.poll(() => app.page.getByRole('textbox', { name: 'Message body' }).inputValue()).toBe('Line one with bold');
    expect(await app.page.getByRole('button', { name: 'Bold' }).count()).toBe(0);
    // The text version comes from main's converter, a moment later.
    await expect.poll(() => app.page.getByLabel('Signature', { exact: true }).textContent()).toContain('-- \nAna Núñez\nAcme Ltd');
    await screenshot(app.page, 'composer-plain');
    await app.page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => app.smtp!.received.length, { timeout: 30_000 }).toBe(2);
    const got = app.smtp!.received[1]!;
    expect(got.parsed.html).toBeFalsy();
    expect(got.raw.toString()).not.toMatch(/text\/html/i);
    expect(got.parsed.text).toMatch(/^Line one with bold\n\n-- \nAna Núñez\nAcme Ltd/);
  }, 60_000);
});
