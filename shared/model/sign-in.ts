import type { OAuthProvider } from './account';

/** Whether a sign-in preset has an app registration outside the account form, and where it comes from. */
export type OAuthClientStatus = Record<Exclude<OAuthProvider, 'issuer'>, { configured: boolean; from?: 'environment' | 'settings' }>;

/** A sign-in waiting for the browser: open `url` there (unless main already did), then wait for it to finish. */
export interface SignInStarted {
  signInId: string;
  url: string;
  /** main opened the system browser itself (the desktop app); browser mode and the CLI open it themselves */
  opened: boolean;
}

const PROVIDER_LABELS: Record<Exclude<OAuthProvider, 'issuer'>, string> = { microsoft: 'Microsoft', google: 'Google' };

/** How a sign-in's provider is named to the user: Microsoft, Google, or the issuer's host. */
export function providerLabel(oauth: { provider: OAuthProvider; issuer?: string }): string {
  if (oauth.provider !== 'issuer') return PROVIDER_LABELS[oauth.provider];
  return oauth.issuer && URL.canParse(oauth.issuer) ? new URL(oauth.issuer).host : 'OAuth2';
}
