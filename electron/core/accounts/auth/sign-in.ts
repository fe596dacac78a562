import { randomUUID } from 'node:crypto';
import type { Account, AccountInput, OAuthInput, OAuthSettings } from '../../../../shared/model/account';
import type { SignInStarted } from '../../../../shared/model/sign-in';
import { phrase } from '../../../../shared/i18n/errors/phrase';
import { invalidInput, MailwrightError } from '../../errors';
import type { Clock } from '../../clock';
import type { AccountStore } from '../account-store';
import { clientRegistration, type RegistrationSources } from './client-registration';
import { listenForRedirect, SIGN_IN_WAIT_MS } from './loopback-redirect';
import { configurationFor, oauthError, openIdClient } from './oauth-client';
import { presetOf } from './oauth-presets';
import type { OAuthTokens } from './oauth-tokens';

/** What to sign in: an account's saved settings again, or new or edited settings with how to sign in. */
export type SignInRequest = { accountId: string } | { account: AccountInput; oauth: OAuthInput };

export interface SignInDeps {
  accounts: AccountStore;
  tokens: OAuthTokens;
  registrations: RegistrationSources;
  /** Open the system browser (the desktop app); absent where the caller opens it (browser mode, the CLI). */
  openExternal?: (url: string) => Promise<void>;
  /** Told once an account is signed in, before the sign-in is reported done: what waited for it can go. */
  onSignedIn: (account: Account) => Promise<void>;
  clock: Clock;
  waitMs?: number;
}

interface Pending {
  done: Promise<Account>;
  cancel: () => void;
}

const cancelled = () => new MailwrightError('SIGN_IN_REQUIRED', { message: phrase('err.signIn.cancelled'), hint: phrase('err.signIn.cancelled.hint') });

/** Sign-ins waiting for a browser at once; starting one more gives up the oldest. */
const MAX_PENDING = 3;

/**
 * OAuth2 sign-in for native apps (RFC 8252): the authorization code flow with PKCE (S256) and a
 * state, in the system browser, redirected to a loopback listener on a port chosen for this
 * sign-in. No web view of ours ever sees the provider's page or the user's password. The tokens
 * go to the secret store, then the account's settings to accounts.json.
 */
