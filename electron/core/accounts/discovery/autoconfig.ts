import type { XMLParser } from 'fast-xml-parser';
import type { DiscoveredSettings } from '../../../../shared/model/discovery';

// Loaded when settings are first looked up, not by every CLI command's start-up (bench/attachment.ts).
let parser: Promise<XMLParser> | undefined;
const xmlParser = () =>
  (parser ??= import('fast-xml-parser').then(({ XMLParser }) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['emailProvider', 'outgoingServer'].includes(name) })));

interface OutgoingServer {
  type?: string;
  hostname?: string;
  port?: number | string;
  socketType?: string;
  username?: string;
}

const SECURITY: Record<string, DiscoveredSettings['security']> = { SSL: 'tls', TLS: 'tls', STARTTLS: 'starttls', plain: 'none' };

/** The SMTP servers of a Thunderbird-style autoconfig file (config-v1.1.xml), best first as the file lists them. */
export async function parseAutoconfig(xml: string, url: string): Promise<DiscoveredSettings[]> {
  const doc = (await xmlParser()).parse(xml) as { clientConfig?: { emailProvider?: Array<{ outgoingServer?: OutgoingServer[] }> } };
  const servers = doc.clientConfig?.emailProvider?.flatMap((p) => p.outgoingServer ?? []) ?? [];
  return servers
    .filter((s) => s.type === 'smtp' && s.hostname && s.port && SECURITY[s.socketType ?? ''])
    .map((s) => ({
      host: String(s.hostname).trim(),
      port: Number(s.port),
      security: SECURITY[s.socketType!]!,
      username: s.username?.includes('%EMAILLOCALPART%') ? 'localpart' : s.username ? 'email' : 'none',
      source: 'autoconfig',
      from: url,
    }));
}

/** The two places a provider publishes its file (the ISPDB is out of reach here and not asked). */
export const autoconfigUrls = (domain: string, email: string) => [
  `https://autoconfig.${domain}/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(email)}`,
  `https://${domain}/.well-known/autoconfig/mail/config-v1.1.xml`,
];
