import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors } from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';

// A real OAuth2 / OpenID Connect authorization server on 127.0.0.1 (panva's oidc-provider), as a
// provider of one's own would be: discovery, PKCE required (S256), refresh tokens rotated on every
// use (a rotated one coming back revokes the grant), opaque access tokens for an SMTP "resource"
// that the test SMTP server checks by introspection, and its built-in login and consent pages.

export const CLIENT_ID = 'mailwright-test';
export const SMTP_RESOURCE = 'urn:mailwright:smtp';
export const SMTP_SCOPE = 'smtp.send';
const RESOURCE_SERVER = { id: 'smtp-rs', secret: 'smtp-rs-secret-0123456789abcdef' };

export interface Introspection {
  active: boolean;
  sub?: string;
  aud?: string;
  scope?: string;
}

export interface TestOAuthProvider {
  issuer: string;
  /** Why the server refused the grants it refused ("refresh token already used", …): it tells clients only invalid_grant. */
  grantErrors: string[];
  /** How many refresh-token grants it answered. */
  refreshes: number;
  introspect(accessToken: string): Promise<Introspection>;
  /** End the grant behind a refresh token, as a user revoking the app's access would. */
  revoke(refreshToken: string): Promise<void>;
  close(): Promise<void>;
}

/** `accessTokenTtl` in seconds. */
export async function startTestOAuthProvider(opts: { accessTokenTtl?: number } = {}): Promise<TestOAuthProvider> {
  const ttl = opts.accessTokenTtl ?? 3600;
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      { client_id: CLIENT_ID, application_type: 'native', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: ['http://127.0.0.1/'] },
      { client_id: RESOURCE_SERVER.id, client_secret: RESOURCE_SERVER.secret, token_endpoint_auth_method: 'client_secret_basic', grant_types: [], response_types: [], redirect_uris: [] },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'email'],
    claims: { email: ['email'] },
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    rotateRefreshToken: true,
    ttl: { AccessToken: ttl, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 86_400, Interaction: 600, Session: 3600, Grant: 86_400 },
    features: {
      devInteractions: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async (_ctx, caller) => caller.clientId === RESOURCE_SERVER.id },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => SMTP_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator !== SMTP_RESOURCE) throw new errors.InvalidTarget();
          return { scope: SMTP_SCOPE, audience: SMTP_RESOURCE, accessTokenTTL: ttl, accessTokenFormat: 'opaque' };
        },
      },
    },
    cookies: { keys: ['test-only-cookie-key-0123456789'] },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, email: sub }) }),
  });
  const state = { grantErrors: [] as string[], refreshes: 0 };
  provider.on('grant.error', (_ctx, err) => void state.grantErrors.push(String((err as { error_detail?: string }).error_detail ?? (err as Error).message)));
  provider.on('grant.success', (ctx) => {
    if ((ctx as { oidc?: { params?: { grant_type?: string } } }).oidc?.params?.grant_type === 'refresh_token') state.refreshes++;
  });
  server.on('request', provider.callback());
  const basic = `Basic ${Buffer.from(`${RESOURCE_SERVER.id}:${RESOURCE_SERVER.secret}`).toString('base64')}`;
  return {
    issuer,
    grantErrors: state.grantErrors,
    get refreshes() {
      return state.refreshes;
    },
    async introspect(token) {
      const res = await fetch(`${issuer}/token/introspection`, { method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, token_type_hint: 'access_token' }) });
      return (await res.json()) as Introspection;
    },
    async revoke(refreshToken) {
      const found = await provider.RefreshToken.find(refreshToken);
      if (!found) throw new Error('no such refresh token');
      await (await provider.Grant.find(found.grantId!))?.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const SELECTOR = {
  login: 'input[name="login"]',
  password: 'input[name="password"]',
  signIn: 'button[type="submit"]:has-text("Sign-in")',
  consent: 'button[type="submit"]:has-text("Continue")',
  cancel: 'a[href$="/abort"]',
};

/** The provider's pages only: its layout loads web fonts, and this machine reaches nothing off loopback. */
export async function loopbackOnly(page: Page): Promise<void> {
  await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient')));
}

/**
 * A person at the provider's pages, in Chromium: signs in as `login` and allows (or cancels at
 * consent), then waits until the browser is back at Mailwright's loopback listener and returns
 * the text of the page it shows there.
 */
export async function consentInPage(page: Page, opts: { login: string; deny?: boolean }): Promise<string> {
  // Signed in at the provider already (an earlier sign-in in this browser): straight to consent.
  await page.waitForSelector(`${SELECTOR.login}, ${SELECTOR.consent}`);
  if (await page.locator(SELECTOR.login).count()) {
    await page.fill(SELECTOR.login, opts.login);
    await page.fill(SELECTOR.password, 'any-password');
    await page.click(SELECTOR.signIn);
    await page.waitForSelector(SELECTOR.consent);
  }
  // Mailwright's listener is at "/" and answers once the tokens are stored (or refused).
  const back = page.waitForURL((u) => u.pathname === '/' && (u.searchParams.has('code') || u.searchParams.has('error')), { timeout: 15_000 });
  await page.click(opts.deny ? SELECTOR.cancel : SELECTOR.consent);
  await back;
  return page.locator('body').innerText();
}

/** The same, in a fresh page of `browser` opened at the sign-in address (what the CLI prints). */
export async function consentAt(browser: Browser, url: string, opts: { login: string; deny?: boolean }): Promise<string> {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  try {
    const page = await context.newPage();
    await loopbackOnly(page);
    await page.goto(url);
    return await consentInPage(page, opts);
  } finally {
    await context.close();
  }
}
