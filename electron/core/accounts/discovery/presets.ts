import type { Phrase } from '../../../../shared/errors';
import { code, phrase } from '../../../../shared/i18n/errors/phrase';
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
  notes: Phrase[];
  /** The OAuth2 sign-in this provider offers (accounts/auth/oauth-presets.ts). */
  signIn?: 'microsoft' | 'google';
}

/** A note in the catalogue (preset.note.*), said in the window's language; the command line prints its English. */
const note = (name: 'appPassword' | 'gmail' | 'googleWorkspace' | 'microsoft' | 'fastmail' | 'gmx' | 'yandex' | 'mailru' | 'proton'): Phrase => phrase(`preset.note.${name}`);
const APP_PASSWORD = note('appPassword');

/** Built-in settings for the providers most people use, with what their users trip over. */
export const PRESETS: ProviderPreset[] = [
  { name: 'Gmail', domains: ['gmail.com', 'googlemail.com'], mx: ['google.com', 'googlemail.com'], host: 'smtp.gmail.com', port: 465, security: 'tls', username: 'email', signIn: 'google', notes: [note('gmail'), note('googleWorkspace')] },
  { name: 'Outlook / Microsoft 365', domains: ['outlook.com', 'hotmail.com', 'live.com', 'msn.com'], mx: ['mail.protection.outlook.com', 'olc.protection.outlook.com'], host: 'smtp-mail.outlook.com', port: 587, security: 'starttls', username: 'email', signIn: 'microsoft', notes: [note('microsoft'), phrase('preset.note.microsoft365', { host: code('smtp.office365.com') })] },
  { name: 'Yahoo', domains: ['yahoo.com', 'ymail.com', 'rocketmail.com'], mx: ['yahoodns.net'], host: 'smtp.mail.yahoo.com', port: 465, security: 'tls', username: 'email', notes: [APP_PASSWORD] },
  { name: 'iCloud', domains: ['icloud.com', 'me.com', 'mac.com'], mx: ['mail.icloud.com'], host: 'smtp.mail.me.com', port: 587, security: 'starttls', username: 'email', notes: [phrase('preset.note.icloud', { site: code('appleid.apple.com') })] },
  { name: 'Fastmail', domains: ['fastmail.com', 'fastmail.fm'], mx: ['messagingengine.com'], host: 'smtp.fastmail.com', port: 465, security: 'tls', username: 'email', notes: [note('fastmail')] },
  { name: 'Zoho', domains: ['zoho.com', 'zohomail.com'], mx: ['zoho.com', 'zoho.eu'], host: 'smtp.zoho.com', port: 465, security: 'tls', username: 'email', notes: [phrase('preset.note.zohoEu', { host: code('smtp.zoho.eu') })] },
  { name: 'GMX', domains: ['gmx.com', 'gmx.net', 'gmx.de'], mx: ['gmx.net', 'gmx.com'], host: 'mail.gmx.com', port: 587, security: 'starttls', username: 'email', notes: [note('gmx')] },
  { name: 'Yandex', domains: ['yandex.ru', 'yandex.com', 'ya.ru'], mx: ['yandex.ru', 'yandex.net'], host: 'smtp.yandex.ru', port: 465, security: 'tls', username: 'email', notes: [APP_PASSWORD, note('yandex')] },
  { name: 'Mail.ru', domains: ['mail.ru', 'inbox.ru', 'list.ru', 'bk.ru'], mx: ['mail.ru'], host: 'smtp.mail.ru', port: 465, security: 'tls', username: 'email', notes: [note('mailru')] },
  { name: 'Proton Mail (Bridge)', domains: ['proton.me', 'protonmail.com', 'pm.me'], mx: ['protonmail.ch'], host: '127.0.0.1', port: 1025, security: 'starttls', username: 'email', notes: [note('proton')] },
];

export const presetForDomain = (domain: string) => PRESETS.find((p) => p.domains.includes(domain.toLowerCase()));
export const presetForMx = (mxHost: string) => {
  const host = mxHost.toLowerCase().replace(/\.$/, '');
  return PRESETS.find((p) => p.mx.some((suffix) => host === suffix || host.endsWith(`.${suffix}`)));
};
