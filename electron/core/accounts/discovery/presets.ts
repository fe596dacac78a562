import type { Security } from '../../../../shared/model/account';

export interface ProviderPreset {
  name: string;
  domains: string[];
  /** MX host suffixes that reveal this provider behind a custom domain */
  mx: string[];
  host: string;
  port: number;
  security: Security;
  username: 'email' | 'localpart';
  notes: string[];
  /** The OAuth2 sign-in this provider offers (accounts/auth/oauth-presets.ts). */
  signIn?: 'microsoft' | 'google';
}

const APP_PASSWORD = 'Needs an app password when two-step verification is on (the normal password is refused for SMTP).';

/** Built-in settings for the providers most people use, with what their users trip over. */
export const PRESETS: ProviderPreset[] = [
  { name: 'Gmail', domains: ['gmail.com', 'googlemail.com'], mx: ['google.com', 'googlemail.com'], host: 'smtp.gmail.com', port: 465, security: 'tls', username: 'email', signIn: 'google', notes: ['Sign in with Google, or use an app password (needs two-step verification; the normal password is refused for SMTP).', 'Google Workspace domains use the same server.'] },
  { name: 'Outlook / Microsoft 365', domains: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com'], mx: ['mail.protection.outlook.com', 'olc.protection.outlook.com'], host: 'smtp-mail.outlook.com', port: 587, security: 'starttls', username: 'email', signIn: 'microsoft', notes: ['Sign in with Microsoft: Outlook.com takes no password for SMTP since September 2024, and Microsoft 365 turns it off at the end of 2026.', 'Microsoft 365 work accounts use smtp.office365.com.'] },
  { name: 'Yahoo', domains: ['yahoo.com', 'ymail.com', 'rocketmail.com'], mx: ['yahoodns.net'], host: 'smtp.mail.yahoo.com', port: 465, security: 'tls', username: 'email', notes: [APP_PASSWORD] },
  { name: 'iCloud', domains: ['icloud.com', 'me.com', 'mac.com'], mx: ['mail.icloud.com'], host: 'smtp.mail.me.com', port: 587, security: 'starttls', username: 'email', notes: ['Needs an app-specific password from appleid.apple.com.'] },
  { name: 'Fastmail', domains: ['fastmail.com', 'fastmail.fm'], mx: ['messagingengine.com'], host: 'smtp.fastmail.com', port: 465, security: 'tls', username: 'email', notes: ['Needs an app password (Settings → Privacy & Security).'] },
  { name: 'Zoho', domains: ['zoho.com', 'zohomail.com'], mx: ['zoho.com', 'zoho.eu'], host: 'smtp.zoho.com', port: 465, security: 'tls', username: 'email', notes: ['Accounts in the EU data centre use smtp.zoho.eu.'] },
  { name: 'GMX', domains: ['gmx.com', 'gmx.net', 'gmx.de'], mx: ['gmx.net', 'gmx.com'], host: 'mail.gmx.com', port: 587, security: 'starttls', username: 'email', notes: ['SMTP access must be enabled in the GMX web settings (POP3/IMAP access).'] },
  { name: 'Yandex', domains: ['yandex.ru', 'yandex.com', 'ya.ru'], mx: ['yandex.ru', 'yandex.net'], host: 'smtp.yandex.ru', port: 465, security: 'tls', username: 'email', notes: [APP_PASSWORD, 'Allow mail clients in Yandex Mail settings first.'] },
  { name: 'Mail.ru', domains: ['mail.ru', 'inbox.ru', 'list.ru', 'bk.ru'], mx: ['mail.ru'], host: 'smtp.mail.ru', port: 465, security: 'tls', username: 'email', notes: ['Needs a password for external apps (Settings → Security).'] },
  { name: 'Proton Mail (Bridge)', domains: ['proton.me', 'protonmail.com', 'pm.me'], mx: ['protonmail.ch'], host: '127.0.0.1', port: 1025, security: 'starttls', username: 'email', notes: ['Proton Mail Bridge must be running; use the Bridge password it shows, and pin its self-signed certificate.'] },
];

export const presetForDomain = (domain: string) => PRESETS.find((p) => p.domains.includes(domain.toLowerCase()));
export const presetForMx = (mxHost: string) => {
  const host = mxHost.toLowerCase().replace(/\.$/, '');
  return PRESETS.find((p) => p.mx.some((suffix) => host === suffix || host.endsWith(`.${suffix}`)));
};
