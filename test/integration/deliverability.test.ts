import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../shared/model/account';
import type { DomainReport } from '../../shared/model/deliverability';
import { cli, type CliRun } from '../helpers/cli';
import { startTestDns, type TestDns } from '../helpers/dns-server';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';

// DKIM per account and the From domain's check, against a real DNS server on loopback (Debian's
// dnsmasq) serving the test zone, and signatures verified by two verifiers we did not write:
// mailauth on the received bytes, and Python's dkimpy (Debian's python3-dkim) asking the same DNS.
const PYTHON = '/usr/bin/python3';
const DOMAIN = 'shop.test';
let smtp: TestSmtpServer;
let dns: TestDns | undefined;
let data: string;
let dir: string;

beforeAll(async () => {
  smtp = await startTestSmtp({ mode: 'plain' });
  dir = await fs.mkdtemp(join(tmpdir(), 'mw-dkim-'));
  data = join(dir, 'data');
});
afterAll(async () => {
  await smtp?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await dns?.stop();
  dns = undefined;
});

const run = (args: string[], stdin = ''): Promise<CliRun> => cli(['--data-dir', data, '--json', ...args], stdin, dns ? { MAILWRIGHT_DNS_SERVERS: dns.server } : {});
const ok = async (args: string[], stdin = '') => {
  const r = await run(args, stdin);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r.json;
};
const account = async (name: string): Promise<Account> => ((await ok(['account', 'list'])).accounts as Account[]).find((a) => a.name === name)!;
const statuses = (report: DomainReport) => Object.fromEntries(report.checks.map((c) => [c.name, c.status]));
const checkDomain = async (name: string) => {
  const r = await run(['account', 'check-domain', name]);
  return { code: r.code, report: r.json.domain as DomainReport, r };
};

/** Asks the test DNS for the key, as a receiving server would. */
const resolverOf = (server: string) => {
  const r = new Resolver({ timeout: 1000, tries: 1 });
  r.setServers([server]);
  return (name: string, type: string) => r.resolve(name, type) as Promise<string[][]>;
};

/** dkimpy's verdict on a message, its key looked up with dnspython in the test DNS. */
function dkimpyVerifies(raw: Buffer, port: number): boolean {
  const program = `
import sys, dkim, dns.resolver
r = dns.resolver.Resolver(configure=False); r.nameservers = ['127.0.0.1']; r.port = ${port}
def txt(name, timeout=5):
    return b''.join(b''.join(a.strings) for a in r.resolve(name.decode().rstrip('.'), 'TXT'))
print('PASS' if dkim.verify(sys.stdin.buffer.read(), dnsfunc=txt) else 'FAIL')`;
  const out = spawnSync(PYTHON, ['-c', program], { input: raw, encoding: 'utf8', timeout: 20_000 });
  if (out.status !== 0) throw new Error(`dkimpy failed: ${out.stderr}`);
  return out.stdout.trim() === 'PASS';
}

