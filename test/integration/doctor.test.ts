import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionTestReport } from '../../shared/model/connection-test';
import { runDoctor, type DoctorInput } from '../../electron/core/smtp/doctor/doctor';
import { selfSignedCert, testCa } from '../helpers/certs';
import { mailwrightCommand } from '../helpers/cli';
import { startTestSmtp, type TestSmtpOptions, type TestSmtpServer } from '../helpers/smtp-server';
import { blackHole, scriptedServer, type Listening } from '../helpers/tcp-servers';

// Every diagnosis the doctor promises, against a real server on loopback: the failing phase, the
// code, the setting to change — and never a DATA command.
const PASSWORD = 'doctor-secret-pw';
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function smtp(opts: Partial<TestSmtpOptions> = {}): Promise<TestSmtpServer> {
  const s = await startTestSmtp({ mode: 'starttls', users: { ana: PASSWORD }, ...opts });
  open.push(s);
  return s;
}
const track = <T extends Listening>(l: T) => (open.push(l), l);

async function diagnose(port: number, extra: Partial<DoctorInput> = {}): Promise<ConnectionTestReport> {
  const { fingerprint256 } = await selfSignedCert();
  return runDoctor({ email: 'ana@example.test', host: '127.0.0.1', port, security: 'starttls', username: 'ana', password: PASSWORD, pinnedCertSha256: fingerprint256, ...extra });
}
/** Run a command without blocking this process (the SMTP servers under test live in it). */
function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
const failure = (r: ConnectionTestReport) => r.phases.find((p) => p.status === 'failed');
const statuses = (r: ConnectionTestReport) => r.phases.map((p) => `${p.name}:${p.status}`);

