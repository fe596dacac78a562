import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { KeychainSecretStore } from '../../electron/core/secrets/keychain-store';
import { parseTokenRecord, serializeTokenRecord } from '../../electron/core/accounts/auth/token-record';
import { launchChromium } from '../helpers/browser';
import { cliProcess, mailwrightCommand, type CliRun } from '../helpers/cli';
import { CLIENT_ID, consentAt, startTestOAuthProvider, type TestOAuthProvider } from '../helpers/oauth-provider';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';
import { filesUnder } from '../helpers/files';

// The command line's OAuth2 sign-in, each step a new `mailwright` process on the real keychain:
// `account add --oauth` prints the address, a person signs in at it (Chromium here), the tokens
// land in the keychain; sends refresh silently, two processes refreshing at once lose nothing,
// and a revoked grant waits for `account signin`.

const USER = 'alice@example.test';
const keychain = new KeychainSecretStore();
let provider: TestOAuthProvider;
let browser: Browser;
let smtp: TestSmtpServer;
const said: string[] = [];

beforeAll(async () => {
  provider = await startTestOAuthProvider();
  browser = await launchChromium();
  smtp = await startTestSmtp({
    mode: 'plain',
    xoauth2: { refuseLike: 'google', check: async (token, user) => ((s) => s.active && s.sub === user)(await provider.introspect(token)) },
  });
});
afterAll(async () => {
  await smtp?.close();
  await browser?.close();
  await provider?.close();
});

const env = (dir: string): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, MAILWRIGHT_DATA_DIR: dir, MAILWRIGHT_NO_BROWSER: '1', npm_config_update_notifier: 'false' };
  delete e.DISPLAY;
  return e;
};

/** Run the command; when it prints "Sign in: URL" on stderr, sign in there as a person would. */
function withSignIn(args: string[], dir: string, opts: { deny?: boolean } = {}): Promise<CliRun & { page: string }> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = mailwrightCommand(args);
    const child = spawn(cmd, argv, { env: env(dir), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let page: Promise<string> | undefined;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      const url = /^Sign in: (\S+)$/m.exec(stderr)?.[1];
      if (url && !page) page = consentAt(browser, url, { login: USER, deny: opts.deny });
    });
    child.on('error', reject);
    child.on('close', async (code) => {
      said.push(stdout, stderr);
      const text = page ? await page.catch((e: Error) => `(the browser failed: ${e.message})`) : '(no address was printed)';
      resolve({ code: code ?? -1, stdout, stderr, json: JSON.parse(stdout || '{}'), page: text });
    });
  });
}

const run = async (args: string[], dir: string) => {
  const r = await cliProcess(args, { env: env(dir) });
  said.push(r.stdout, r.stderr);
  return r;
};
const tokensOf = async (id: string) => parseTokenRecord(await keychain.get(id))!;
/** Make the stored access token look expired, as it would be an hour later. */
const expire = async (id: string) => keychain.set(id, serializeTokenRecord({ ...(await tokensOf(id)), expiresAt: 0 }));

