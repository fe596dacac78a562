import { z } from 'zod';
import type { DkimSettings } from './deliverability';
import { fingerprintSha256, headerText, refusal } from './text';
import { MAX_CONNECTIONS } from './connections';

export const SECURITY_MODES = ['tls', 'starttls', 'none'] as const;
export type Security = (typeof SECURITY_MODES)[number];

export const accountId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, refusal('err.input.accountId'));

/** Sign-in presets; 'issuer' is any OAuth2 / OpenID Connect provider named by its issuer URL. */
export const OAUTH_PROVIDERS = ['microsoft', 'google', 'issuer'] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];

/** An issuer URL: https, or http on this computer only (a local test provider). */
export const issuerUrl = z
  .string()
  .max(2000)
  .regex(/^[\x21-\x7E]+$/, refusal('err.input.url'))
  .refine(
    (s) => URL.canParse(s) && (new URL(s).protocol === 'https:' || (new URL(s).protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(s).hostname))),
    refusal('err.input.httpsUrl'),
  );
const oauthScope = z.string().min(1).max(500).regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, refusal('err.input.scope'));

/** How an account signs in with OAuth2: the provider, and the app registration to sign in with. */
export const oauthInput = z.strictObject({
  provider: z.enum(OAUTH_PROVIDERS),
  /** Required for 'issuer'; for Microsoft, a tenant's own issuer may replace the multi-tenant one. */
  issuer: issuerUrl.optional(),
  /** The preset's scopes when omitted. */
  scopes: z.array(oauthScope).min(1).max(20).optional(),
  /** Your own app registration; else MAILWRIGHT_OAUTH_<PROVIDER>_CLIENT_ID or settings.json. */
  clientId: z.string().min(1).max(300).regex(/^[\x21-\x7E]+$/, refusal('err.input.clientId')).optional(),
  /** Google desktop clients have one (Google does not treat it as secret); kept with the tokens all the same. */
  clientSecret: z.string().min(1).max(300).optional(),
});
export type OAuthInput = z.input<typeof oauthInput>;

/** What accounts.json keeps of an OAuth account's sign-in (the tokens are in the secret store). */
export interface OAuthSettings {
  provider: OAuthProvider;
  issuer: string;
  scopes: string[];
  clientId: string;
}

/** What a user edits. The password is write-only: it goes to the keychain and never comes back. */
export const accountInput = z.strictObject({
  id: accountId.optional(),
  name: headerText(80).refine((s) => s.trim().length > 0, refusal('err.input.empty')),
  displayName: headerText(200).default(''),
  email: headerText(320).refine((s) => /^[^\s@<>]+@[^\s@<>]+$/.test(s), refusal('err.input.notEmail')),
  host: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.\-:[\]]+$/, refusal('err.input.host')),
  port: z.number().int().min(1).max(65535),
  security: z.enum(SECURITY_MODES),
  username: headerText(320).optional(),
  /** Set to store a new password; omit to keep the stored one. */
  password: z.string().min(1).max(4096).optional(),
  /** Set to true to delete the stored password. */
  clearPassword: z.boolean().optional(),
  /** Set to false to go back from a password command to a stored password (setting one is for the command line only). */
  passwordCommand: z.literal(false).optional(),
  pinnedCertSha256: fingerprintSha256.nullable().optional(),
  /** Connections at once (DEFAULT_CONNECTIONS, connections.ts, when absent); omit to keep the stored number, null to go back to the default. */
  connections: z.number().int().min(1).max(MAX_CONNECTIONS).nullable().optional(),
});
export type AccountInput = z.input<typeof accountInput>;

/** An account as stored and as shown: never a password, only whether one is stored. */
export interface Account {
  id: string;
  kind: 'smtp' | 'sandbox';
  name: string;
  displayName: string;
  email: string;
  host: string;
  port: number;
  security: Security;
  username?: string;
  pinnedCertSha256?: string;
  /** SMTP connections at once, when not DEFAULT_CONNECTIONS. */
  connections?: number;
  isDefault: boolean;
  /** How it logs in, and whether that can happen now. */
  login: LoginStatus;
  /** Set for accounts that sign in with OAuth2. */
  oauth?: OAuthSettings;
  /** The last settings test of this account (saving never requires one). */
  lastTest?: LastTest;
  /** HTML added below messages from this account after the "-- " line (the text part gets it as text). */
  signature?: string;
  /** Its messages are DKIM-signed with this (the private key is in the secret store). */
  dkim?: DkimSettings;
}

/** Where a secret is kept. */
export type SecretSource = 'keychain' | 'vault' | 'command';

/**
 * How an account logs in, as the list shows it. `locked`: the vault is locked; `unavailable`: the
 * keychain does not answer. A password command is not run to list accounts: it shows as `stored`.
 */
export type LoginStatus =
  | { method: 'none' }
  | { method: 'password'; source: SecretSource; state: 'stored' | 'missing' | 'locked' | 'unavailable'; command?: string }
  | { method: 'oauth2'; source: Exclude<SecretSource, 'command'>; state: 'signed-in' | 'sign-in-required' | 'locked' | 'unavailable'; signedInAs?: string };

export interface LastTest {
  at: string;
  ok: boolean;
  failedPhase?: string;
  code?: string;
  /** The largest message the server said it accepts (SIZE in its EHLO), when it said. */
  maxSize?: number;
}
