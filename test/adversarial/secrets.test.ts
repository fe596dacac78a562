import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { invokeChannel } from '../../electron/core/invoke';
import { startWebServer } from '../../electron/web/server';
import { CHANNELS } from '../../shared/ipc/contract';
import { cli } from '../helpers/cli';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';
import { filesUnder } from '../helpers/files';
import { launchChromium } from '../helpers/browser';
import { FakeClock } from '../helpers/fake-clock';
import { CLIENT_ID, consentAt, startTestOAuthProvider } from '../helpers/oauth-provider';
import { reaches, testDraft } from '../helpers/outbox-harness';
import { KeychainSecretStore } from '../../electron/core/secrets/keychain-store';
import { parseTokenRecord } from '../../electron/core/accounts/auth/token-record';

// Secrets: a full run with a password (CLI account add --password-stdin against a real AUTH
// server, send, the doctor, accounts listed over IPC and browser mode, drafts, export), then every
// byte the run left or said is scanned for the password: plain, base64, and the AUTH PLAIN blob.
// The keychain is the real one (scripts/with-keyring.sh runs a private Secret Service).

const USER = 'alice';
const PASSWORD = `Pw-${randomBytes(9).toString('hex')}-Zx`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const NEEDLES = {
  plain: PASSWORD,
  base64: b64(PASSWORD), // AUTH LOGIN's password line
  'AUTH PLAIN': b64(`\0${USER}\0${PASSWORD}`),
  'AUTH PLAIN (authzid)': b64(`${USER}\0${USER}\0${PASSWORD}`),
  'base64url': Buffer.from(PASSWORD).toString('base64url'),
  hex: Buffer.from(PASSWORD).toString('hex'),
};

const servers: TestSmtpServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});


function hits(where: string, text: string): string[] {
  return Object.entries(NEEDLES)
    .filter(([, needle]) => text.includes(needle))
    .map(([form]) => `${where}: ${form}`);
}

