// The SMTP doctor: one full passing run against a local STARTTLS + AUTH server, and the time each
// failure takes to be diagnosed, against the doctor's own timeouts (README, "The SMTP doctor").
import { createServer } from 'node:net';
import { runDoctor, type DoctorDeps, type DoctorInput } from '../electron/core/smtp/doctor/doctor';
import { selfSignedCert } from '../test/helpers/certs';
import { startTestSmtp } from '../test/helpers/smtp-server';
import { blackHole, scriptedServer } from '../test/helpers/tcp-servers';
import { fmt, median, type BenchResult } from './lib';

/** A port that nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

interface Case {
  name: string;
  /** what bounds it: the doctor's timeout for that phase, or none (answered at once) */
  bound: string;
  boundMs?: number;
  expect: { ok: boolean; code?: string };
  run: () => Promise<{ input: DoctorInput; deps?: DoctorDeps; close?: () => Promise<void> }>;
}

export async function doctor(opts: { rounds?: number } = {}): Promise<BenchResult> {
  const rounds = opts.rounds ?? Number(process.env.BENCH_DOCTOR_ROUNDS ?? 3);
  const users = { 'ana@example.test': 'right-password' };
  // The test server's self-signed certificate, pinned by its fingerprint as `--accept-cert` would.
  const pinnedCertSha256 = (await selfSignedCert()).fingerprint256;
  const base = { email: 'ana@example.test', host: '127.0.0.1', security: 'starttls' as const, username: 'ana@example.test', password: 'right-password', pinnedCertSha256 };
  const server = await startTestSmtp({ mode: 'starttls', users });
  const cases: Case[] = [
    { name: 'full passing run (STARTTLS + AUTH, self-signed cert pinned)', bound: 'none (every phase answers at once)', expect: { ok: true }, run: async () => ({ input: { ...base, port: server.port } }) },
    { name: 'refused port', bound: 'none (the kernel answers RST)', expect: { ok: false, code: 'CONNECTION_REFUSED' }, run: async () => ({ input: { ...base, port: await closedPort() } }) },
    { name: 'silent server (accepts, never greets)', bound: 'greeting timeout 5 s + the implicit-TLS probe 2.5 s that tells "wrong security" from "not SMTP"', boundMs: 7500, expect: { ok: false, code: 'TIMEOUT' }, run: async () => { const s = await scriptedServer(() => undefined); return { input: { ...base, port: s.port }, close: s.close }; } },
    { name: 'black hole (connect never completes)', bound: 'connect timeout', boundMs: 5000, expect: { ok: false, code: 'TIMEOUT' }, run: async () => { const s = await blackHole(); return { input: { ...base, port: s.port }, close: s.close }; } },
    { name: 'unknown host (test DNS stub: no address)', bound: 'none (the resolver answers)', expect: { ok: false, code: 'DNS_NOT_FOUND' }, run: async () => ({ input: { ...base, host: 'smtp.nowhere.test', port: server.port }, deps: { lookup: async () => [], mx: async () => [] } }) },
    { name: 'wrong password', bound: 'none (535 at once)', expect: { ok: false, code: 'AUTH_FAILED' }, run: async () => ({ input: { ...base, port: server.port, password: 'wrong' } }) },
  ];
  const results: Array<{ name: string; ms: number[]; ok: boolean; code?: string; phases: string }> = [];
  try {
    for (const c of cases) {
      const times: number[] = [];
      let last: Awaited<ReturnType<typeof runDoctor>> | undefined;
      for (let i = 0; i < rounds; i++) {
        const { input, deps, close } = await c.run();
        const started = performance.now();
        last = await runDoctor(input, { mx: async () => [], ...deps });
        times.push(performance.now() - started);
        await close?.();
      }
      const failed = last!.phases.find((p) => p.status === 'failed');
      results.push({ name: c.name, ms: times, ok: last!.ok, code: failed?.code, phases: last!.phases.map((p) => `${p.name} ${p.status === 'passed' ? '✓' : p.status === 'failed' ? '✗' : '–'}`).join(', ') });
      process.stderr.write(`  doctor: ${c.name}: ${fmt(median(times))} ms ${failed?.code ?? 'ok'}\n`);
    }
  } finally {
    await server.close();
  }
  const rows = cases.map((c, i) => {
    const r = results[i]!;
    const ms = median(r.ms);
    const matches = r.ok === c.expect.ok && (c.expect.code ? r.code === c.expect.code : true);
    return {
      case: c.name,
      verdict: r.ok ? 'all phases passed' : `${r.code}`,
      expected: matches ? 'yes' : `NO (wanted ${c.expect.code ?? 'ok'})`,
      'time to diagnosis (ms, median)': fmt(ms),
      'bounded by': c.bound + (c.boundMs ? ` (${fmt(c.boundMs / 1000, 1)} s)` : ''),
      'vs bound': c.boundMs ? `${(ms / c.boundMs).toFixed(2)}×` : '',
      phases: r.phases,
    };
  });
  const allExpected = rows.every((r) => r.expected === 'yes');
  const within = cases.every((c, i) => median(results[i]!.ms) <= (c.boundMs ?? 1000) + 1000);
  return {
    name: 'doctor',
    title: 'SMTP doctor: a full run and the time to each diagnosis',
    method: [
      `runDoctor (electron/core/smtp/doctor) in this process, ${rounds} runs per case, median shown. The passing run is against a real smtp-server on 127.0.0.1 offering STARTTLS and AUTH with a self-signed certificate (test/helpers), pinned by its SHA-256 fingerprint as \`--accept-cert\` would.`,
      'Failures: a port nothing listens on; a TCP server that accepts and never speaks; a black hole (a listening socket whose backlog is full, so the SYN is dropped); an unknown host through the doctor\'s injectable resolver (a stub that finds no address: no real DNS is asked); a wrong password. The doctor\'s timeouts: connect 5 s, greeting 5 s, each command 6 s, so that every diagnosis arrives within about 10 s.',
    ].join('\n\n'),
    tables: [{ caption: 'Verdict and time to diagnosis', rows }],
    targets: [
      { target: 'every case gives the expected verdict', value: allExpected ? 'all' : 'not all', met: allExpected },
      { target: 'each diagnosis within its timeout (+1 s), immediate ones within 1 s', value: within ? 'yes' : 'no', met: within },
    ],
    raw: results,
  };
}
