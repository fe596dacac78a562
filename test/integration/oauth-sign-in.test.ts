import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createCore, type Core } from '../../electron/core/core';
import { KeychainSecretStore } from '../../electron/core/secrets/keychain-store';
import { parseTokenRecord } from '../../electron/core/accounts/auth/token-record';
import { launchChromium } from '../helpers/browser';
import { FakeClock } from '../helpers/fake-clock';
import { CLIENT_ID, consentAt, startTestOAuthProvider, type TestOAuthProvider } from '../helpers/oauth-provider';
import { noJitter, reaches, testDraft, TEST_RETRY } from '../helpers/outbox-harness';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

// OAuth2 sign-in against real parts: oidc-provider on loopback (PKCE required, refresh tokens
// rotated, a reused one revoking the grant), an smtp-server that takes XOAUTH2 only for tokens
// that provider says are active for that user, the real keychain, and Chromium at the consent page.

const USER = 'alice@example.test';
const SCOPES = ['openid', 'email', 'offline_access', 'smtp.send'];
const keychain = new KeychainSecretStore(`Mailwright test ${randomUUID()}`);

let provider: TestOAuthProvider;
let browser: Browser;
const servers: TestSmtpServer[] = [];
const cores: Core[] = [];

beforeAll(async () => {
  provider = await startTestOAuthProvider();
  browser = await launchChromium();
});
afterAll(async () => {
  await Promise.all(cores.map((c) => c.close()));
  await Promise.all(servers.map((s) => s.close()));
  await browser?.close();
  await provider?.close();
});

/** An SMTP server that takes an XOAUTH2 login only with a token the provider says is live, for that user. */
async function xoauth2Server(refuseLike: 'google' | 'microsoft', refuse: Set<string> = new Set()) {
  const server = await startTestSmtp({
    mode: 'plain',
    xoauth2: {
      refuseLike,
      check: async (token, user) => {
        if (refuse.has(token)) return false;
        const seen = await provider.introspect(token);
        return seen.active && seen.sub === user && !!seen.scope?.split(' ').includes('smtp.send');
      },
    },
  });
  servers.push(server);
  return server;
}

async function newCore(clock = new FakeClock()) {
  const core = await createCore({ dataDir: tempDir(), keychain, clock, autoRun: true, retry: TEST_RETRY, random: noJitter, env: {} });
  cores.push(core);
  return { core, clock };
}

const accountFor = (port: number, name = 'Work') => ({ name, email: USER, displayName: 'Alice', host: '127.0.0.1', port, security: 'none' as const });
const issuerSignIn = (port: number, name?: string) => ({ account: accountFor(port, name), oauth: { provider: 'issuer' as const, issuer: provider.issuer, clientId: CLIENT_ID, scopes: SCOPES } });

/** Start a sign-in, consent in Chromium as `login`, and wait for the account. */
async function signIn(core: Core, request: Parameters<Core['handlers']['accounts:sign-in-start']>[0], login = USER) {
  const started = await core.handlers['accounts:sign-in-start'](request);
  expect(started.opened).toBe(false); // no browser of its own here: the caller opens the address
  const page = await consentAt(browser, started.url, { login });
  return { account: await core.handlers['accounts:sign-in-finish']({ signInId: started.signInId }), page, started };
}

/** fetch() will not send another Host header: a raw request, as a page on a rebound name would make. */
const statusWithHost = (url: URL, host: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path: '/', headers: { Host: host } }, (res) => (res.resume(), resolve(res.statusCode!)));
    req.on('error', reject);
    req.end();
  });

const record = async (id: string) => parseTokenRecord(await keychain.get(id))!;

