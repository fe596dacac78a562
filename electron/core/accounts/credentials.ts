import { quote } from 'shell-quote';
import { code, phrase } from '../../../shared/i18n/errors/phrase';
import { MailwrightError } from '../errors';
import { runPasswordCommand } from '../secrets/password-command';
import type { SecretStore } from '../secrets/secret-store';
import type { StoredAccount } from './account-store';
import type { OAuthTokens, TokenOutcome } from './auth/oauth-tokens';

/** How to log in to an account's server, as sending and the doctor need it (main-only). */
export type Login =
  | { kind: 'none' }
  | { kind: 'password'; user: string; password: string }
  | { kind: 'oauth2'; user: string; token: (opts?: { refused?: string }) => Promise<TokenOutcome> };


/** A password account whose password is not stored: the user must give it, as with a lost sign-in. */
export const noPasswordStored = (account: StoredAccount) =>
  new MailwrightError('SIGN_IN_REQUIRED', {
    message: phrase('err.account.noPassword', { account: account.name }),
    hint: phrase('err.account.noPassword.hint', { command: code(`printf '%s' "$PASS" | mailwright account password ${quote([account.name])} --password-stdin`) }),
  });

/**
 * The login of an account: none (no user name), a password from the secret store or its
 * password command, or OAuth2 access tokens (XOAUTH2, user = the user name or the address).
 * Throws SIGN_IN_REQUIRED when nothing usable is stored, SECRETS_LOCKED or KEYCHAIN_UNAVAILABLE
 * when the store cannot be read now: never a login attempt that is bound to fail.
 */
export class Credentials {
  constructor(private readonly deps: { secrets: SecretStore; tokens: OAuthTokens }) {}

  /** `prefetch: false`: do not fetch an OAuth2 token yet (the doctor times that as a phase of its own). */
  async loginFor(account: StoredAccount, opts: { prefetch?: boolean } = {}): Promise<Login> {
    if (account.oauth) {
      const user = account.username ?? account.email;
      if (opts.prefetch !== false) await this.deps.tokens.accessToken(account); // fails now, not at the server, when a sign-in is needed
      return { kind: 'oauth2', user, token: (opts) => this.deps.tokens.accessToken(account, opts) };
    }
    if (!account.username) return { kind: 'none' };
    const password = account.passwordCommand ? await runPasswordCommand(account.passwordCommand, account.name) : await this.deps.secrets.get(account.id);
    if (password === null) throw noPasswordStored(account);
    return { kind: 'password', user: account.username, password };
  }

  /**
   * Whether a login could be had now. `cheap`: from what is stored alone, with no password command
   * run and no token refreshed (and never for an account with no login to store: nothing there
   * can change without an edit).
   */
  async available(account: StoredAccount, opts: { cheap?: boolean } = {}): Promise<boolean> {
    if (!opts.cheap) return this.loginFor(account).then(() => true);
    if (account.oauth) return this.deps.tokens.isSignedIn(account);
    if (!account.username || account.passwordCommand) return false;
    return (await this.deps.secrets.get(account.id)) !== null;
  }
}
