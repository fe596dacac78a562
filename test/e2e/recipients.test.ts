import { describe, expect, it } from 'vitest';
import { appSession } from '../helpers/app-session';
import { screenshot } from '../helpers/browser';
import { recipientChips } from '../helpers/recipients';

// Recipients as chips in Chromium through the real `mailwright serve`: a pasted list becomes
// chips, a bad one is marked with its reason, the keyboard removes and picks, and the people a
// message went to are offered again in the next one — and exactly the intended people get mail.
const app = appSession({ name: 'recipients', smtp: {}, email: 'ana.sender@example.test', settings: { undoSeconds: 0 } }); // no undo window to wait out

const to = () => app.page.getByLabel('To', { exact: true });
const chip = (label: string, value: string) => app.page.getByRole('list', { name: `${label} recipients` }).locator(`li[data-value="${value.replace(/"/g, '\\"')}"]`);
/** The accessible description of an element: the text of what its aria-describedby points at. */
const description = (el: ReturnType<typeof chip>) => el.getByRole('button').first().evaluate((b) => (b.getAttribute('aria-describedby') ?? '').split(' ').map((id: string) => b.ownerDocument.getElementById(id)?.textContent ?? '').join(' ').trim());

/** Paste into To as the browser does: a paste event carrying text/plain (a string, as this file has no DOM types). */
const paste = (text: string) =>
  app.page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/plain', ${JSON.stringify(text)});
    document.querySelector('input[role=combobox]').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  })()`);

describe('recipient chips in Chromium', () => {
  it('a pasted list becomes chips, the bad one marked with its reason; Backspace removes; exactly the good ones get the message', async () => {
    await to().click();
    await paste('Ana Núñez <ana@example.test>, "Doe, John" <john@example.test>; sam smith@example.test\nzoe@bücher.de');
    await expect.poll(() => recipientChips(app.page, 'To')).toEqual(['Ana Núñez <ana@example.test>', '"Doe, John" <john@example.test>', 'sam smith@example.test', 'zoe@bücher.de']);
    expect(await to().inputValue()).toBe('');

    // Only the typo is marked, and its reason is its accessible description.
    const bad = chip('To', 'sam smith@example.test');
    expect(await bad.getAttribute('data-invalid')).toBe('true');
    expect(await app.page.locator('li[data-invalid]').count()).toBe(1);
    expect(await description(bad)).toBe('has a space — put a name in quotes before <smith@example.test>');
    expect(await bad.getByRole('button').first().getAttribute('aria-label')).toBe('sam smith@example.test, not valid');
    // A good chip shows the name and carries the full address.
    expect(await chip('To', '"Doe, John" <john@example.test>').getByRole('button').first().textContent()).toBe('Doe, John');
    expect(await chip('To', '"Doe, John" <john@example.test>').getByRole('button').first().getAttribute('aria-label')).toBe('"Doe, John" <john@example.test>');

    // Backspace in the empty input selects the last chip, a second one removes it.
    await to().press('Backspace');
    expect(await chip('To', 'zoe@bücher.de').getByRole('button').first().evaluate((b) => b === b.ownerDocument.activeElement)).toBe(true);
    await app.page.keyboard.press('Backspace');
    await expect.poll(() => recipientChips(app.page, 'To')).toEqual(['Ana Núñez <ana@example.test>', '"Doe, John" <john@example.test>', 'sam smith@example.test']);
    await expect.poll(() => to().evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    // The bad one is fixed in place: Enter on it puts it back in the input.
    await to().press('ArrowLeft');
    await app.page.keyboard.press('Enter');
    expect(await to().inputValue()).toBe('sam smith@example.test');
    await to().fill('"Sam Smith" <sam@example.test>');
    await to().press('Enter');
    await expect.poll(() => recipientChips(app.page, 'To')).toEqual(['Ana Núñez <ana@example.test>', '"Doe, John" <john@example.test>', '"Sam Smith" <sam@example.test>']);
    expect(await app.page.locator('li[data-invalid]').count()).toBe(0);

    await app.page.getByLabel('Subject', { exact: true }).fill('Chips');
    await app.page.getByLabel('Message body').click();
    await app.page.keyboard.type('Hello all three of you');
    await app.page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => app.smtp!.received.length, { timeout: 20_000 }).toBe(1);
    const got = app.smtp!.received[0]!;
    expect(got.to).toEqual(['ana@example.test', 'john@example.test', 'sam@example.test']);
    expect(got.parsed.to && !Array.isArray(got.parsed.to) ? got.parsed.to.value : []).toEqual([
      { name: 'Ana Núñez', address: 'ana@example.test' },
      { name: 'Doe, John', address: 'john@example.test' },
      { name: 'Sam Smith', address: 'sam@example.test' },
    ]);
  }, 60_000);

  it('offers recent recipients as the first letters of a name are typed; Enter picks; the server gets exactly them', async () => {
    await app.page.getByRole('button', { name: 'Compose' }).click();
    await expect.poll(() => recipientChips(app.page, 'To')).toEqual([]);
    const list = app.page.getByRole('listbox', { name: 'Recent recipients for To' });
    await to().pressSequentially('doe');
    await expect.poll(() => list.getByRole('option').allTextContents()).toEqual(['Doe, Johnjohn@example.test']);
    await to().press('Enter');
    await expect.poll(() => recipientChips(app.page, 'To')).toEqual(['"Doe, John" <john@example.test>']);
    expect(await list.isVisible()).toBe(false);
    // A bad address typed and committed with a comma stays marked while the next one is typed.
    await to().pressSequentially('dave@-bad.test,');
    await expect.poll(() => app.page.locator('li[data-invalid]').count()).toBe(1);
    await to().pressSequentially('nun'); // no accent typed: "Núñez" still matches
    await expect.poll(() => list.getByRole('option').allTextContents()).toEqual(['Ana Núñezana@example.test']);
    expect(await to().getAttribute('aria-expanded')).toBe('true');
    expect(await to().getAttribute('aria-activedescendant')).toBe(await list.getByRole('option').first().getAttribute('id'));
    await chip('To', 'dave@-bad.test').getByRole('button').first().hover(); // the reason shows on hover; the input keeps focus
    await expect.poll(() => app.page.locator('.recipient-chip-reason').isVisible()).toBe(true);
    await screenshot(app.page, '30-recipients-chips-invalid-suggestions');
    await to().press('Enter');
    await expect.poll(() => recipientChips(app.page, 'To')).toEqual(['"Doe, John" <john@example.test>', 'dave@-bad.test', 'Ana Núñez <ana@example.test>']);
    await chip('To', 'dave@-bad.test').getByRole('button', { name: 'Remove dave@-bad.test' }).click();

    // An open quote is not a recipient yet: it stays in the input instead of swallowing what follows.
    await to().pressSequentially('"Doe,');
    expect(await to().inputValue()).toBe('"Doe,');
    await to().pressSequentially(' Jane" <jane@example.test>,');
    await expect.poll(() => recipientChips(app.page, 'To')).toEqual(['"Doe, John" <john@example.test>', 'Ana Núñez <ana@example.test>', '"Doe, Jane" <jane@example.test>']);
    await chip('To', '"Doe, Jane" <jane@example.test>').getByRole('button', { name: /^Remove / }).click();

    await app.page.getByLabel('Subject', { exact: true }).fill('Picked');
    await app.page.getByLabel('Message body').click();
    await app.page.keyboard.type('Picked from the list');
    await app.page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => app.smtp!.received.length, { timeout: 20_000 }).toBe(2);
    const got = app.smtp!.received[1]!;
    expect(got.to).toEqual(['john@example.test', 'ana@example.test']);
    expect(got.parsed.subject).toBe('Picked');
  }, 60_000);

  it('a blind copy is shown apart, labelled Bcc, in the outbox and in the preview as delivered: never among the recipients', async () => {
    await app.page.getByRole('button', { name: 'Compose' }).click();
    await to().fill('carol@example.test,');
    if (await app.page.getByRole('button', { name: 'Cc / Bcc' }).count()) await app.page.getByRole('button', { name: 'Cc / Bcc' }).click();
    await app.page.getByLabel('Bcc', { exact: true }).fill('secret-bcc@example.org,');
    await app.page.getByLabel('Subject', { exact: true }).fill('With a blind copy');
    await app.page.getByLabel('Message body').click();
    await app.page.keyboard.type('Hello');
    await app.page.getByRole('button', { name: 'Preview as delivered' }).click();
    const preview = app.page.getByRole('dialog');
    await expect.poll(() => preview.locator('.preview-header .muted').first().textContent()).toMatch(/to carol@example\.test · Bcc: secret-bcc@example\.org · /);
    await app.page.keyboard.press('Escape');
    await app.page.getByRole('button', { name: 'Send', exact: true }).click();
    const row = app.page.getByRole('listitem', { name: /With a blind copy/ });
    await expect.poll(() => row.locator('.outbox-meta').textContent(), { timeout: 20_000 }).toMatch(/^to carol@example\.test · Bcc: secret-bcc@example\.org · via Office · /);
    await screenshot(app.page, '31-outbox-bcc-apart');
  }, 60_000);
});