describe('the password never leaves the keychain', () => {
  it('after a full run, no file, output, transcript, IPC or HTTP response holds it in any form', async () => {
    const dir = tempDir();
    const files = tempDir();
    const smtp = await startTestSmtp({ mode: 'plain', users: { [USER]: PASSWORD }, authMethods: ['PLAIN', 'LOGIN'] });
    servers.push(smtp);
    const said: Array<[string, string]> = [];
    const mw = async (args: string[], stdin = '') => {
      const run = await cli(['--data-dir', dir, '--json', ...args], stdin);
      said.push([`cli ${args.slice(0, 2).join(' ')} stdout`, run.stdout], [`cli ${args.slice(0, 2).join(' ')} stderr`, run.stderr]);
      return run;
    };

    // 1. The CLI: add with the password on stdin, send, test, doctor, list, export, compose.
    const add = await mw(['account', 'add', 'Work', '--email', 'alice@example.test', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none', '--user', USER, '--password-stdin'], `${PASSWORD}\n`);
    expect(add.code, add.stdout).toBe(0);
    await fs.writeFile(join(files, 'note.txt'), 'attached');
    const sent = await mw(['send', '--account', 'Work', '--to', 'bob@example.test', '--subject', 'Report', '--text', 'Hello', '--attach', join(files, 'note.txt')]);
    expect(sent.code, sent.stdout).toBe(0);
    expect(smtp.received).toHaveLength(1); // the password really was used: the server requires AUTH
    const test = await mw(['account', 'test', 'Work']);
    expect(test.code, test.stdout).toBe(0);
    expect((test.json.transcript as unknown[]).length).toBeGreaterThan(3);
    const testSend = await mw(['account', 'test', 'Work', '--send-test-to', 'bob@example.test']);
    expect(testSend.code, testSend.stdout).toBe(0);
    const doctor = await mw(['doctor', '--email', 'alice@example.test', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none', '--user', USER, '--password-stdin'], PASSWORD);
    expect(doctor.code, doctor.stdout).toBe(0);
    // A failed login says so without echoing what was tried.
    const wrong = await mw(['doctor', '--email', 'alice@example.test', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none', '--user', USER, '--password-stdin'], `${PASSWORD}x`);
    expect(wrong.code).toBe(1);
    await mw(['account', 'list']);
    await mw(['outbox', 'list']);
    await mw(['outbox', 'export', sent.json.id as string, join(dir, 'exported.eml')]);
    await mw(['compose', 'mailto:bob@example.test?subject=Draft&body=text']);

    // 2. The same data dir in a core with the real keychain: every channel that reads state, over IPC's door.
    const logs: string[] = [];
    const core = await createCore({ dataDir: dir, autoRun: false, log: (m, err) => void logs.push(`${m} ${String(err ?? '')}`) });
    const eventsSeen: string[] = [];
    for (const name of ['doctor:progress', 'outbox:changed', 'outbox:progress'] as const) core.events.on(name, (p) => void eventsSeen.push(JSON.stringify(p)));
    try {
      const accountId = (await core.handlers['accounts:list'](undefined)).find((a) => a.name === 'Work')!.id;
      expect((await core.handlers['accounts:list'](undefined)).find((a) => a.name === 'Work')!.login).toMatchObject({ state: 'stored' });
      const itemId = sent.json.id as string;
      const ipc: Array<[string, unknown]> = [
        ['accounts:list', undefined],
        ['accounts:test', { id: accountId, runId: 'r1' }],
        ['doctor:run', { accountId, email: 'alice@example.test', host: '127.0.0.1', port: smtp.port, security: 'none', username: USER, runId: 'r2' }],
        ['outbox:list', undefined],
        ['outbox:get', { id: itemId }],
        ['outbox:export', { id: itemId }],
        ['outbox:reopen', { id: itemId }],
        ['drafts:save', { accountId, to: 'bob@example.test', subject: 'Saved', html: '<p>draft</p>' }],
        ['drafts:list', undefined],
        ['message:preview', { accountId, to: ['bob@example.test'], subject: 'Preview', text: 'x' }],
        ['settings:get', undefined],
        ['sandbox:list', undefined],
        ['recipients:suggest', { query: 'b' }],
        ['accounts:set-signature', { id: accountId, html: '<p>Alice</p>' }],
        ['accounts:save', { id: accountId, name: 'Work', email: 'alice@example.test', host: '127.0.0.1', port: smtp.port, security: 'none', username: USER }],
      ];
      for (const [channel, payload] of ipc) {
        expect(CHANNELS).toContain(channel);
        const r = await invokeChannel(core.handlers, channel, payload);
        expect(r.ok, `${channel}: ${JSON.stringify(r)}`).toBe(true);
        said.push([`ipc ${channel}`, JSON.stringify(r)]);
      }
      const doctorViaIpc = said.find(([w]) => w === 'ipc doctor:run')![1];
      expect(JSON.parse(doctorViaIpc).value.ok).toBe(true); // the stored password came from the keychain and worked

      // 3. Browser mode: the same handlers over loopback HTTP.
      const web = await startWebServer(core, { rendererDir: tempDir() });
      try {
        for (const [channel, payload] of [['accounts:list', undefined], ['outbox:list', undefined], ['accounts:test', { id: accountId }], ['drafts:list', undefined], ['outbox:export', { id: itemId }]] as const) {
          const res = await fetch(`http://127.0.0.1:${web.port}/api/${channel}`, { method: 'POST', headers: { Authorization: `Bearer ${web.token}`, 'Content-Type': 'application/json' }, body: payload === undefined ? '' : JSON.stringify(payload) });
          const body = await res.text();
          expect(res.status, body).toBe(200);
          said.push([`http ${channel}`, `${JSON.stringify([...res.headers])}\n${body}`]);
        }
      } finally {
        await web.close();
      }
    } finally {
      await core.close();
    }
    said.push(['core log', logs.join('\n')], ['core events', eventsSeen.join('\n')]);

    // 4. The scan.
    const found: string[] = [];
    for (const [where, text] of said) found.push(...hits(where, text));
    const dataFiles = await filesUnder(dir);
    expect(dataFiles.length).toBeGreaterThanOrEqual(5); // the database, its WAL, accounts, settings, exports
    for (const f of dataFiles) {
      const bytes = await fs.readFile(f);
      found.push(...hits(f, bytes.toString('utf8')), ...hits(`${f} (latin1)`, bytes.toString('latin1')));
    }
    // The needles are real: the wrong password's transcript and the server did see the right blob.
    expect(hits('self-check', `x${NEEDLES['AUTH PLAIN']}x`)).toHaveLength(1);
    expect(found).toEqual([]);

    // Clean the real keychain.
    const removed = await mw(['account', 'remove', 'Work']);
    expect(removed.code).toBe(0);
  });
});

describe('OAuth2 tokens and the vault passphrase never leave the secret store', () => {
  it('after sign-in, sends, a refresh, the doctor and a move into the vault: no token or passphrase in any file, response, event or log', async () => {
    const provider = await startTestOAuthProvider();
    const browser = await launchChromium();
    const smtp = await startTestSmtp({ mode: 'plain', xoauth2: { refuseLike: 'google', check: async (token, user) => ((r) => r.active && r.sub === user)(await provider.introspect(token)) } });
    servers.push(smtp, { close: () => provider.close() } as TestSmtpServer);
    const dir = tempDir();
    const clock = new FakeClock();
    const logs: string[] = [];
    const said: Array<[string, string]> = [];
    const secrets = new Set<string>();
    const passphrase = `Vault-${randomBytes(8).toString('hex')}`;
    const core = await createCore({ dataDir: dir, clock, autoRun: true, env: {}, log: (m, err) => void logs.push(`${m} ${String(err ?? '')}`) });
    for (const name of ['doctor:progress', 'outbox:changed', 'outbox:progress'] as const) core.events.on(name, (p) => void said.push([`event ${name}`, JSON.stringify(p)]));
    const keychain = new KeychainSecretStore();
    const remember = async (id: string) => {
      const r = parseTokenRecord(await keychain.get(id).catch(() => null));
      for (const t of [r?.accessToken, r?.refreshToken]) if (t) secrets.add(t);
    };
    try {
      const started = await core.handlers['accounts:sign-in-start']({ account: { name: 'Work', email: 'alice@example.test', displayName: '', host: '127.0.0.1', port: smtp.port, security: 'none' }, oauth: { provider: 'issuer', issuer: provider.issuer, clientId: CLIENT_ID, scopes: ['openid', 'offline_access', 'smtp.send'] } });
      said.push(['sign-in-start', JSON.stringify(started)]);
      said.push(['consent page', await consentAt(browser, started.url, { login: 'alice@example.test' })]);
      const account = await core.handlers['accounts:sign-in-finish']({ signInId: started.signInId });
      await remember(account.id);
      const first = await core.handlers['outbox:enqueue'](testDraft(account.id));
      expect((await reaches(core, first.id, ['sent', 'failed', 'needs-sign-in'])).state).toBe('sent');
      // An hour later the doctor's token phase refreshes (the pooled connection of the first send
      // is still logged in and would need none): a new access token and a rotated refresh token.
      clock.advance(3600_000);
      said.push(['doctor after an hour', JSON.stringify(await core.handlers['accounts:test']({ id: account.id }))]);
      await remember(account.id);
      const second = await core.handlers['outbox:enqueue'](testDraft(account.id));
      expect((await reaches(core, second.id, ['sent', 'failed', 'needs-sign-in'])).state).toBe('sent');
      expect(secrets.size).toBe(4);

      for (const [channel, payload] of [
        ['accounts:list', undefined],
        ['accounts:test', { id: account.id, runId: 'r1' }],
        ['doctor:run', { accountId: account.id, email: 'alice@example.test', host: '127.0.0.1', port: smtp.port, security: 'none', runId: 'r2' }],
        ['outbox:list', undefined],
        ['outbox:get', { id: second.id }],
        ['outbox:export', { id: second.id }],
        ['accounts:oauth-clients', undefined],
        ['secrets:status', undefined],
        ['secrets:use-vault', { passphrase }],
        ['accounts:list', undefined],
        ['accounts:test', { id: account.id }],
      ] as const) {
        const r = await invokeChannel(core.handlers, channel, payload);
        expect(r.ok, `${channel}: ${JSON.stringify(r)}`).toBe(true);
        said.push([`ipc ${channel}`, JSON.stringify(r)]);
      }
      expect(await keychain.get(account.id)).toBeNull(); // moved into the vault
      const web = await startWebServer(core, { rendererDir: tempDir() });
      try {
        for (const channel of ['accounts:list', 'outbox:list', 'secrets:status']) {
          const res = await fetch(`http://127.0.0.1:${web.port}/api/${channel}`, { method: 'POST', headers: { Authorization: `Bearer ${web.token}` }, body: '' });
          said.push([`http ${channel}`, await res.text()]);
        }
      } finally {
        await web.close();
      }
      expect(smtp.logins.every((t) => secrets.has(t))).toBe(true); // the needles are the tokens really used
    } finally {
      await core.close();
      await browser.close();
    }
    said.push(['core log', logs.join('\n')]);
    const forms = (t: string) => [t, Buffer.from(t).toString('base64'), Buffer.from(t).toString('base64url'), Buffer.from(t).toString('hex'), Buffer.from(`user=alice@example.test\x01auth=Bearer ${t}\x01\x01`).toString('base64')];
    const needles = [...[...secrets].flatMap(forms), ...forms(passphrase)];
    const found: string[] = [];
    for (const [where, text] of said) for (const n of needles) if (text.includes(n)) found.push(where);
    for (const f of await filesUnder(dir)) {
      const text = (await fs.readFile(f)).toString('latin1');
      for (const n of needles) if (text.includes(n)) found.push(f);
    }
    expect(found).toEqual([]);
  });
});
