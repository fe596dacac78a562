import { promises as dns } from 'node:dns';
import type { DiscoveredSettings } from '../../../../shared/model/discovery';
import type { Security } from '../../../../shared/model/account';
import { autoconfigUrls, parseAutoconfig } from './autoconfig';
import { presetForDomain, presetForMx, type ProviderPreset } from './presets';
import { probeSmtp } from './probe';
import { sayText } from '../../../../shared/i18n/errors/say';

export interface DiscoveryDeps {
  resolveSrv?: (name: string) => Promise<Array<{ name: string; port: number; priority: number; weight: number }>>;
  resolveMx?: (domain: string) => Promise<Array<{ exchange: string; priority: number }>>;
  /** GET a URL; resolves with the body on a 200, rejects otherwise */
  fetchText?: (url: string) => Promise<string>;
  /** Whether an SMTP server answers at host:port with this security (a greeting, after TLS where asked) */
  probe?: (host: string, port: number, security: Security) => Promise<boolean>;
  /** The ports probed; tests move them off the privileged ones */
  ports?: { tls: number; submission: number; smtp: number };
  timeoutMs?: number;
}

const fromPreset = (p: ProviderPreset, source: 'preset' | 'mx', from: string): DiscoveredSettings => ({
  host: p.host,
  port: p.port,
  security: p.security,
  username: p.username,
  source,
  from,
  notes: p.notes.map((n) => sayText('en', n)),
  noteTexts: p.notes,
  ...(p.signIn ? { signIn: p.signIn } : {}),
});

async function defaultFetch(url: string, timeoutMs: number): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
}

/**
 * Propose SMTP settings for an address, each labelled with its source, most trustworthy first:
 * built-in presets, the provider's autoconfig file, RFC 6186 SRV records, the MX host matched
 * against the presets, and — only when nothing else answered — probing likely hosts and ports.
 */
export async function discover(email: string, deps: DiscoveryDeps = {}): Promise<DiscoveredSettings[]> {
  const domain = (email.split('@')[1] ?? '').toLowerCase().trim();
  if (!domain) return [];
  const timeoutMs = deps.timeoutMs ?? 4000;
  const ports = deps.ports ?? { tls: 465, submission: 587, smtp: 25 };
  const found: DiscoveredSettings[] = [];

  const preset = presetForDomain(domain);
  if (preset) found.push(fromPreset(preset, 'preset', preset.name));

  const fetchText = deps.fetchText ?? ((url: string) => defaultFetch(url, timeoutMs));
  const resolveSrv = deps.resolveSrv ?? ((name: string) => dns.resolveSrv(name));
  const resolveMx = deps.resolveMx ?? ((d: string) => dns.resolveMx(d));
  // The network sources are independent: ask them all at once.
  const [autoconfig, srv, mx] = await Promise.all([
    Promise.all(autoconfigUrls(domain, email).map((url) => fetchText(url).then((xml) => parseAutoconfig(xml, url)).catch(() => []))).then((lists) => lists.flat()),
    Promise.all(
      (
        [
          ['_submissions._tcp', 'tls'],
          ['_submission._tcp', 'starttls'],
        ] as const
      ).map(([prefix, security]) =>
        resolveSrv(`${prefix}.${domain}`)
          .then((records) =>
            records
              .filter((r) => r.name && r.name !== '.') // "." means: no such service here (RFC 2782)
              .sort((a, b) => a.priority - b.priority || b.weight - a.weight)
              .map((r): DiscoveredSettings => ({ host: r.name.replace(/\.$/, ''), port: r.port, security, username: 'email', source: 'srv', from: `${prefix}.${domain}` })),
          )
          .catch(() => []),
      ),
    ).then((lists) => lists.flat()),
    resolveMx(domain)
      .then((records) => records.sort((a, b) => a.priority - b.priority))
      .catch(() => []),
  ]);
  found.push(...autoconfig, ...srv);
  for (const record of mx) {
    const byMx = presetForMx(record.exchange);
    if (byMx) {
      found.push(fromPreset(byMx, 'mx', `MX ${record.exchange.replace(/\.$/, '')} → ${byMx.name}`));
      break;
    }
  }

  if (!found.length) {
    const probe = deps.probe ?? ((host: string, port: number, security: Security) => probeSmtp(host, port, security, Math.min(timeoutMs, 3000)));
    const tries = [`smtp.${domain}`, `mail.${domain}`, domain].flatMap((host) => [
      { host, port: ports.tls, security: 'tls' as const },
      { host, port: ports.submission, security: 'starttls' as const },
      { host, port: ports.smtp, security: 'starttls' as const },
    ]);
    // All at once with short timeouts; the first good answer in order of preference wins.
    const answers = tries.map((t) => probe(t.host, t.port, t.security).catch(() => false));
    for (let i = 0; i < tries.length; i++) {
      if (await answers[i]) {
        const t = tries[i]!;
        found.push({ ...t, username: 'email', source: 'probe', from: `${t.host}:${t.port} answered` });
        break;
      }
    }
  }
  return dedupe(found);
}

/** The same server from two sources is one proposal, kept at its most trustworthy place. */
function dedupe(list: DiscoveredSettings[]): DiscoveredSettings[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const key = `${s.host.toLowerCase()}:${s.port}:${s.security}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
