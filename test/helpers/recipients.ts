import type { Page } from 'playwright-core';

/** The recipients of a composer field (To, Cc, Bcc, Reply-To) as its chips hold them, in order. */
export function recipientChips(page: Page, label: string): Promise<string[]> {
  return page
    .getByRole('list', { name: `${label} recipients` })
    .getByRole('listitem')
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-value') ?? ''));
}

/** Empty a recipient field the way a person would: each chip's remove button, and nothing left typed. */
export async function clearRecipients(page: Page, label: string): Promise<void> {
  const list = page.getByRole('list', { name: `${label} recipients` });
  while (await list.getByRole('button', { name: /^Remove / }).count()) await list.getByRole('button', { name: /^Remove / }).first().click();
  await page.getByLabel(label, { exact: true }).fill('');
}