export class SignInService {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly deps: SignInDeps) {}

  async start(request: SignInRequest): Promise<SignInStarted> {
    const { input, oauth } = await this.target(request);
    await this.deps.accounts.checkName(input.name, input.id); // before the browser, not after the consent
    const preset = presetOf(oauth.provider, oauth.issuer);
    const issuer = oauth.issuer ?? preset?.issuer;
    if (!issuer) throw invalidInput(phrase('err.signIn.noIssuer'), phrase('err.signIn.noIssuer.hint'));
    const scopes = oauth.scopes ?? preset?.scopes;
    if (!scopes) throw invalidInput(phrase('err.signIn.noScopes'), phrase('err.signIn.noScopes.hint'));
    const registration = await clientRegistration(oauth.provider, preset, oauth, this.deps.registrations);
    const client = await openIdClient();
    const config = await configurationFor({ issuer, ...registration });

    const redirect = await listenForRedirect(preset?.redirectHost ?? '127.0.0.1', this.deps.waitMs ?? SIGN_IN_WAIT_MS);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirect.redirectUri,
      scope: scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      login_hint: input.username ?? input.email,
      // OpenID Connect grants offline access only after a consent prompt (Core 1.0 §11); the presets say their own.
      ...(!preset && scopes.includes('offline_access') ? { prompt: 'consent' } : {}),
      ...preset?.authorizationParams,
    }).href;

    // The address comes from the provider's metadata: only a web page is ever opened, never another scheme.
    const at = new URL(url);
    if (!(at.protocol === 'https:' || (at.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(at.hostname)))) {
      redirect.close();
      throw invalidInput(phrase('err.signIn.notWeb', { protocol: at.protocol }), phrase('err.signIn.notWeb.hint'));
    }
    const settings: OAuthSettings = { provider: oauth.provider, issuer, scopes, clientId: registration.clientId };
    const flow = { cancelled: false };
    const done = (async () => {
      const { url: callback, answer } = await redirect.arrival;
      try {
        const tokens = await client
          .authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state })
          .catch((err: unknown) => {
            throw oauthError(err, { issuer, step: (err as { code?: string }).code === 'OAUTH_RESPONSE_BODY_ERROR' ? 'code' : 'authorize' });
          });
        if (!tokens.refresh_token) {
          throw new MailwrightError('AUTH_FAILED', { message: phrase('err.signIn.noRefreshToken', { host: new URL(issuer).host }), hint: phrase('err.signIn.noRefreshToken.hint') });
        }
        // Cancelled after the browser came back: nothing is saved.
        if (flow.cancelled) throw cancelled();
        const claims = tokens.claims();
        const signedInAs = [claims?.email, claims?.preferred_username, claims?.upn].find((c): c is string => typeof c === 'string' && c.length > 0);
        const expiresIn = tokens.expiresIn();
        const account = await this.deps.accounts.saveSignedIn({
          input,
          oauth: settings,
          tokens: {
            kind: 'oauth2',
            refreshToken: tokens.refresh_token,
            accessToken: tokens.access_token,
            ...(expiresIn !== undefined ? { expiresAt: this.deps.clock.now().getTime() + expiresIn * 1000 } : {}),
            ...(signedInAs ? { signedInAs } : {}),
            ...(registration.clientSecret ? { clientSecret: registration.clientSecret } : {}),
          },
          storeTokens: (id, record) =>
            this.deps.tokens.store(id, record, () => {
              if (flow.cancelled) throw cancelled();
            }),
        });
        answer({ ok: true, text: `Mailwright can now send as ${account.email}${signedInAs && signedInAs.toLowerCase() !== account.email.toLowerCase() ? ` (signed in as ${signedInAs})` : ''}.` });
        await this.deps.onSignedIn(account);
        return account;
      } catch (err) {
        answer({ ok: false, text: err instanceof MailwrightError ? `${err.info.message} ${err.info.hint}` : 'Something unexpected went wrong.' });
        throw err;
      }
    })();
    done.catch(() => undefined); // finish() reports it; nobody may be listening yet

    const signInId = randomUUID();
    this.pending.set(signInId, {
      done,
      cancel: () => {
        flow.cancelled = true;
        redirect.close();
      },
    });
    void done.finally(() => setTimeout(() => this.pending.delete(signInId), 60_000).unref?.()).catch(() => undefined);
    for (const [id, old] of this.pending) {
      if (this.pending.size <= MAX_PENDING) break;
      old.cancel();
      this.pending.delete(id);
    }

    let opened = false;
    if (this.deps.openExternal) opened = await this.deps.openExternal(url).then(() => true, () => false);
    return { signInId, url, opened };
  }

  /** Wait for a started sign-in: the account, signed in; or why not. */
  async finish(signInId: string): Promise<Account> {
    const found = this.pending.get(signInId);
    if (!found) throw invalidInput(phrase('err.signIn.notWaiting'), phrase('err.signIn.startAgain.hint'));
    try {
      return await found.done;
    } finally {
      this.pending.delete(signInId);
    }
  }

  cancel(signInId: string): boolean {
    const found = this.pending.get(signInId);
    found?.cancel();
    return !!found;
  }

  /** Every sign-in still waiting stops (the app quits). */
  close(): void {
    for (const p of this.pending.values()) p.cancel();
    this.pending.clear();
  }

  private async target(request: SignInRequest): Promise<{ input: AccountInput; oauth: OAuthInput }> {
    if ('account' in request) return { input: request.account, oauth: request.oauth };
    const stored = await this.deps.accounts.getStored(request.accountId);
    if (!stored.oauth) throw invalidInput(phrase('err.signIn.passwordAccount', { account: stored.name }), phrase('err.signIn.passwordAccount.hint'));
    const { id, name, displayName, email, host, port, security, username, pinnedCertSha256 } = stored;
    return {
      input: { id, name, displayName, email, host, port, security, ...(username ? { username } : {}), ...(pinnedCertSha256 ? { pinnedCertSha256 } : {}) },
      oauth: {
        provider: stored.oauth.provider,
        issuer: stored.oauth.issuer,
        scopes: stored.oauth.scopes,
        clientId: stored.oauth.clientId,
        ...(await this.deps.tokens.clientSecretOf(stored.id).then((secret) => (secret ? { clientSecret: secret } : {}))),
      },
    };
  }
}
