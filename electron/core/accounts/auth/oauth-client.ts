import type { Configuration } from 'openid-client';
import { quote } from 'shell-quote';
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

export const signInRequired = (accountName: string, why: string) =>
  new MailwrightError(
    'SIGN_IN_REQUIRED',
    `${accountName} needs you to sign in again: ${why}.`,
    `Sign in again (Accounts → Sign in again, or \`mailwright account signin ${quote([accountName])}\`). Its messages wait in the outbox until then.`,
  );

/**
 * What a provider's refusal means for the user, by the OAuth error code it answered with
 * (RFC 6749 §5.2, §4.1.2.1), never by its wording. The provider's words travel along as details.
 */
export function oauthError(err: unknown, ctx: OAuthErrorContext): MailwrightError {
  if (err instanceof MailwrightError) return err;
  const e = err as Error & { code?: string; error?: string; error_description?: string; status?: number; cause?: { code?: string; name?: string } };
  const host = URL.canParse(ctx.issuer) ? new URL(ctx.issuer).host : ctx.issuer;
  const said = e.error ? `${e.error}${e.error_description ? `: ${e.error_description}` : ''}` : undefined;
  const details = said ? { providerReply: said.slice(0, 500) } : undefined;
  const make = (code: ConstructorParameters<typeof MailwrightError>[0], message: string, hint: string) => new MailwrightError(code, message, hint, { cause: err, details });

  const network = networkCodes[e.cause?.code ?? ''] ?? (e.name === 'TimeoutError' || e.cause?.name === 'TimeoutError' ? 'TIMEOUT' : undefined);
  if (network) {
    return make(network, `The sign-in server ${host} could not be reached (${e.cause?.code ?? 'timeout'}).`, 'Check that this computer is online, and the issuer URL for a provider of your own. Nothing was changed.');
  }
  if (e.code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR' || ctx.step === 'authorize') {
    // The provider's words are in the message already: no details to repeat them.
    if (e.error === 'access_denied') return new MailwrightError('SIGN_IN_REQUIRED', `The sign-in at ${host} was not completed: access was denied${e.error_description ? ` (${e.error_description})` : ''}.`, 'Sign in again and allow Mailwright to send mail for you.', { cause: err });
    if (e.code === 'OAUTH_INVALID_RESPONSE') {
      return make('AUTH_FAILED', `The answer to the sign-in did not match its request (state or issuer), so it was refused.`, 'Start the sign-in again from Mailwright, and finish it in the tab that opens.');
    }
    return make('AUTH_FAILED', `${host} refused the sign-in: ${said ?? e.message}.`, 'Check the app registration (client ID, redirect URI http://127.0.0.1 or http://localhost, the scopes) and sign in again.');
  }
  if (e.error === 'invalid_grant') {
    return ctx.step === 'refresh'
      ? signInRequired(ctx.accountName ?? 'This account', `${host} no longer accepts its sign-in (${said})`)
      : make('AUTH_FAILED', `${host} refused to exchange the sign-in's code (${said}).`, 'Sign in again; if it keeps failing, check the app registration’s redirect URI and that it is a public (desktop) client.');
  }
  if (e.error === 'invalid_client' || e.error === 'unauthorized_client') {
    return make('AUTH_FAILED', `${host} refused Mailwright's app registration (${said}).`, 'Check the client ID (and, for a Google desktop client, its client secret), and that the registration is a public client allowed to use the authorization code flow.');
  }
  if (e.error === 'invalid_scope') return make('INVALID_INPUT', `${host} refused the scopes asked for (${said}).`, 'Give the scopes this provider documents for SMTP, e.g. --scope for a provider of your own.');
  if ((e.status ?? 0) >= 500 || e.error === 'temporarily_unavailable' || e.error === 'server_error') {
    return make('SERVER_TEMPORARY', `The sign-in server ${host} is having trouble (${said ?? `HTTP ${e.status}`}).`, 'Nothing needs to change: try again in a few minutes.');
  }
  if (ctx.step === 'discovery') {
    return make('INVALID_INPUT', `No OAuth2 or OpenID Connect provider answers at ${ctx.issuer} (${e.message}).`, 'Check the issuer URL: its /.well-known/openid-configuration (or oauth-authorization-server) must describe the provider.');
  }
  return make('AUTH_FAILED', `${host} refused the request (${said ?? e.message}).`, 'Check the app registration, then sign in again.');
}
