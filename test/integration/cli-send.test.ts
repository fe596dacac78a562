import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../helpers/certs';
import { cli } from '../helpers/cli';
import { startTestSmtp, type TestSmtpOptions, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

// The CLI against real smtp-server instances on loopback, and the real keychain (npm test runs
// inside scripts/with-keyring.sh). Every failure must come back as a named code with the reply.

const PASSWORD = 'correct horse battery staple';
const servers: TestSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(opts: Partial<TestSmtpOptions> = {}) {
  const s = await startTestSmtp({ mode: 'starttls', users: { alice: PASSWORD }, ...opts });
  servers.push(s);
  return s;
}

async function account(dir: string, port: number, extra: string[] = [], password = PASSWORD) {
  const { fingerprint256 } = await selfSignedCert();
  const r = await cli(
    ['--data-dir', dir, '--json', 'account', 'add', 'Work', '--email', 'alice@example.test', '--display-name', 'Alice Émile', '--host', '127.0.0.1', '--port', String(port), '--security', 'starttls', '--user', 'alice', '--password-stdin', '--accept-cert', fingerprint256, ...extra],
    password,
  );
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r;
}

const send = (dir: string, extra: string[] = []) =>
  cli(['--data-dir', dir, '--json', 'send', '--account', 'Work', '--to', 'bob@example.test', '--subject', 'Привет', '--text', 'hello', ...extra]);

describe('mailwright send against real SMTP servers', () => {
  it('delivers through STARTTLS + AUTH with a pinned self-signed certificate', async () => {
    const dir = tempDir();
    const s = await server();
    await account(dir, s.port);
    const r = await send(dir, ['--cc', 'carol@example.test', '--bcc', 'dave@example.test']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json).toMatchObject({ ok: true, accepted: ['bob@example.test', 'carol@example.test', 'dave@example.test'], rejected: [] });
    expect(r.json.response).toMatch(/^250/);
    expect(s.received).toHaveLength(1);
    const got = s.received[0]!;
    expect(got.to.sort()).toEqual(['bob@example.test', 'carol@example.test', 'dave@example.test']);
    expect(got.parsed.subject).toBe('Привет');
    expect(got.parsed.messageId).toBe(r.json.messageId);
    expect(got.raw.toString()).not.toContain('dave@example.test');
    const list = await cli(['--data-dir', dir, '--json', 'outbox', 'list']);
    expect((list.json.items as Array<{ state: string }>)[0]!.state).toBe('sent');
  });

  it('refuses an unpinned self-signed certificate with CERT_UNTRUSTED and keeps the message', async () => {
    const dir = tempDir();
    const s = await server();
    await account(dir, s.port, ['--accept-cert', 'AB'.repeat(32)]);
    const r = await send(dir);
    expect(r.code).toBe(1);
    expect(r.json.error?.code).toBe('CERT_UNTRUSTED');
    expect(s.received).toHaveLength(0);
    const list = await cli(['--data-dir', dir, '--json', 'outbox', 'list']);
    const items = list.json.items as Array<{ id: string; state: string }>;
    expect(items[0]!.state).toBe('failed');
    const kept = join(dir, 'kept.eml');
    expect((await cli(['--data-dir', dir, 'outbox', 'export', items[0]!.id, kept])).code).toBe(0);
    expect(await fs.readFile(kept, 'utf8')).toContain('hello');
  });

  it('refuses a self-signed certificate when nothing is pinned', async () => {
    const dir = tempDir();
    const s = await server();
    const add = await cli(['--data-dir', dir, '--json', 'account', 'add', 'Work', '--email', 'alice@example.test', '--host', '127.0.0.1', '--port', String(s.port), '--security', 'starttls', '--user', 'alice', '--password-stdin'], PASSWORD);
    expect(add.code).toBe(0);
    const r = await send(dir);
    expect(r.json.error?.code).toBe('CERT_UNTRUSTED');
    // account test shows the fingerprint to pin
    const test = await cli(['--data-dir', dir, '--json', 'account', 'test', 'Work']);
    expect(test.code).toBe(1);
    expect(test.json.certificate).toMatchObject({ fingerprint256: (await selfSignedCert()).fingerprint256, trusted: false });
  });

  it('sends over implicit TLS', async () => {
    const dir = tempDir();
    const s = await server({ mode: 'tls' });
    await account(dir, s.port, ['--security', 'tls']);
    const r = await send(dir);
    expect(r.code, r.stdout).toBe(0);
    expect(s.received).toHaveLength(1);
  });

  it('reports a wrong password as AUTH_FAILED with the server reply', async () => {
    const dir = tempDir();
    const s = await server();
    await account(dir, s.port, [], 'wrong password');
    const r = await send(dir);
    expect(r.code).toBe(1);
    expect(r.json.error).toMatchObject({ code: 'AUTH_FAILED', smtp: { code: 535 } });
    expect(r.stdout).not.toContain('wrong password');
  });

  it('reports refused recipients: all refused fails, some refused is partial delivery', async () => {
    const dir = tempDir();
    const s = await server({ refuseRcpt: { 'bob@example.test': [550, '5.1.1 No such user here'] } });
    await account(dir, s.port);
    const all = await send(dir);
    expect(all.code).toBe(1);
    expect(all.json.error).toMatchObject({ code: 'RECIPIENTS_REJECTED', smtp: { code: 550 } });
    const some = await send(dir, ['--to', 'carol@example.test']);
    expect(some.code).toBe(3); // sent, but not to everyone: a script must be able to tell
    expect(some.json).toMatchObject({ state: 'partially-delivered', accepted: ['carol@example.test'], rejected: [{ address: 'bob@example.test', code: 550 }] });
    expect(s.received.map((m) => m.to)).toEqual([['carol@example.test']]);
    // Without --json, the person at the terminal is told who did not get it.
    const human = await cli(['--data-dir', dir, 'send', '--account', 'Work', '--to', 'bob@example.test', '--to', 'dan@example.test', '--subject', 'Hi', '--text', 'hello']);
    expect(human.code).toBe(3);
    expect(human.stdout).toMatch(/to 1 of 2 recipients; refused: bob@example\.test \(550 5\.1\.1 No such user here\)/);
  });

  it('reports a 451 as SERVER_TEMPORARY and a refused sender as SENDER_REJECTED', async () => {
    const dir = tempDir();
    const s = await server({ refuseRcpt: { 'bob@example.test': [451, '4.3.0 Try again later'] } });
    await account(dir, s.port);
    const r = await send(dir);
    expect(r.json.error).toMatchObject({ code: 'SERVER_TEMPORARY', smtp: { code: 451 } });

    const dir2 = tempDir();
    const s2 = await server({ refuseSender: [553, '5.7.1 Sender address rejected: not owned by user alice'] });
    await account(dir2, s2.port);
    const r2 = await send(dir2);
    expect(r2.json.error).toMatchObject({ code: 'SENDER_REJECTED', smtp: { code: 553 } });
  });

  it('reports a closed port as CONNECTION_REFUSED', async () => {
    const dir = tempDir();
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    await cli(['--data-dir', dir, 'account', 'add', 'Work', '--email', 'alice@example.test', '--host', '127.0.0.1', '--port', String(port), '--security', 'none']);
    const r = await send(dir);
    expect(r.code).toBe(1);
    expect(r.json.error?.code).toBe('CONNECTION_REFUSED');
  });

  it('reports implicit TLS against a STARTTLS port as TLS_MISMATCH', async () => {
    const dir = tempDir();
    const s = await server();
    await cli(['--data-dir', dir, 'account', 'add', 'Work', '--email', 'alice@example.test', '--host', '127.0.0.1', '--port', String(s.port), '--security', 'tls']);
    const r = await send(dir);
    expect(r.code).toBe(1);
    expect(r.json.error?.code).toBe('TLS_MISMATCH');
    expect(r.json.error?.hint).toMatch(/starttls/);
  });

  it('refuses bad input with exit 2 before anything is written or sent', async () => {
    const dir = tempDir();
    const s = await server();
    await account(dir, s.port);
    const cases: Array<[string[], RegExp]> = [
      [['--account', 'Nope'], /no account named/i],
      [['--to', 'not-an-address'], /not a valid email|not an email/i],
      [['--subject', 'Hi\r\nBcc: evil@example.test'], /line breaks/],
      [['--attach', join(dir, 'missing.pdf')], /cannot be read/],
      [['--html-file', join(dir, 'missing.html')], /cannot read/i],
    ];
    for (const [extra, message] of cases) {
      const r = await cli(['--data-dir', dir, '--json', 'send', '--account', 'Work', '--to', 'bob@example.test', '--subject', 'x', '--text', 'y', ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.json.ok).toBe(false);
      expect(r.json.error?.message).toMatch(message);
    }
    const usage = await cli(['--data-dir', dir, '--json', 'send', '--to', 'bob@example.test']);
    expect(usage.code).toBe(2);
    expect(usage.json.error?.code).toBe('INVALID_INPUT');
    expect(s.sessions).toBe(0);
    expect((await cli(['--data-dir', dir, '--json', 'outbox', 'list'])).json.items).toEqual([]);
  });

  it('account test passes with a redacted transcript, and fails on the auth phase for a wrong password', async () => {
    const dir = tempDir();
    const s = await server();
    await account(dir, s.port);
    const ok = await cli(['--data-dir', dir, '--json', 'account', 'test', 'Work']);
    expect(ok.code, ok.stdout).toBe(0);
    expect((ok.json.phases as Array<{ name: string; status: string }>).map((p) => `${p.name}:${p.status}`)).toEqual(['resolve:passed', 'connect:passed', 'greeting:passed', 'tls:passed', 'auth:passed', 'envelope:passed', 'send:skipped']);
    const transcript = JSON.stringify(ok.json.transcript);
    expect(transcript).toContain('STARTTLS');
    expect(transcript).toMatch(/"tls":true/);
    expect(transcript).not.toContain(PASSWORD);
    expect(transcript).not.toContain(Buffer.from(`\0alice\0${PASSWORD}`).toString('base64'));
    expect(s.received).toHaveLength(0);

    const human = await cli(['--data-dir', dir, 'account', 'test', 'Work']);
    expect(human.stdout).toMatch(/PASS\s+Login/);

    await cli(['--data-dir', dir, 'account', 'remove', 'Work']);
    await account(dir, s.port, [], 'nope');
    const bad = await cli(['--data-dir', dir, '--json', 'account', 'test', 'Work']);
    expect(bad.code).toBe(1);
    expect((bad.json.phases as Array<{ name: string }>).at(-1)).toMatchObject({ name: 'auth', status: 'failed', code: 'AUTH_FAILED', field: 'password' });
    expect(bad.json.error?.code).toBe('AUTH_FAILED');
  });

  it('sends to the built-in Sandbox and keeps the message for preview', async () => {
    const dir = tempDir();
    const r = await cli(['--data-dir', dir, '--json', 'send', '--account', 'Sandbox', '--to', 'x@example.test', '--subject', 'Sandbox ✓', '--text', 'caught']);
    expect(r.code, r.stdout).toBe(0);
    const names = await fs.readdir(join(dir, 'sandbox'));
    const eml = names.find((n) => n.endsWith('.eml'))!;
    expect(await fs.readFile(join(dir, 'sandbox', eml), 'utf8')).toContain('caught');
  });
});
