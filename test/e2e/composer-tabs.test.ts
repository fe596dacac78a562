import { promises as fs } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appSession } from '../helpers/app-session';
import { savedDrafts } from '../helpers/saved-drafts';
import { screenshot } from '../helpers/browser';

// Several messages open at once: each composer is its own draft, commands go to the one in front,
// closing one keeps its draft, and one draft is never open in two composers.
const app = appSession({ name: 'tabs' });

/** The composer in front (the others stay mounted, hidden). */
const front = () => app.page.locator('section.composer:visible');
const field = (label: string) => front().getByLabel(label, { exact: true });
const tabs = () => app.page.getByRole('navigation', { name: 'Open messages' });

const drafts = async () => savedDrafts(app.dataDir);

describe('several messages open at once', () => {
  it('opens a second composer beside the first; each keeps its own message', async () => {
    await field('Subject').fill('First message');
    await app.page.keyboard.press('Alt+n');
    await expect.poll(() => tabs().getByRole('button', { name: /^(First message|New message)$/ }).count()).toBe(2);
    expect(await field('Subject').inputValue()).toBe('');
    await field('Subject').fill('Second message');
    await expect.poll(() => tabs().getByRole('button', { name: 'Second message', exact: true }).count()).toBe(1);
    await screenshot(app.page, 'composer-tabs');

    await tabs().getByRole('button', { name: 'First message', exact: true }).click();
    expect(await field('Subject').inputValue()).toBe('First message');
    await tabs().getByRole('button', { name: 'Second message', exact: true }).click();
    expect(await field('Subject').inputValue()).toBe('Second message');
    // Each is its own draft on disk.
    await expect.poll(async () => (await drafts()).map((d) => d.subject).sort(), { timeout: 10_000 }).toEqual(['First message', 'Second message']);
  });

  it('a command goes to the composer in front only', async () => {
    const file = `${app.dataDir}/only-here.txt`;
    await fs.writeFile(file, 'x');
    const chooser = app.page.waitForEvent('filechooser');
    await app.page.keyboard.press('Control+Shift+A');
    await (await chooser).setFiles(file);
    await expect.poll(() => front().getByLabel('Attachments').textContent()).toContain('only-here.txt');
    await tabs().getByRole('button', { name: 'First message', exact: true }).click();
    expect(await front().getByLabel('Attachments').count()).toBe(0);
  });

  it('a draft open in one composer is shown there, not opened a second time', async () => {
    // From the first composer, pick the second's draft in the Drafts menu.
    await front().getByText('Drafts', { exact: true }).click();
    await front().getByRole('button', { name: /Second message/ }).click();
    await expect.poll(() => field('Subject').inputValue()).toBe('Second message');
    await expect.poll(() => tabs().getByRole('button', { name: /^(First|Second) message$/ }).count()).toBe(2);
    await tabs().getByRole('button', { name: 'First message', exact: true }).click();
    expect(await field('Subject').inputValue()).toBe('First message');
  });

  it('a message sent from a second composer closes it and leaves no draft behind', async () => {
    await app.page.keyboard.press('Alt+n');
    await field('To').fill('zoe@example.test, ');
    await field('Subject').fill('Sent from the third');
    await expect.poll(async () => (await drafts()).map((d) => d.subject), { timeout: 10_000 }).toContain('Sent from the third');
    await front().getByRole('button', { name: 'Send', exact: true }).click();
    // Queued: its composer closes and the app shows the outbox.
    await expect.poll(() => tabs().getByRole('button', { name: 'Sent from the third' }).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => app.page.getByRole('heading', { level: 1, name: 'Outbox' }).isVisible()).toBe(true);
    await app.page.getByRole('button', { name: 'Compose' }).click();
    expect(await tabs().getByRole('button', { name: /^(First|Second) message$/ }).count()).toBe(2);
    // Give a late autosave every chance: the sent message must not come back as a draft.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await drafts()).map((d) => d.subject).sort()).toEqual(['First message', 'Second message']);
  });

  it('closing a composer keeps its draft; the last one open stays', async () => {
    await tabs().getByRole('button', { name: 'Close Second message' }).click();
    await expect.poll(() => tabs().count()).toBe(0); // one composer left: no list
    expect(await field('Subject').inputValue()).toBe('First message');
    await expect.poll(async () => (await drafts()).map((d) => d.subject).sort()).toEqual(['First message', 'Second message']);
    // It can be opened again from the Drafts menu, attachment and all.
    await app.page.keyboard.press('Alt+n');
    await front().getByText('Drafts', { exact: true }).click();
    await front().getByRole('button', { name: /Second message/ }).click();
    await expect.poll(() => field('Subject').inputValue()).toBe('Second message');
    await expect.poll(() => front().getByLabel('Attachments').textContent()).toContain('only-here.txt');
  });
});
