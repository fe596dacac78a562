import type { Configuration } from 'openid-client';
import { quote } from 'shell-quote';
import type { ErrorCode, Phrase } from '../../../../shared/errors';
import { code, phrase } from '../../../../shared/i18n/errors/phrase';
import { MailwrightError } from '../../errors';

type OpenIdClient = typeof import('openid-client');

/** openid-client, loaded when an OAuth account first needs it: ~20 ms no other command should pay. */
let library: Promise<OpenIdClient> | undefined;
export const openIdClient = (): Promise<OpenIdClient> => (library ??= import('openid-client'));

export interface OAuthServer {
  issuer: string;
  clientId: string;
  clientSecret?: string;
}

/** Seconds each request to a provider may take: a person is waiting, or a message is. */
const REQUEST_TIMEOUT_S = 15;

/** Kept per issuer and client: a few accounts' worth, so a page asking for provider after provider cannot grow it. */
const configurations = new Map<string, Promise<Configuration>>();
const CONFIGURATIONS_KEPT = 16;

/**
 * The provider's metadata (OpenID Connect discovery, else RFC 8414) and our client at it, once
 * per process. openid-client also accepts Microsoft's multi-tenant issuer, whose ID tokens name
 * the user's own tenant. Plain http is allowed only for an issuer on this computer (the account
 * schema admits nothing else), which is what a provider under test is.
 */
export function configurationFor(server: OAuthServer): Promise<Configuration> {
  const key = JSON.stringify([server.issuer, server.clientId, server.clientSecret ?? '']);
  let found = configurations.get(key);
  if (!found) {
    found = discover(server);
    if (configurations.size >= CONFIGURATIONS_KEPT) configurations.delete(configurations.keys().next().value!);
    configurations.set(key, found);
    found.catch(() => configurations.delete(key)); // a network failure must not be remembered
  }
  return found;
}

async function discover(server: OAuthServer): Promise<Configuration> {
  const client = await openIdClient();
  const url = new URL(server.issuer);
  const auth = server.clientSecret ? client.ClientSecretPost(server.clientSecret) : client.None();
  const options = { execute: url.protocol === 'http:' ? [client.allowInsecureRequests] : [], timeout: REQUEST_TIMEOUT_S };
  try {
    return await client.discovery(url, server.clientId, undefined, auth, { ...options, algorithm: 'oidc' });
  } catch (err) {
    // Not found as OpenID Connect: RFC 8414 metadata may still be there. A network failure is final.
    if (!(err instanceof client.ResponseBodyError || hasHttpStatus(err))) throw oauthError(err, { issuer: server.issuer, step: 'discovery' });
    try {
      return await client.discovery(url, server.clientId, undefined, auth, { ...options, algorithm: 'oauth2' });
    } catch (second) {
      throw oauthError(second, { issuer: server.issuer, step: 'discovery' });
    }
  }
}

const hasHttpStatus = (err: unknown) => typeof (err as { cause?: { status?: unknown } })?.cause?.status === 'number';

export interface OAuthErrorContext {
  issuer: string;
  step: 'discovery' | 'authorize' | 'code' | 'refresh';
  /** For SIGN_IN_REQUIRED: the account to sign in again. */
  accountName?: string;
}

const networkCodes: Record<string, 'DNS_NOT_FOUND' | 'CONNECTION_REFUSED' | 'TIMEOUT'> = {
  ENOTFOUND: 'DNS_NOT_FOUND',
  EAI_AGAIN: 'DNS_NOT_FOUND',
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ETIMEDOUT: 'TIMEOUT',
  UND_ERR_CONNECT_TIMEOUT: 'TIMEOUT',
  UND_ERR_HEADERS_TIMEOUT: 'TIMEOUT',
};

/** The account must be signed in again: `why` says what happened; the provider's words, if any, are quoted as they came. */
export const signInRequired = (accountName: string, why: Phrase, said?: string) =>
  new MailwrightError('SIGN_IN_REQUIRED', {
    message: phrase('err.oauth.signInAgain', { account: accountName, why }),
    hint: phrase('err.oauth.signInAgain.hint', { command: code(`mailwright account signin ${quote([accountName])}`) }),
    ...(said ? { quote: said } : {}),
  });

/**
 * What a provider's refusal means for the user, by the OAuth error code it answered with
 * (RFC 6749 §5.2, §4.1.2.1), never by its wording. The provider's words travel along as the quote.
 */
export function oauthError(err: unknown, ctx: OAuthErrorContext): MailwrightError {
  if (err instanceof MailwrightError) return err;
  const e = err as Error & { code?: string; error?: string; error_description?: string; status?: number; cause?: { code?: string; name?: string } };
  const host = URL.canParse(ctx.issuer) ? new URL(ctx.issuer).host : ctx.issuer;
  const said = e.error ? `${e.error}${e.error_description ? `: ${e.error_description}` : ''}`.slice(0, 500) : undefined;
  const make = (code: ErrorCode, message: Phrase, hint: Phrase, quote = said) => new MailwrightError(code, { message, hint, ...(quote ? { quote } : {}) }, { cause: err });

  const network = networkCodes[e.cause?.code ?? ''] ?? (e.name === 'TimeoutError' || e.cause?.name === 'TimeoutError' ? 'TIMEOUT' : undefined);
  if (network) {
    const message = e.cause?.code ? phrase('err.oauth.unreachable', { host, reason: e.cause.code }) : phrase('err.oauth.unreachableTimeout', { host });
    return make(network, message, phrase('err.oauth.unreachable.hint'));
  }
  if (e.code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR' || ctx.step === 'authorize') {
    if (e.error === 'access_denied') return make('SIGN_IN_REQUIRED', phrase('err.oauth.denied', { host }), phrase('err.oauth.denied.hint'), e.error_description);
    if (e.code === 'OAUTH_INVALID_RESPONSE') return make('AUTH_FAILED', phrase('err.oauth.mismatch'), phrase('err.oauth.mismatch.hint'));
    return make('AUTH_FAILED', phrase('err.oauth.refused', { host }), phrase('err.oauth.refused.hint'), said ?? e.message);
  }
  if (e.error === 'invalid_grant') {
    return ctx.step === 'refresh' && ctx.accountName
      ? signInRequired(ctx.accountName, phrase('err.oauth.why.refused', { host }), said)
      : make('AUTH_FAILED', phrase('err.oauth.codeRefused', { host }), phrase('err.oauth.codeRefused.hint'));
  }
  if (e.error === 'invalid_client' || e.error === 'unauthorized_client') {
    return make('AUTH_FAILED', phrase('err.oauth.clientRefused', { host }), phrase('err.oauth.clientRefused.hint'));
  }
  if (e.error === 'invalid_scope') return make('INVALID_INPUT', phrase('err.oauth.scopeRefused', { host }), phrase('err.oauth.scopeRefused.hint', { flag: code('--scope') }));
  if ((e.status ?? 0) >= 500 || e.error === 'temporarily_unavailable' || e.error === 'server_error') {
    return make('SERVER_TEMPORARY', phrase('err.oauth.trouble', { host }), phrase('err.smtp.temporary.hint'), said ?? `HTTP ${e.status}`);
  }
  if (ctx.step === 'discovery') {
    return make('INVALID_INPUT', phrase('err.oauth.noProvider', { issuer: ctx.issuer }), phrase('err.oauth.noProvider.hint', { path: code('/.well-known/openid-configuration') }), e.message);
  }
  return make('AUTH_FAILED', phrase('err.oauth.requestRefused', { host }), phrase('err.oauth.requestRefused.hint'), said ?? e.message);
}