describe('DKIM signing and the From domain check', () => {
  it('signs every message with the account key; the record it shows verifies with mailauth and dkimpy', { timeout: 60_000 }, async () => {
    if (spawnSync(PYTHON, ['-c', 'import dkim, dns.resolver'], { stdio: 'ignore' }).status !== 0) throw new Error('Debian python3-dkim is missing: run bash scripts/setup.sh');
    await ok(['account', 'add', 'Shop', '--email', `orders@${DOMAIN}`, '--display-name', 'Tienda Núñez', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none']);
    const generated = await ok(['account', 'dkim', 'Shop', '--generate', '--selector', 'mw1']);
    const record = generated.record as { name: string; value: string };
    expect(record.name).toBe(`mw1._domainkey.${DOMAIN}`);
    expect(record.value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]{300,}={0,2}$/);
    // The private key is in the secret store only: not in the settings file, not in any reply.
    expect(await fs.readFile(join(data, 'accounts.json'), 'utf8')).not.toMatch(/PRIVATE KEY/);
    expect(JSON.stringify(generated)).not.toMatch(/PRIVATE KEY/);

    dns = await startTestDns([[DOMAIN, 'v=spf1 ip4:127.0.0.1 -all'], [`_dmarc.${DOMAIN}`, 'v=DMARC1; p=quarantine'], [record.name, record.value]]);
    await fs.writeFile(join(dir, 'label.txt'), 'Etiqueta de envío ✓\n'.repeat(2000));
    const plain = await run(['send', '--account', 'Shop', '--to', 'ana@example.test', '--subject', 'Pedido №1 — confirmación', '--text', 'Gracias, Íñigo.']);
    const attached = await run(['send', '--account', 'Shop', '--to', 'ana@example.test', '--subject', 'Su etiqueta', '--text', 'Adjunta.', '--attach', join(dir, 'label.txt')]);
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(attached.code, attached.stdout + attached.stderr).toBe(0);
    expect(smtp.received).toHaveLength(2);
    for (const message of smtp.received) {
      expect(message.raw.toString('latin1')).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=shop\.test;/);
      const verdict = await dkimVerify(message.raw, { resolver: resolverOf(dns.server) });
      expect(verdict.results.map((x) => x.status.result)).toEqual(['pass']);
      expect(dkimpyVerifies(message.raw, dns.port)).toBe(true);
    }
    // A changed byte is caught by both: the verifiers are not saying yes to everything.
    const tampered = Buffer.from(smtp.received[0]!.raw.toString('latin1').replace('Gracias', 'Gracia5'), 'latin1');
    const tamperedVerdict = (await dkimVerify(tampered, { resolver: resolverOf(dns.server) })).results[0]!.status;
    expect(tamperedVerdict.result, tamperedVerdict.comment).toBe('neutral'); // mailauth's word for a body that no longer matches
    expect(tamperedVerdict.comment).toMatch(/body hash/);
    expect(dkimpyVerifies(tampered, dns.port)).toBe(false);

    const { code, report } = await checkDomain('Shop');
    expect(code).toBe(0);
    expect(statuses(report)).toEqual({ spf: 'pass', dkim: 'pass', dmarc: 'pass', alignment: 'pass' });
    expect(report.checks.find((c) => c.name === 'dmarc')!.found).toBe('v=DMARC1; p=quarantine');
  });

  it('names each record that is missing or wrong, with what to publish', { timeout: 30_000 }, async () => {
    // Another key published under the selector, no SPF, no DMARC.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const shop = await account('Shop');
    dns = await startTestDns([[shop.dkim!.record.name, `v=DKIM1; k=rsa; p=${other}`]]);
    const { code, report, r } = await checkDomain('Shop');
    expect(code, r.stdout).toBe(1);
    expect(statuses(report)).toEqual({ spf: 'fail', dkim: 'fail', dmarc: 'fail', alignment: 'fail' });
    expect(report.checks.map((c) => c.text.key)).toEqual(['dom.spf.none', 'dom.dkim.mismatch', 'dom.dmarc.none', 'dom.align.none']);
    const human = await cli(['--data-dir', data, 'account', 'check-domain', 'Shop'], '', { MAILWRIGHT_DNS_SERVERS: dns.server });
    expect(human.stdout).toContain(`FAIL  DMARC: ${DOMAIN} publishes no DMARC record.`);
    expect(human.stdout).toContain(`Hint: Publish a TXT record at _dmarc.${DOMAIN}`);

    // SPF naming another address and the key absent: a warning for SPF (the provider may send
    // from elsewhere), a failure for DKIM, and DMARC then fails for want of an aligned pass.
    await dns.stop();
    dns = await startTestDns([[DOMAIN, 'v=spf1 ip4:192.0.2.10 -all'], [`_dmarc.${DOMAIN}`, 'v=DMARC1; p=none']]);
    const second = await checkDomain('Shop');
    expect(statuses(second.report)).toEqual({ spf: 'warn', dkim: 'fail', dmarc: 'pass', alignment: 'fail' });
    expect(second.report.checks[1]!.text.key).toBe('dom.dkim.none');
  });

  it('signs with an Ed25519 key (RFC 8463) that both verifiers accept', { timeout: 30_000 }, async () => {
    const generated = await ok(['account', 'dkim', 'Shop', '--generate', '--selector', 'ed1', '--key-type', 'ed25519']);
    const record = generated.record as { name: string; value: string };
    expect(record.value).toMatch(/^v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=$/);
    dns = await startTestDns([[record.name, record.value]]);
    const before = smtp.received.length;
    expect((await run(['send', '--account', 'Shop', '--to', 'ana@example.test', '--subject', 'Ed25519', '--text', 'Hola'])).code).toBe(0);
    const raw = smtp.received[before]!.raw;
    expect(raw.toString('latin1')).toMatch(/^DKIM-Signature: v=1; a=ed25519-sha256;/);
    expect((await dkimVerify(raw, { resolver: resolverOf(dns.server) })).results[0]!.status.result).toBe('pass');
    expect(dkimpyVerifies(raw, dns.port)).toBe(true);
  });

  it('imports a key (PKCS#1 too), refuses short keys and non-keys, and removes the key', { timeout: 30_000 }, async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await fs.writeFile(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const imported = await ok(['account', 'dkim', 'Shop', '--import', join(dir, 'key.pem'), '--selector', 's2026']);
    expect((imported.record as { value: string }).value).toBe(`v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`);

    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    await fs.writeFile(join(dir, 'short.pem'), short);
    const refused = await run(['account', 'dkim', 'Shop', '--import', join(dir, 'short.pem'), '--selector', 's1']);
    expect(refused.code).toBe(2);
    expect(refused.json.error!.message).toBe('This RSA key has only 1,024 bits.');
    await fs.writeFile(join(dir, 'junk.pem'), 'not a key');
    expect((await run(['account', 'dkim', 'Shop', '--import', join(dir, 'junk.pem'), '--selector', 's1'])).json.error!.message).toBe('This is not a private key in PEM form.');
    // Refusals changed nothing: the imported key still signs.
    expect((await account('Shop')).dkim!.selector).toBe('s2026');

    const removed = await ok(['account', 'dkim', 'Shop', '--remove']);
    expect((removed.account as Account).dkim).toBeUndefined();
    const before = smtp.received.length;
    expect((await run(['send', '--account', 'Shop', '--to', 'ana@example.test', '--subject', 'Unsigned', '--text', 'x'])).code).toBe(0);
    expect(smtp.received[before]!.raw.toString('latin1')).not.toMatch(/^DKIM-Signature/m);
  });
});
