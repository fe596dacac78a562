import type { StoredAccount } from '../account-store';
import { phrase } from '../../../../shared/i18n/errors/phrase';
import type { Clock } from '../../clock';
import { accountSecretLock, withFileLock } from '../../fs/file-lock';
import type { SecretStore } from '../../secrets/secret-store';
import { configurationFor, oauthError, openIdClient, signInRequired } from './oauth-client';
import { parseTokenRecord, serializeTokenRecord, type TokenRecord } from './token-record';

/** Refresh this long before the access token expires: a message may take a while to reach DATA. */
export const REFRESH_BEFORE_MS = 120_000;

export interface AccessToken {
  token: string;
  /** ms since the epoch, when the provider said */
  expiresAt?: number;
}

/** What happened on the way to a token, for the doctor's token phase. */
export interface TokenOutcome extends AccessToken {
  refreshed: boolean;
  rotated: boolean;
  /** how long it is still good for, when the provider said */
  validForMs?: number;
}

export interface OAuthTokensDeps {
  dataDir: string;
  secrets: SecretStore;
  clock: Clock;
}

/**
 * Access tokens for OAuth accounts. A refresh runs under a lock every Mailwright process on the
 * data directory respects, and re-reads the stored record first: a provider that rotates refresh
 * tokens (and revokes the whole grant when an old one comes back) never sees one twice, and the
 * newest refresh token is never overwritten by an older one. The rotated token is stored before
 * the new access token is handed out.
 */
export class OAuthTokens {
  private readonly running = new Map<string, Promise<TokenOutcome>>();

  constructor(private readonly deps: OAuthTokensDeps) {}

  /** A valid access token; `refused`: the one a server just refused, which is never handed out again. */
  async accessToken(account: StoredAccount, opts: { refused?: string } = {}): Promise<TokenOutcome> {
    const outcome = await this.get(account, opts.refused);
    return outcome.expiresAt === undefined ? outcome : { ...outcome, validForMs: outcome.expiresAt - this.deps.clock.now().getTime() };
  }

  private async get(account: StoredAccount, refused?: string): Promise<TokenOutcome> {
    const cached = this.usable(await this.read(account), refused);
    if (cached) return { ...cached, refreshed: false, rotated: false };
    // One refresh per account at a time in this process; other processes wait on the lock. One
    // begun for another caller may hand out the very token this caller was refused: then again.
    const joined = this.running.get(account.id);
    if (joined) {
      const outcome = await joined;
      if (outcome.token !== refused) return outcome;
    }
    const run = this.refreshLocked(account, refused).finally(() => this.running.get(account.id) === run && this.running.delete(account.id));
    this.running.set(account.id, run);
    return run;
  }

  /** Store a new sign-in's tokens, under the same lock as refreshes; `check` runs once the lock is held (a cancel meanwhile). */
  store(accountId: string, record: TokenRecord, check: () => void = () => undefined): Promise<void> {
    return withFileLock(this.lockPath(accountId), 'signIn', async () => {
      check();
      await this.deps.secrets.set(accountId, serializeTokenRecord(record));
    });
  }

  /** Whether a refresh token is stored (the provider may still refuse it). */
  async isSignedIn(account: StoredAccount): Promise<boolean> {
    return !!parseTokenRecord(await this.deps.secrets.get(account.id))?.refreshToken;
  }

  /** The client secret the account's last sign-in used (a Google desktop client's), to sign in again with. */
  async clientSecretOf(accountId: string): Promise<string | undefined> {
    return parseTokenRecord(await this.deps.secrets.get(accountId))?.clientSecret;
  }

  private usable(record: TokenRecord | undefined, refused?: string): AccessToken | undefined {
    if (!record?.accessToken || record.accessToken === refused) return undefined;
    if (record.expiresAt !== undefined && record.expiresAt - this.deps.clock.now().getTime() < REFRESH_BEFORE_MS) return undefined;
    return { token: record.accessToken, ...(record.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}) };
  }

  private async read(account: StoredAccount): Promise<TokenRecord> {
    const record = parseTokenRecord(await this.deps.secrets.get(account.id));
    if (!record) throw signInRequired(account.name, phrase('err.oauth.why.notSignedIn'));
    if (!record.refreshToken) {
      // A refusal kept from an earlier refresh (with the provider's words, if it gave any), or never a refresh token at all.
      throw record.signInRequired === undefined
        ? signInRequired(account.name, phrase('err.oauth.why.noRefreshToken'))
        : signInRequired(account.name, phrase('err.oauth.why.refusedEarlier'), record.signInRequired || undefined);
    }
    return record;
  }

  private refreshLocked(account: StoredAccount, refused?: string): Promise<TokenOutcome> {
    return withFileLock(this.lockPath(account.id), 'signIn', async () => {
      // Another process may have refreshed while this one waited for the lock.
      const record = await this.read(account);
      const current = this.usable(record, refused);
      if (current) return { ...current, refreshed: false, rotated: false };
      return this.refresh(account, record);
    });
  }

  private async refresh(account: StoredAccount, record: TokenRecord): Promise<TokenOutcome> {
    const oauth = account.oauth!;
    const client = await openIdClient();
    const config = await configurationFor({ issuer: oauth.issuer, clientId: oauth.clientId, clientSecret: record.clientSecret });
    let response;
    try {
      response = await client.refreshTokenGrant(config, record.refreshToken!);
    } catch (err) {
      const mapped = oauthError(err, { issuer: oauth.issuer, step: 'refresh', accountName: account.name });
      if (mapped.info.code === 'SIGN_IN_REQUIRED') {
        // The grant is gone: forget its tokens, keep why and who, so the list can say "sign in again".
        const { refreshToken: _r, accessToken: _a, expiresAt: _e, ...kept } = record;
        await this.deps.secrets.set(account.id, serializeTokenRecord({ ...kept, signInRequired: mapped.info.text?.quote ?? '' }));
      }
      throw mapped;
    }
    const expiresIn = response.expiresIn();
    const next: TokenRecord = {
      ...record,
      accessToken: response.access_token,
      refreshToken: response.refresh_token ?? record.refreshToken,
    };
    if (expiresIn !== undefined) next.expiresAt = this.deps.clock.now().getTime() + expiresIn * 1000;
    else delete next.expiresAt;
    await this.deps.secrets.set(account.id, serializeTokenRecord(next));
    return { token: next.accessToken!, ...(next.expiresAt !== undefined ? { expiresAt: next.expiresAt } : {}), refreshed: true, rotated: next.refreshToken !== record.refreshToken };
  }

  private lockPath(accountId: string) {
    return accountSecretLock(this.deps.dataDir, accountId);
  }
}
