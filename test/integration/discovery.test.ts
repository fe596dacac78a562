import { createServer, get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { sayText } from '../../shared/i18n/errors/say';
import { discover, type DiscoveryDeps } from '../../electron/core/accounts/discovery/discover';
import { probeSmtp } from '../../electron/core/accounts/discovery/probe';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';

// Discovery offline: DNS answers and the HTTP fetcher are injected and point at servers on
// loopback; the probing is the real probe against real SMTP servers.
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const nothing: DiscoveryDeps = {
  resolveSrv: async () => Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' })),
  resolveMx: async () => Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' })),
  fetchText: async () => Promise.reject(new Error('offline')),
  probe: async () => false,
};

/** A real HTTP server standing in for https://autoconfig.<domain>/ and https://<domain>/.well-known/. */
async function autoconfigServer(files: Record<string, string>) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.headers.host}${req.url}`);
    const body = files[`${req.headers.host}${req.url?.split('?')[0]}`];
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/xml' }).end(body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  const port = (server.address() as { port: number }).port;
  // The fetcher keeps the Host the real URL names, and sends the request to our server.
  // (fetch() drops a custom Host header, so node:http carries it.)
  const fetchText = (url: string) =>
    new Promise<string>((resolve, reject) => {
      const u = new URL(url);
      get({ host: '127.0.0.1', port, path: `${u.pathname}${u.search}`, headers: { Host: u.host } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
      }).on('error', reject);
    });
  return { fetchText, seen };
}

const XML = (host: string, port: number, socketType: string, username = '%EMAILADDRESS%') => `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="example.test"><domain>example.test</domain>
<incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
<outgoingServer type="smtp"><hostname>${host}</hostname><port>${port}</port><socketType>${socketType}</socketType><username>${username}</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`;

describe('discovery, from each source', () => {
  it('built-in presets, with their notes', async () => {
    const found = await discover('ana@gmail.com', nothing);
    expect(found[0]).toMatchObject({ host: 'smtp.gmail.com', port: 465, security: 'tls', source: 'preset', from: 'Gmail', notes: expect.arrayContaining([expect.stringMatching(/app password/)]), username: 'email', signIn: 'google' });
    expect((await discover('ana@outlook.com', nothing))[0]).toMatchObject({ host: 'smtp-mail.outlook.com', signIn: 'microsoft', notes: expect.arrayContaining([expect.stringMatching(/Sign in with Microsoft/)]) });
    expect((await discover('ana@yahoo.com', nothing))[0]!.signIn).toBeUndefined();
    // The same notes in the window's language, the provider's server names as code.
    const outlook = (await discover('ana@outlook.com', nothing))[0]!;
    expect(outlook.noteTexts!.map((n) => sayText('ru', n, (c) => `[${c}]`))).toEqual([
      'Войдите через Microsoft: Outlook.com не принимает пароль для SMTP с сентября 2024 года, а Microsoft 365 отключает его в конце 2026 года.',
      'Рабочие учётные записи Microsoft 365 используют [smtp.office365.com].',
    ]);
    expect(sayText('es', found[0]!.noteTexts![0]!)).toMatch(/^Inicia sesión con Google/);
    for (const [email, host] of [['x@outlook.com', 'smtp-mail.outlook.com'], ['x@icloud.com', 'smtp.mail.me.com'], ['x@fastmail.com', 'smtp.fastmail.com'], ['x@zoho.com', 'smtp.zoho.com'], ['x@gmx.net', 'mail.gmx.com'], ['x@yandex.ru', 'smtp.yandex.ru'], ['x@mail.ru', 'smtp.mail.ru'], ['x@yahoo.com', 'smtp.mail.yahoo.com'], ['x@proton.me', '127.0.0.1']] as const) {
      expect((await discover(email, nothing))[0]?.host, email).toBe(host);
    }
  });

  it('the provider autoconfig file, at autoconfig.<domain> and at /.well-known/', async () => {
    const { fetchText, seen } = await autoconfigServer({
      'autoconfig.example.test/mail/config-v1.1.xml': XML('smtp.example.test', 465, 'SSL'),
      'other.test/.well-known/autoconfig/mail/config-v1.1.xml': XML('mail.other.test', 587, 'STARTTLS', '%EMAILLOCALPART%'),
    });
    const first = await discover('ana@example.test', { ...nothing, fetchText });
    expect(first).toEqual([{ host: 'smtp.example.test', port: 465, security: 'tls', username: 'email', source: 'autoconfig', from: expect.stringContaining('https://autoconfig.example.test/mail/config-v1.1.xml') }]);
    expect(seen).toContain('autoconfig.example.test/mail/config-v1.1.xml?emailaddress=ana%40example.test');
    const second = await discover('bo@other.test', { ...nothing, fetchText });
    expect(second).toEqual([{ host: 'mail.other.test', port: 587, security: 'starttls', username: 'localpart', source: 'autoconfig', from: 'https://other.test/.well-known/autoconfig/mail/config-v1.1.xml' }]);
  });

  it('RFC 6186 SRV records: _submissions._tcp (implicit TLS) before _submission._tcp (STARTTLS)', async () => {
    const records: Record<string, Array<{ name: string; port: number; priority: number; weight: number }>> = {
      '_submissions._tcp.srv.test': [{ name: 'smtps.srv.test', port: 465, priority: 0, weight: 1 }],
      '_submission._tcp.srv.test': [
        { name: 'backup.srv.test', port: 587, priority: 10, weight: 1 },
        { name: 'submit.srv.test', port: 587, priority: 0, weight: 1 },
      ],
      '_submission._tcp.none.test': [{ name: '.', port: 0, priority: 0, weight: 0 }],
    };
    const resolveSrv = async (name: string) => records[name] ?? Promise.reject(new Error('ENOTFOUND'));
    const found = await discover('ana@srv.test', { ...nothing, resolveSrv });
    expect(found.map((f) => `${f.source}:${f.host}:${f.port}:${f.security}`)).toEqual(['srv:smtps.srv.test:465:tls', 'srv:submit.srv.test:587:starttls', 'srv:backup.srv.test:587:starttls']);
    expect(await discover('ana@none.test', { ...nothing, resolveSrv })).toEqual([]); // "." = no service
  });

  it('the MX host matched against the presets (a custom domain on Google or Microsoft)', async () => {
    const mx: Record<string, Array<{ exchange: string; priority: number }>> = {
      'company.test': [{ exchange: 'alt1.aspmx.l.google.com', priority: 5 }, { exchange: 'aspmx.l.google.com', priority: 1 }],
      'corp.test': [{ exchange: 'corp-test.mail.protection.outlook.com', priority: 0 }],
    };
    const resolveMx = async (d: string) => mx[d] ?? [];
    expect((await discover('ana@company.test', { ...nothing, resolveMx }))[0]).toMatchObject({ host: 'smtp.gmail.com', source: 'mx', from: 'MX aspmx.l.google.com → Gmail', signIn: 'google' });
    expect((await discover('ana@corp.test', { ...nothing, resolveMx }))[0]).toMatchObject({ host: 'smtp-mail.outlook.com', source: 'mx' });
  });

  it('probing smtp./mail./bare domain on the TLS, submission and SMTP ports — only when nothing else answered', async () => {
    const tlsServer: TestSmtpServer = await startTestSmtp({ mode: 'tls' });
    const starttlsServer: TestSmtpServer = await startTestSmtp({ mode: 'starttls' });
    closers.push(() => tlsServer.close(), () => starttlsServer.close());
    const ports = { tls: tlsServer.port, submission: starttlsServer.port, smtp: 1 };
    const asked: string[] = [];
    // Only mail.probe.test exists (on loopback); everything else does not answer.
    const probe = async (host: string, port: number, security: 'tls' | 'starttls' | 'none') => {
      asked.push(`${host}:${port === ports.tls ? 'tls' : port === ports.submission ? 'submission' : 'smtp'}`);
      return host === 'mail.probe.test' && probeSmtp('127.0.0.1', port, security, 2000);
    };
    const found = await discover('ana@probe.test', { ...nothing, probe, ports });
    expect(found).toEqual([{ host: 'mail.probe.test', port: tlsServer.port, security: 'tls', username: 'email', source: 'probe', from: `mail.probe.test:${tlsServer.port} answered` }]);
    expect(asked).toHaveLength(9); // in parallel, all at once
    // With another source, no probing happens at all.
    asked.length = 0;
    await discover('ana@gmail.com', { ...nothing, probe, ports });
    expect(asked).toEqual([]);
  });

  it('the real probe tells an SMTP server from a port that speaks something else', async () => {
    const s = await startTestSmtp({ mode: 'starttls' });
    closers.push(() => s.close());
    expect(await probeSmtp('127.0.0.1', s.port, 'starttls', 2000)).toBe(true);
    expect(await probeSmtp('127.0.0.1', s.port, 'tls', 2000)).toBe(false); // plain greeting where TLS was expected
  });

  it('the same server from two sources is proposed once, at the most trustworthy source', async () => {
    const { fetchText } = await autoconfigServer({ 'autoconfig.gmail.com/mail/config-v1.1.xml': XML('smtp.gmail.com', 465, 'SSL') });
    const found = await discover('ana@gmail.com', { ...nothing, fetchText });
    expect(found.map((f) => f.source)).toEqual(['preset']);
  });
});
