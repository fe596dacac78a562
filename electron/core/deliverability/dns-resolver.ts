import { isIP } from 'node:net';
import { Resolver } from 'node:dns/promises';

/** How mailauth asks the DNS: a name and a record type, the answers as node:dns gives them. */
export type DnsLookup = (name: string, rrtype: string) => Promise<string[][] | string[]>;

/** Short: a check the user waits for must answer in seconds, a silent server counted as unreachable. */
const TIMEOUT_MS = 2500;
const TRIES = 2;

/**
 * The DNS the domain check asks: the system's servers, or those in MAILWRIGHT_DNS_SERVERS
 * ("1.1.1.1,127.0.0.1:5353": a network whose own resolver hides the public records, or a test).
 */
export function dnsLookup(env: NodeJS.ProcessEnv): DnsLookup & { addressOf(host: string): Promise<string | undefined> } {
  const resolver = new Resolver({ timeout: TIMEOUT_MS, tries: TRIES });
  const servers = (env.MAILWRIGHT_DNS_SERVERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  // A value that names no server is said where the DNS is asked (each lookup fails with it), not at start.
  let refused: Error | undefined;
  try {
    if (servers.length) resolver.setServers(servers);
  } catch (err) {
    refused = Object.assign(new Error(`MAILWRIGHT_DNS_SERVERS: ${(err as Error).message}`), { code: 'EBADRESP' });
  }
  const lookup = (name: string, rrtype: string) => (refused ? Promise.reject(refused) : (resolver.resolve(name, rrtype) as Promise<string[][] | string[]>));
  return Object.assign(lookup, {
    /** The first IPv4 (else IPv6) address of a host name, for SPF; an address stays as it is. */
    async addressOf(host: string): Promise<string | undefined> {
      const bare = host.replace(/^\[|\]$/g, '');
      if (isIP(bare)) return bare;
      if (refused) return undefined;
      const v4 = await resolver.resolve4(host).catch(() => [] as string[]);
      if (v4[0]) return v4[0];
      return (await resolver.resolve6(host).catch(() => [] as string[]))[0];
    },
  });
}
