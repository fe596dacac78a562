import { describe, expect, it } from 'vitest';
import { appSession } from '../helpers/app-session';

// A desktop app's keyboard habits: each command leaves the keyboard where a person expects it,
// the formatting toolbar is one Tab stop, and typing after a link writes plain text.
const session = appSession({ name: 'focus', settings: { undoSeconds: 30 } });

const page = () => session.page;
const composer = () => page().locator('section.composer:visible');
const field = (label: string) => composer().getByLabel(label, { exact: true });
/** What has the keyboard: its accessible name as a person would read it, or its tag. */
const focusedName = () =>
  page().evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    const labelled = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null);
    return (labelled ?? el.textContent ?? el.tagName).trim();
  });

describe('where the keyboard goes', () => {
  it('the page opens with the keyboard in To', async () => {
    await expect.poll(focusedName).toBe('To');
  });

  it('Tab from the subject reaches the body past the whole toolbar in one stop; arrows move inside it', async () => {
    await field('Subject').focus();
    await page().keyboard.press('Tab');
    expect(await focusedName()).toBe('Paragraph style');
    await page().keyboard.press('Tab');
    expect(await focusedName()).toBe('Message body');
    await page().keyboard.press('Shift+Tab');
    expect(await focusedName()).toBe('Paragraph style');
    await page().keyboard.press('ArrowRight');
    expect(await focusedName()).toBe('Bold');
    await page().keyboard.press('ArrowRight');
    expect(await focusedName()).toBe('Italic');
    await page().keyboard.press('End');
    // Undo and Redo are disabled in an empty editor: the last control that can be used.
    expect(await focusedName()).toBe('Link');
    await page().keyboard.press('Home');
    expect(await focusedName()).toBe('Paragraph style');
    await page().keyboard.press('ArrowLeft');
    expect(await focusedName()).toBe('Link');
    // The toolbar remembers: Tab out and back lands on the control used last.
    await page().keyboard.press('Tab');
    expect(await focusedName()).toBe('Message body');
    await page().keyboard.press('Shift+Tab');
    expect(await focusedName()).toBe('Link');
  });

  it('Enter on "Cc / Bcc" shows the fields and puts the keyboard in Cc', async () => {
    await composer().getByRole('button', { name: 'Cc / Bcc' }).focus();
    await page().keyboard.press('Enter');
    await expect.poll(focusedName).toBe('Cc');
  });

  it('Ctrl+2 puts the keyboard on the Outbox heading, Ctrl+1 back in the composer’s first empty field', async () => {
    await page().keyboard.press('Control+2');
    await expect.poll(focusedName).toBe('Outbox');
    await page().keyboard.press('Control+1');
    await expect.poll(focusedName).toBe('To');
    await field('To').fill('bob@example.test');
    await page().keyboard.press('Control+5');
    await expect.poll(focusedName).toBe('Accounts');
    await page().keyboard.press('Control+1');
    await expect.poll(focusedName).toBe('Subject');
  });

  it('Alt+N opens a new message with the keyboard in its To', async () => {
    await page().keyboard.press('Alt+n');
    await expect.poll(() => field('To').inputValue()).toBe('');
    await expect.poll(focusedName).toBe('To');
    const open = page().getByRole('navigation', { name: 'Open messages' });
    await open.getByRole('button', { name: 'Close New message' }).last().click();
  });

  it('typing right after a link writes plain text', async () => {
    const body = composer().getByRole('textbox', { name: 'Message body' });
    const keys = async (key: string, times: number) => {
      for (let i = 0; i < times; i++) await page().keyboard.press(key);
    };
    /** A fresh body "Read the note today" with "note" a link. */
    const linked = async () => {
      await body.click();
      await page().keyboard.press('Control+a');
      await page().keyboard.press('Delete');
      await page().keyboard.type('Read the note today');
      await page().keyboard.press('Home');
      await keys('ArrowRight', 'Read the '.length);
      await keys('Shift+ArrowRight', 'note'.length);
      await composer().getByRole('button', { name: 'Link' }).click();
      await composer().getByLabel('Link address').fill('https://example.com/note');
      await page().keyboard.press('Enter');
      await expect.poll(() => body.locator('a').textContent()).toBe('note');
      // The address row has closed and given the keyboard back to the text, at once: the keys
      // below follow without a pause, as a person's do.
      expect(await focusedName()).toBe('Message body');
    };

    // Clicked at the link's end, as a person goes back to add to a word…
    await linked();
    const box = (await body.locator('a').boundingBox())!;
    await page().mouse.click(box.x + box.width - 1, box.y + box.height / 2);
    await page().keyboard.type('s');
    await expect.poll(() => body.textContent(), { message: 'typed after a click at the link’s end' }).toBe('Read the notes today');
    expect(await body.locator('a').textContent()).toBe('note');

    // …or arrived there with the arrow keys, from inside the link. (From the line's end: Home
    // within 200 ms of focusing is taken back by ProseMirror, which reads a caret at the very start
    // then as the browser's reset, not the person's key.)
    await linked();
    await page().keyboard.press('End');
    await keys('ArrowLeft', ' today'.length + 1);
    await page().keyboard.press('ArrowRight');
    await page().keyboard.type('s');
    await expect.poll(() => body.textContent(), { message: 'typed after arrowing to the link’s end' }).toBe('Read the notes today');
    expect(await body.locator('a').textContent()).toBe('note');
  });

  it('after Send the keyboard is on the toast’s Undo: Enter takes the message back into the composer', async () => {
    await field('Subject').fill('Keyboard only');
    await page().keyboard.press('Control+Enter');
    const undo = page().getByRole('status', { name: 'Message status' }).getByRole('button', { name: 'Undo' });
    await expect.poll(() => undo.isVisible()).toBe(true);
    await expect.poll(focusedName).toBe('Undo');
    await page().keyboard.press('Enter');
    await expect.poll(() => field('Subject').inputValue()).toBe('Keyboard only');
    // To and Subject are filled: the keyboard goes on to the text.
    await expect.poll(focusedName).toBe('Message body');
  });
});

describe('the first screen', () => {
  it('says what to do first while only the Sandbox is there, and leads to adding an account', async () => {
    await page().keyboard.press('Control+1');
    const line = page().locator('.first-steps:visible');
    await expect.poll(() => line.textContent()).toMatch(/^To start, send a test message: the Sandbox catches it/);
    await line.getByRole('button', { name: 'Add an account' }).click();
    await expect.poll(focusedName).toBe('Accounts');
  });
});