describe('mailwright account add --oauth, and sending with it', () => {
  it('signs in through the printed address, refreshes silently, shares one refresh between two processes, and waits for a new sign-in when the grant is revoked', async () => {
    const dir = tempDir();
    const add = await withSignIn(
      ['--json', 'account', 'add', 'Work', '--email', USER, '--oauth', provider.issuer, '--client-id', CLIENT_ID, '--scope', 'openid email offline_access smtp.send', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none'],
      dir,
    );
    expect(add.code, add.stdout + add.stderr).toBe(0);
    expect(add.stderr).toMatch(/^Sign in: http:\/\/127\.0\.0\.1:\d+\/auth\?/m);
    expect(add.page).toContain('Mailwright can now send as alice@example.test');
    const account = add.json.account as { id: string; login: unknown; oauth: unknown };
    expect(account.login).toMatchObject({ method: 'oauth2', state: 'signed-in', signedInAs: USER });
    const seen = new Set<string>();
    const remember = async () => {
      const t = await tokensOf(account.id);
      if (t?.refreshToken) seen.add(t.refreshToken);
      if (t?.accessToken) seen.add(t.accessToken);
      return t;
    };
    const first = await remember();

    const send = (subject: string) => run(['--json', 'send', '--account', 'Work', '--to', 'bob@example.test', '--subject', subject, '--text', 'hi'], dir);
    expect((await send('One')).code).toBe(0);
    expect(smtp.logins.at(-1)).toBe(first.accessToken);

    // Expired: two processes at once, one refresh between them, and the rotated token kept.
    await expire(account.id);
    const refreshes = provider.refreshes;
    const [a, b] = await Promise.all([send('Two'), send('Three')]);
    expect([a.code, b.code], a.stdout + b.stdout).toEqual([0, 0]);
    expect(provider.refreshes).toBe(refreshes + 1);
    expect(provider.grantErrors).toEqual([]);
    const second = await remember();
    expect(second.refreshToken).not.toBe(first.refreshToken);

    const list = await run(['account', 'list'], dir);
    expect(list.stdout).toMatch(/Work .*sign-in: 127\.0\.0\.1:\d+ \(signed in as alice@example\.test, tokens in the keychain\)/);

    // Revoked at the provider: the message waits, saying to sign in again; `account signin` and `outbox run` send it.
    await provider.revoke(second.refreshToken!);
    await expire(account.id);
    const waiting = await send('Four');
    expect(waiting.code).toBe(1);
    expect(waiting.json.error).toMatchObject({ code: 'SIGN_IN_REQUIRED', hint: expect.stringContaining('mailwright account signin Work') });
    expect(waiting.json.state).toBe('needs-sign-in');
    const again = await withSignIn(['--json', 'account', 'signin', 'Work'], dir);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    await remember();
    const ran = await run(['--json', 'outbox', 'run'], dir);
    expect(ran.code).toBe(0);
    expect(smtp.received.map((m) => m.parsed.subject).sort()).toEqual(['Four', 'One', 'Three', 'Two']);

    // No token, old or new, in any file of the data directory or anything the command said.
    expect(seen.size).toBeGreaterThanOrEqual(6);
    const files = await filesUnder(dir);
    for (const token of seen) {
      for (const text of said) expect(text.includes(token), 'a token in the output').toBe(false);
      for (const file of files) expect((await fs.readFile(file)).toString('latin1').includes(token), `a token in ${file}`).toBe(false);
    }
    expect((await run(['account', 'remove', 'Work'], dir)).code).toBe(0);
    expect(await keychain.get(account.id)).toBeNull();
  });

  it('says so when the person cancels at the provider, and saves nothing', async () => {
    const dir = tempDir();
    const add = await withSignIn(['--json', 'account', 'add', 'Nope', '--email', USER, '--oauth', provider.issuer, '--client-id', CLIENT_ID, '--scope', 'openid offline_access smtp.send', '--host', '127.0.0.1', '--port', '2525', '--security', 'none'], dir, { deny: true });
    expect(add.code).toBe(1);
    expect(add.json.error).toMatchObject({ code: 'SIGN_IN_REQUIRED', message: expect.stringContaining('access was denied') });
    expect((await run(['--json', 'account', 'list'], dir)).json.accounts).toHaveLength(1);
  });

  it('names what is missing when no client ID is set for a preset', async () => {
    const dir = tempDir();
    const r = await run(['--json', 'account', 'add', 'Outlook', '--email', 'ana@outlook.com', '--oauth', 'microsoft'], dir);
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ code: 'INVALID_INPUT', message: 'No client ID is set for signing in with Microsoft.', hint: expect.stringContaining('MAILWRIGHT_OAUTH_MICROSOFT_CLIENT_ID') });
  });
});

