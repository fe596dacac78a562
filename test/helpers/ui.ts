import type { Page } from 'playwright-core';

export interface AccountFields {
  name: string;
  displayName?: string;
  email: string;
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  user?: string;
  password?: string;
  fingerprint?: string;
}

/** Fill the "Add account" form the way a person would (the form must be open); does not submit. */
export async function fillAccountForm(page: Page, f: AccountFields) {
  const form = page.getByRole('form', { name: 'Add account' });
  await form.getByLabel('Account name').fill(f.name);
  if (f.displayName) await form.getByLabel('Your name').fill(f.displayName);
  await form.getByLabel('Email address').fill(f.email);
  await form.getByLabel('SMTP server').fill(f.host);
  await form.getByLabel('Port').fill(String(f.port));
  await form.getByLabel('Security').selectOption(f.security);
  if (f.user) await form.getByLabel('User name').fill(f.user);
  if (f.password) await form.getByLabel('Password').fill(f.password);
  if (f.fingerprint) await form.getByLabel(/Trusted certificate/).fill(f.fingerprint);
  return form;
}