describe('OAuth2 sign-in and XOAUTH2 sending', () => {
  it('signs in through the system-browser flow, stores the tokens in the keychain only, and sends with them', async () => {
    const smtp = await xoauth2Server('google');
    const { core } = await newCore();
    const { account, page, started } = await signIn(core, issuerSignIn(smtp.port));
    const url = new URL(started.url);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toMatch(/.{20,}/);
    expect(new URL(url.searchParams.get('redirect_uri')!).hostname).toBe('127.0.0.1');
    expect(page).toContain('Mailwright can now send as alice@example.test');
    expect(account.login).toMatchObject({ method: 'oauth2', state: 'signed-in', signedInAs: USER, source: 'keychain' });
    const tokens = await record(account.id);
    expect(tokens.refreshToken).toBeTruthy();
    expect(JSON.stringify(account)).not.toContain(tokens.refreshToken!);

    const item = await core.handlers['outbox:enqueue'](testDraft(account.id));
    expect((await reaches(core, item.id, ['sent', 'failed', 'needs-sign-in'])).state).toBe('sent');
    expect(smtp.received).toHaveLength(1);
    expect(smtp.logins).toEqual([tokens.accessToken]);
    await core.handlers['accounts:remove']({ id: account.id });
  });

  it('refreshes an access token about to expire, stores the rotated refresh token first, and never reuses the old one', async () => {
    const smtp = await xoauth2Server('microsoft');
    const { core, clock } = await newCore();
    const { account } = await signIn(core, issuerSignIn(smtp.port));
    const first = await record(account.id);
    clock.advance(3600_000); // the provider's access tokens live an hour: due for a refresh
    const refreshesBefore = provider.refreshes;
    const item = await core.handlers['outbox:enqueue'](testDraft(account.id));
    expect((await reaches(core, item.id, ['sent', 'failed', 'needs-sign-in'])).state).toBe('sent');
    const second = await record(account.id);
    expect(provider.refreshes).toBe(refreshesBefore + 1);
    expect(second.refreshToken).not.toBe(first.refreshToken); // rotated, and kept
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(smtp.logins).toEqual([second.accessToken]);
    // A second send within the new token's life needs no refresh.
    const again = await core.handlers['outbox:enqueue'](testDraft(account.id));
    expect((await reaches(core, again.id, ['sent', 'failed', 'needs-sign-in'])).state).toBe('sent');
    expect(provider.refreshes).toBe(refreshesBefore + 1);
    expect(provider.grantErrors).not.toContain('refresh token already used');
    await core.handlers['accounts:remove']({ id: account.id });
  });

  it.each(['google', 'microsoft'] as const)('a token the server refuses (%s style) is replaced once and the message still goes', async (style) => {
    const refuse = new Set<string>();
    const smtp = await xoauth2Server(style, refuse);
    const { core } = await newCore();
    const { account } = await signIn(core, issuerSignIn(smtp.port));
    const stale = (await record(account.id)).accessToken!;
    refuse.add(stale); // e.g. revoked by the server's own policy, though not expired
    const item = await core.handlers['outbox:enqueue'](testDraft(account.id));
    expect((await reaches(core, item.id, ['sent', 'failed', 'needs-sign-in'])).state).toBe('sent');
    const fresh = (await record(account.id)).accessToken!;
    expect(fresh).not.toBe(stale);
    expect(smtp.logins).toEqual([stale, fresh]);
    await core.handlers['accounts:remove']({ id: account.id });
  });

  it('a revoked grant leaves the message waiting with SIGN_IN_REQUIRED; after signing in again it goes, once', async () => {
    const smtp = await xoauth2Server('microsoft');
    const { core, clock } = await newCore();
    const { account } = await signIn(core, issuerSignIn(smtp.port));
    await provider.revoke((await record(account.id)).refreshToken!);
    clock.advance(3600_000);
    const item = await core.handlers['outbox:enqueue'](testDraft(account.id));
    const waiting = await reaches(core, item.id, ['sent', 'failed', 'needs-sign-in']);
    expect(waiting.state).toBe('needs-sign-in');
    expect(waiting.error).toMatchObject({ code: 'SIGN_IN_REQUIRED' });
    expect(waiting.error!.message).toContain('Work needs you to sign in again');
    expect(waiting.error!.hint).toMatch(/account signin Work/);
    expect((await core.handlers['accounts:list'](undefined)).find((a) => a.id === account.id)!.login).toMatchObject({ state: 'sign-in-required' });
    expect(smtp.received).toHaveLength(0);

    await signIn(core, { accountId: account.id });
    expect((await reaches(core, item.id, ['sent', 'failed'])).state).toBe('sent');
    expect(smtp.received).toHaveLength(1);
    await core.handlers['accounts:remove']({ id: account.id });
  });

  it('the doctor gets a token first (a phase of its own, timed), logs in with XOAUTH2, and shows no token', async () => {
    const smtp = await xoauth2Server('google');
    const { core, clock } = await newCore();
    const { account } = await signIn(core, issuerSignIn(smtp.port));
    const first = await core.handlers['accounts:test']({ id: account.id });
    expect(first.phases.map((p) => `${p.name}:${p.status}`)).toEqual(['token:passed', 'resolve:passed', 'connect:passed', 'greeting:passed', 'tls:skipped', 'auth:passed', 'envelope:passed', 'send:skipped']);
    expect(first.phases[0]!.note).toMatch(/^the stored access token, valid for \d+ min$/);
    expect(first.phases.find((p) => p.name === 'auth')!.note).toBe('AUTH XOAUTH2');
    clock.advance(3600_000);
    const second = await core.handlers['accounts:test']({ id: account.id });
    expect(second.ok).toBe(true);
    expect(second.phases[0]!.note).toMatch(/^refreshed; the new refresh token is stored/);
    const tokens = await record(account.id);
    for (const report of [first, second]) {
      const text = JSON.stringify(report);
      for (const t of [tokens.accessToken!, tokens.refreshToken!, Buffer.from(tokens.accessToken!).toString('base64')]) expect(text).not.toContain(t);
      expect(report.transcript.some((l) => l.text === 'AUTH XOAUTH2 /* user and access token */')).toBe(true);
    }
    await core.handlers['accounts:remove']({ id: account.id });
  });

  it('a user who cancels at the consent page gets SIGN_IN_REQUIRED and no account is saved', async () => {
    const { core } = await newCore();
    const started = await core.handlers['accounts:sign-in-start'](issuerSignIn(2525, 'Denied'));
    const page = await consentAt(browser, started.url, { login: USER, deny: true });
    expect(page).toContain('access was denied');
    await expect(core.handlers['accounts:sign-in-finish']({ signInId: started.signInId })).rejects.toMatchObject({ info: { code: 'SIGN_IN_REQUIRED' } });
    expect((await core.handlers['accounts:list'](undefined)).map((a) => a.name)).toEqual(['Sandbox']);
  });

  it('a redirect whose state does not match is refused, and the listener answers nothing else first', async () => {
    const { core } = await newCore();
    const started = await core.handlers['accounts:sign-in-start'](issuerSignIn(2525, 'Forged'));
    const redirect = new URL(new URL(started.url).searchParams.get('redirect_uri')!);
    // Another path, or a page that rebinds a name to 127.0.0.1: turned away, the sign-in still waits.
    expect((await fetch(new URL('/favicon.ico', redirect))).status).toBe(404);
    expect(await statusWithHost(redirect, `rebind.test:${redirect.port}`)).toBe(404);
    const forged = await fetch(new URL(`/?code=stolen&state=not-the-one&iss=${encodeURIComponent(provider.issuer)}`, redirect));
    expect(forged.status).toBe(400);
    await expect(core.handlers['accounts:sign-in-finish']({ signInId: started.signInId })).rejects.toMatchObject({ info: { code: 'AUTH_FAILED' } });
    // One answer only: the listener is gone.
    await expect(fetch(redirect)).rejects.toThrow();
  });

  it('the provider sends the browser back to this sign-in’s listener only: another host or path in the request is refused', async () => {
    const { core } = await newCore();
    const started = await core.handlers['accounts:sign-in-start'](issuerSignIn(2525, 'Elsewhere'));
    const redirect = new URL(new URL(started.url).searchParams.get('redirect_uri')!);
    for (const elsewhere of [`http://localhost:${redirect.port}/`, `http://127.0.0.1:${redirect.port}/other`, 'http://attacker.example/']) {
      const tampered = new URL(started.url);
      tampered.searchParams.set('redirect_uri', elsewhere);
      const res = await fetch(tampered, { redirect: 'manual' });
      expect(res.status, elsewhere).toBe(400);
      expect(await res.text()).toContain('invalid_redirect_uri');
    }
    expect(await core.handlers['accounts:sign-in-cancel']({ signInId: started.signInId })).toEqual({ cancelled: true });
    await expect(core.handlers['accounts:sign-in-finish']({ signInId: started.signInId })).rejects.toMatchObject({ info: { code: 'SIGN_IN_REQUIRED', message: 'The sign-in was cancelled.' } });
  });

  it('a code bound to another PKCE challenge is refused by the provider and reported as AUTH_FAILED', async () => {
    const { core } = await newCore();
    const started = await core.handlers['accounts:sign-in-start'](issuerSignIn(2525, 'Pkce'));
    const tampered = new URL(started.url);
    tampered.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const page = await consentAt(browser, tampered.href, { login: USER });
    expect(page).toContain('could not sign in');
    await expect(core.handlers['accounts:sign-in-finish']({ signInId: started.signInId })).rejects.toMatchObject({ info: { code: 'AUTH_FAILED' } });
    expect(provider.grantErrors.join('\n')).toMatch(/code_verifier/);
  });

  it('a preset’s app registration goes to that provider only: another issuer under its name is refused', async () => {
    const core = (await createCore({ dataDir: tempDir(), keychain, autoRun: false, env: { MAILWRIGHT_OAUTH_GOOGLE_CLIENT_ID: 'g-id', MAILWRIGHT_OAUTH_GOOGLE_CLIENT_SECRET: 'g-secret', MAILWRIGHT_OAUTH_MICROSOFT_CLIENT_ID: 'm-id' } }));
    cores.push(core);
    const account = accountFor(2525, 'Spoof');
    await expect(core.handlers['accounts:sign-in-start']({ account, oauth: { provider: 'google', issuer: provider.issuer } })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', message: expect.stringContaining('is not Google') } });
    await expect(core.handlers['accounts:sign-in-start']({ account, oauth: { provider: 'microsoft', issuer: 'https://login.microsoftonline.com.evil.test/t/v2.0' } })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    // A provider of one's own never gets the presets' registrations: it needs its own client ID.
    await expect(core.handlers['accounts:sign-in-start']({ account, oauth: { provider: 'issuer', issuer: provider.issuer, scopes: SCOPES } })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', message: 'No client ID was given for this provider.' } });
  });
});
