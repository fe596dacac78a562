/**
 * What the secret store keeps for an OAuth account, as one secret: the refresh token, the access
 * token with its expiry (so a second process need not refresh again), who signed in, and the
 * client secret the sign-in used (a Google desktop client's). After the provider refused the
 * refresh token, only `signInRequired` (the provider's words) and `signedInAs` remain.
 */
export interface TokenRecord {
  kind: 'oauth2';
  refreshToken?: string;
  accessToken?: string;
  /** ms since the epoch */
  expiresAt?: number;
  signedInAs?: string;
  clientSecret?: string;
  /** Set once the provider refused the refresh token: its own words, as it gave them ('' when it gave none). */
  signInRequired?: string;
}

export function parseTokenRecord(secret: string | null): TokenRecord | undefined {
  if (!secret) return undefined;
  try {
    const record = JSON.parse(secret) as TokenRecord;
    return record?.kind === 'oauth2' ? record : undefined;
  } catch {
    return undefined; // a password stored before the account switched to OAuth: no sign-in yet
  }
}

export const serializeTokenRecord = (record: TokenRecord) => JSON.stringify(record);