describe('the SMTP doctor against real servers', () => {
  it('passes every phase on a good STARTTLS server, reports capabilities and certificate, sends nothing', async () => {
    const s = await smtp({ size: 10_000_000 });
    const r = await diagnose(s.port);
    expect(statuses(r)).toEqual(['resolve:passed', 'connect:passed', 'greeting:passed', 'tls:passed', 'auth:passed', 'envelope:passed', 'send:skipped']);
    expect(r.ok).toBe(true);
    expect(r.capabilities).toMatchObject({ starttls: true, auth: ['LOGIN', 'PLAIN'], size: 10_000_000, smtputf8: true, eightBitMime: true, pipelining: true });
    expect(r.certificate).toMatchObject({ trusted: true, pinned: true, fingerprint256: (await selfSignedCert()).fingerprint256, protocol: expect.stringMatching(/TLSv1\.[23]/) });
    const sent = r.transcript.filter((l) => l.dir === 'sent').map((l) => l.text);
    expect(sent).toEqual(['EHLO mailwright.localhost', 'STARTTLS', 'EHLO mailwright.localhost', 'AUTH PLAIN /* secret */', 'MAIL FROM:<ana@example.test>', 'RCPT TO:<ana@example.test>', 'RSET', 'QUIT']);
    expect(r.transcript.find((l) => l.text.startsWith('MAIL FROM'))?.tls).toBe(true);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
    expect(JSON.stringify(r)).not.toContain(Buffer.from(`\0ana\0${PASSWORD}`).toString('base64'));
    expect(s.dataCommands).toBe(0);
    expect(s.received).toHaveLength(0);
  });

  it('passes over implicit TLS, TLS before the greeting', async () => {
    const s = await smtp({ mode: 'tls' });
    const r = await diagnose(s.port, { security: 'tls' });
    expect(statuses(r)).toEqual(['resolve:passed', 'connect:passed', 'tls:passed', 'greeting:passed', 'auth:passed', 'envelope:passed', 'send:skipped']);
    expect(r.transcript[0]?.tls).toBe(true);
  });

  it('trusts a CA-issued certificate for the right name without a pin, and names the host setting for the wrong name', async () => {
    const ca = await testCa();
    const leaf = await ca.leaf(['localhost']); // no 127.0.0.1 in it: the same server is "another name" by IP
    const s = await smtp({ tlsCert: leaf });
    // Trusting the test CA needs it at process start: run the real CLI with NODE_EXTRA_CA_CERTS.
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/mw-ca-');
    writeFileSync(`${dir}/ca.pem`, ca.cert);
    const doctor = (host: string) =>
      run(...mailwrightCommand(['--data-dir', dir, '--json', 'doctor', '--email', 'ana@example.test', '--host', host, '--port', String(s.port), '--security', 'starttls', '--user', 'ana', '--password-stdin']), {
        input: PASSWORD,
        env: { ...process.env, NODE_EXTRA_CA_CERTS: `${dir}/ca.pem`, npm_config_update_notifier: 'false' },
      });
    const good = await doctor('localhost');
    expect(good.status, good.stdout + good.stderr).toBe(0);
    expect(JSON.parse(good.stdout).certificate).toMatchObject({ trusted: true, pinned: false, nameMatches: true });
    const wrong = await doctor('127.0.0.1');
    expect(wrong.status).toBe(1);
    const report = JSON.parse(wrong.stdout);
    expect(report.phases.at(-1)).toMatchObject({ name: 'tls', status: 'failed', code: 'CERT_UNTRUSTED', field: 'host' });
    expect(report.certificate).toMatchObject({ nameMatches: false, problem: 'issued for another name' });
  });

  it.each([
    ['a self-signed certificate', 'valid', undefined, /self-signed/],
    ['an expired certificate', 'expired', undefined, /expired/],
    ['a certificate other than the pinned one', 'valid', 'AB'.repeat(32).match(/../g)!.join(':'), /pinned/],
  ] as const)('stops at TLS for %s, shows its fingerprint, and never sends the password', async (_what, kind, pin, message) => {
    const cert = await selfSignedCert(kind);
    const s = await smtp({ tlsCert: cert });
    const r = await diagnose(s.port, { pinnedCertSha256: pin });
    expect(failure(r)).toMatchObject({ name: 'tls', code: 'CERT_UNTRUSTED', message: expect.stringMatching(message), details: { presentedSha256: cert.fingerprint256 } });
    expect(r.phases.map((p) => p.name)).not.toContain('auth');
    expect(r.transcript.some((l) => /^AUTH/.test(l.text))).toBe(false);
  });

  it('unknown host → DNS_NOT_FOUND at resolve, naming the host setting', async () => {
    const r = await diagnose(25, { host: 'no-such-host.invalid' });
    expect(failure(r)).toMatchObject({ name: 'resolve', code: 'DNS_NOT_FOUND', field: 'host' });
  });

  it('closed port → CONNECTION_REFUSED at connect, naming the port', async () => {
    const l = await scriptedServer(() => undefined);
    await l.close();
    const r = await diagnose(l.port);
    expect(failure(r)).toMatchObject({ name: 'connect', code: 'CONNECTION_REFUSED', field: 'port' });
  });

  it('firewall black hole → TIMEOUT at connect', async () => {
    const hole = track(await blackHole());
    const r = await runDoctor({ email: 'a@example.test', host: '127.0.0.1', port: hole.port, security: 'starttls' }, { timeouts: { connect: 1500 } });
    expect(failure(r)).toMatchObject({ name: 'connect', code: 'TIMEOUT', field: 'port' });
    expect(failure(r)?.hint).toMatch(/firewall/);
  });

  it('a listener that never greets → TIMEOUT at greeting', async () => {
    const silent = track(await scriptedServer(() => undefined));
    const r = await diagnose(silent.port);
    expect(failure(r)).toMatchObject({ name: 'greeting', code: 'TIMEOUT' });
  });

  it('implicit TLS against a STARTTLS port → TLS_MISMATCH, use starttls', async () => {
    const s = await smtp();
    const r = await diagnose(s.port, { security: 'tls' });
    expect(failure(r)).toMatchObject({ name: 'tls', code: 'TLS_MISMATCH', field: 'security', hint: expect.stringMatching(/"starttls"/) });
  });

  it('STARTTLS against an implicit-TLS port → TLS_MISMATCH, use tls', async () => {
    const s = await smtp({ mode: 'tls' });
    const r = await diagnose(s.port, { security: 'starttls' });
    expect(failure(r)).toMatchObject({ name: 'greeting', code: 'TLS_MISMATCH', field: 'security', hint: expect.stringMatching(/"tls"/) });
  });

  it('STARTTLS required but not offered → TLS_FAILED at tls', async () => {
    const s = await smtp({ mode: 'plain' });
    const r = await diagnose(s.port);
    expect(failure(r)).toMatchObject({ name: 'tls', code: 'TLS_FAILED', field: 'security' });
    expect(r.transcript.some((l) => /^AUTH/.test(l.text))).toBe(false);
  });

  it('a login method Mailwright does not speak → AUTH_UNSUPPORTED', async () => {
    const s = await smtp({ authMethods: ['CRAM-MD5'] });
    const r = await diagnose(s.port);
    expect(failure(r)).toMatchObject({ name: 'auth', code: 'AUTH_UNSUPPORTED', message: expect.stringMatching(/CRAM-MD5/) });
  });

  it('a server that offers no login while a user name is set is a failure, not a success', async () => {
    const s = await smtp({ users: undefined, noAuth: true });
    const r = await diagnose(s.port);
    expect(failure(r)).toMatchObject({ name: 'auth', code: 'AUTH_UNSUPPORTED', field: 'username' });
  });

  it('wrong credentials → AUTH_FAILED with the server reply, naming the password', async () => {
    const s = await smtp();
    const r = await diagnose(s.port, { password: 'wrong' });
    expect(failure(r)).toMatchObject({ name: 'auth', code: 'AUTH_FAILED', field: 'password', smtp: { code: 535 } });
  });

  it('wrong credentials at a big provider get its app-password hint', async () => {
    const s = await smtp();
    const r = await diagnose(s.port, { password: 'wrong', email: 'ana@gmail.com' });
    expect(failure(r)?.hint).toMatch(/Google.*app password/);
  });

  it('sender refused → SENDER_REJECTED at envelope, naming the email setting', async () => {
    const s = await smtp({ refuseSender: [553, '5.7.1 Sender address rejected: not owned by user ana'] });
    const r = await diagnose(s.port);
    expect(failure(r)).toMatchObject({ name: 'envelope', code: 'SENDER_REJECTED', field: 'email', smtp: { code: 553, command: 'MAIL FROM' } });
  });

  it('recipient refused → RECIPIENTS_REJECTED at envelope', async () => {
    const s = await smtp({ refuseRcpt: { 'nobody@example.test': [550, '5.1.1 No such user'] } });
    const r = await diagnose(s.port, { rcpt: 'nobody@example.test' });
    expect(failure(r)).toMatchObject({ name: 'envelope', code: 'RECIPIENTS_REJECTED', field: 'rcpt', smtp: { code: 550 } });
  });

  it('a server that hangs up → a named failure at the phase it happened in', async () => {
    const rude = track(await scriptedServer((socket) => {
      socket.write('220 rude.example ESMTP\r\n');
      socket.once('data', () => socket.end('421 4.7.0 Too many connections from your address\r\n'));
    }));
    const r = await diagnose(rude.port);
    expect(failure(r)).toMatchObject({ name: 'greeting', code: 'SERVER_TEMPORARY' });
    expect(JSON.stringify(failure(r))).toMatch(/Too many connections/);
  });

  it('sends a real message only when asked', async () => {
    const s = await smtp();
    const r = await runDoctor({ email: 'ana@example.test', host: '127.0.0.1', port: s.port, security: 'starttls', username: 'ana', password: PASSWORD, pinnedCertSha256: (await selfSignedCert()).fingerprint256, sendTestTo: 'me@example.test' }, { sendTest: (await import('../../electron/core/smtp/doctor/send-test')).sendTestMessage });
    expect(r.phases.at(-1)).toMatchObject({ name: 'send', status: 'passed' });
    expect(s.received.map((m) => [m.to, m.parsed.subject])).toEqual([[['me@example.test'], 'Mailwright test message']]);
  });
});

