import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Resolver } from 'node:dns/promises';

/** A TXT record: its name and its value (split into 255-character strings as a zone would). */
export type TxtRecord = [name: string, value: string];

export interface TestDns {
  /** For MAILWRIGHT_DNS_SERVERS and node:dns setServers. */
  server: string;
  port: number;
  stop(): Promise<void>;
}

const DNSMASQ = '/usr/sbin/dnsmasq';

/**
 * A real DNS server on 127.0.0.1 (Debian's dnsmasq) answering for the `.test` zone with the
 * given TXT records, and NXDOMAIN for every other name in it: what the domain check asks
 * is answered over the DNS protocol, by a server we did not write.
 */
export async function startTestDns(txt: TxtRecord[], opts: { port?: number } = {}): Promise<TestDns> {
  if (spawnSync(DNSMASQ, ['--version'], { stdio: 'ignore' }).status !== 0) throw new Error('Debian dnsmasq-base is missing: run bash scripts/setup.sh');
  // dnsmasq takes a TXT record's strings comma-separated, as they are (quotes would be kept).
  if (txt.some(([, value]) => value.includes(','))) throw new Error('a TXT value for dnsmasq cannot hold a comma');
  for (let attempt = 0; attempt < 10; attempt++) {
    // A given port: the zone changed under a process that already knows the server. A new one is
    // chosen below the kernel's ephemeral range (32768 and up on Linux), which it hands to
    // outgoing sockets and to servers on port 0: then no other test can take it while this
    // server is restarted on it.
    const port = opts.port ?? 20_000 + Math.floor(Math.random() * 12_000);
    const child = spawn(
      DNSMASQ,
      [
        '--keep-in-foreground', `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts', '--no-poll',
        '--conf-file=/dev/null', '--local=/test/', '--pid-file=', '--cache-size=0', ...(process.getuid?.() === 0 ? ['--user=root'] : []),
        ...txt.map(([name, value]) => `--txt-record=${name},${(value.match(/.{1,255}/g) ?? ['']).join(',')}`),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (await answers(port, exited)) return { server: `127.0.0.1:${port}`, port, stop: () => stop(child, exited) };
    await stop(child, exited);
    if (opts.port || !/address already in use/i.test(stderr)) throw new Error(`dnsmasq did not start: ${stderr}`);
  }
  throw new Error('dnsmasq found no free port in 10 tries');
}

/** Ask until it answers (at most 5 s), or it exits. */
async function answers(port: number, exited: Promise<number | null>): Promise<boolean> {
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  let gone = false;
  void exited.then(() => (gone = true));
  const until = Date.now() + 5_000;
  while (!gone && Date.now() < until) {
    const ok = await resolver.resolveTxt('probe.test').then(
      () => true,
      (err: NodeJS.ErrnoException) => err.code === 'ENOTFOUND' || err.code === 'ENODATA',
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const late = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(late);
}
