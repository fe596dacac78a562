import type { OAuthProvider, Security } from '../../../../shared/model/account';
import { phrase } from '../../../../shared/i18n/errors/phrase';
import { invalidInput } from '../../errors';

/**
 * Sign-in presets, checked against the providers' documentation (December 2026):
 * - Microsoft identity platform v2.0 ("Authenticate an IMAP, POP or SMTP connection using
 *   OAuth"): the multi-tenant issuer (personal and work accounts), the scope
 *   https://outlook.office.com/SMTP.Send with offline_access for a refresh token, PKCE, public
 *   clients without a secret. Its portal registers loopback redirects as http://localhost and
 *   ignores the port when matching (a 127.0.0.1 one needs an edit of the app manifest).
 * - Google ("OAuth 2.0 for iOS & Desktop Apps", "XOAUTH2"): the scope https://mail.google.com/,
 *   a loopback redirect on 127.0.0.1 with any port, access_type=offline and prompt=consent for a
 *   refresh token, and the desktop client's secret, which Google requires at its token endpoint
 *   though it does not treat it as confidential.
 */
export interface OAuthPreset {
  id: Exclude<OAuthProvider, 'issuer'>;
  issuer: string;
  scopes: string[];
  /** Extra parameters of the authorization request. */
  authorizationParams: Record<string, string>;
  /** The redirect URI's host; the listener is on the loopback interface either way. */
  redirectHost: 'localhost' | '127.0.0.1';
  /** The provider's token endpoint wants the (non-confidential) client secret of a desktop client. */
  clientSecret: 'required' | 'none';
  /** The provider's submission server for an address, when the command line is not told one. */
  smtp: (email: string) => { host: string; port: number; security: Security };
}

const OPENID = ['openid', 'email', 'profile'];
const CONSUMER_MICROSOFT = ['outlook.com', 'hotmail.com', 'live.com', 'msn.com'];

export const OAUTH_PRESETS: Record<OAuthPreset['id'], OAuthPreset> = {
  microsoft: {
    id: 'microsoft',
    issuer: 'https://login.microsoftonline.com/common/v2.0',
    scopes: ['https://outlook.office.com/SMTP.Send', 'offline_access', ...OPENID],
    authorizationParams: { prompt: 'select_account' },
    redirectHost: 'localhost',
    clientSecret: 'none',
    smtp: (email) => ({ host: CONSUMER_MICROSOFT.includes(email.split('@')[1]?.toLowerCase() ?? '') ? 'smtp-mail.outlook.com' : 'smtp.office365.com', port: 587, security: 'starttls' }),
  },
  google: {
    id: 'google',
    issuer: 'https://accounts.google.com',
    scopes: ['https://mail.google.com/', ...OPENID],
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    redirectHost: '127.0.0.1',
    clientSecret: 'required',
    smtp: () => ({ host: 'smtp.gmail.com', port: 587, security: 'starttls' }),
  },
};

/** Microsoft's issuers: the multi-tenant one, or a tenant's own (a single-tenant app registration). */
const MICROSOFT_ISSUER = /^https:\/\/login\.microsoftonline\.com\/[A-Za-z0-9.-]{1,100}\/v2\.0$/;

/**
 * The preset a sign-in is, by its provider and issuer. A preset's own issuer is the only one its
 * app registration (from the environment or settings.json, its client secret included) ever goes
 * to: Microsoft's may name a tenant; Google's is fixed. Any other issuer with a preset's name is
 * refused rather than handed that registration.
 */
export function presetOf(provider: OAuthProvider, issuer?: string): OAuthPreset | undefined {
  if (provider === 'issuer') return issuer && MICROSOFT_ISSUER.test(issuer) ? OAUTH_PRESETS.microsoft : undefined;
  const preset = OAUTH_PRESETS[provider];
  const fits = !issuer || issuer === preset.issuer || (provider === 'microsoft' && MICROSOFT_ISSUER.test(issuer));
  if (!fits) throw invalidInput(phrase('err.signIn.notPresetIssuer', { issuer, provider: provider === 'microsoft' ? 'Microsoft' : 'Google' }), phrase('err.signIn.notPresetIssuer.hint'));
  return preset;
}