describe('the doctor and swaks agree on which phase failed', () => {
  const hasSwaks = spawnSync('swaks', ['--version'], { stdio: 'ignore' }).status === 0;
  // swaks's exit codes per phase (man swaks): 2 connect, 21 banner, 23 MAIL, 24 RCPT, 28 AUTH, 29 TLS
  const SWAKS_PHASE: Record<number, string> = { 0: 'none', 2: 'connect', 21: 'greeting', 23: 'envelope', 24: 'envelope', 28: 'auth', 29: 'tls' };

  it.each([
    ['wrong password', {}, { password: 'wrong' }],
    ['refused sender', { refuseSender: [553, '5.7.1 Not your address'] as [number, string] }, {}],
    ['refused recipient', { refuseRcpt: { 'ana@example.test': [550, '5.1.1 No such user'] as [number, string] } }, {}],
    ['all good', {}, {}],
  ])('%s', async (_what, serverOpts, input) => {
    if (!hasSwaks) throw new Error('swaks is missing: run bash scripts/setup.sh');
    const s = await smtp(serverOpts);
    const r = await diagnose(s.port, input);
    const password = (input as { password?: string }).password ?? PASSWORD;
    // swaks cannot pin a certificate, so it runs unverified: the question here is which SMTP phase fails.
    const unverified = await run('swaks', ['--server', '127.0.0.1', '--port', String(s.port), '--tls', '--auth', 'PLAIN', '--auth-user', 'ana', '--auth-password', password, '--from', 'ana@example.test', '--to', 'ana@example.test', '--quit-after', 'RCPT', '--timeout', '5']);
    expect(SWAKS_PHASE[unverified.status ?? -1], unverified.stdout).toBe(failure(r)?.name ?? 'none');
    expect(s.dataCommands).toBe(0);
  });
});
