import type { ErrorCode } from '../../../shared/errors';

/** Failures worth trying again unchanged: the server said "later", or the network was not there. */
const TEMPORARY: readonly ErrorCode[] = ['SERVER_TEMPORARY', 'TIMEOUT', 'CONNECTION_REFUSED', 'DNS_NOT_FOUND', 'BUSY'];

export const isTemporary = (code: ErrorCode) => TEMPORARY.includes(code);

/** Failures of the account's login, not of the message: it waits (needs-sign-in) until the user fixes the login. */
const LOGIN_MISSING: readonly ErrorCode[] = ['SIGN_IN_REQUIRED', 'SECRETS_LOCKED', 'KEYCHAIN_UNAVAILABLE'];

export const waitsForSignIn = (code: ErrorCode) => LOGIN_MISSING.includes(code);

export interface RetryPolicy {
  /** first wait, doubled each attempt */
  baseMs: number;
  maxMs: number;
  /** give up (→ failed) this long after the message was queued */
  lifetimeMs: number;
  /** ± this fraction of random spread, so many clients do not come back in step */
  jitter: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 30_000, maxMs: 30 * 60_000, lifetimeMs: 24 * 3600_000, jitter: 0.2 };

/** Wait before attempt number `attempt + 1` (attempt ≥ 1): 30 s, 60 s, 2 min … up to 30 min, with jitter. */
export function backoffMs(attempt: number, policy: RetryPolicy = DEFAULT_RETRY, random: () => number = Math.random): number {
  const plain = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(plain * (1 + policy.jitter * (random() * 2 - 1)));
}
