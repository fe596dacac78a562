// Big attachment: one 200 MB file (made in the run under /tmp, removed after), wall time and peak
// RSS of the sending process: the real `mailwright send --attach` CLI vs raw nodemailer streaming
// from the path vs Python email.mime + smtplib. Each is a child process; peak RSS is the kernel's
// VmHWM. Rounds interleaved.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs module of the bin, without type declarations
import { cliSource } from '../bin/cli-source.mjs';
import { BENCH_DIR, fmt, median, ROOT, runChild, startSink, tsNode, type BenchResult } from './lib';

interface Run {
  contender: string;
  wallMs: number;
  peakRssKb: number;
}

export async function attachment(opts: { mb?: number; rounds?: number } = {}): Promise<BenchResult> {
  const mb = opts.mb ?? Number(process.env.BENCH_ATTACH_MB ?? 200);
  const rounds = opts.rounds ?? Number(process.env.BENCH_ROUNDS ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-attach-'));
  const file = join(dir, 'big.bin');
  // Random bytes (incompressible, like a video or an archive), written 1 MB at a time.
  const fd = openSync(file, 'w');
  const chunk = randomBytes(1024 * 1024);
  for (let i = 0; i < mb; i++) writeSync(fd, chunk);
  closeSync(fd);
  const sink = await startSink();
  const runs: Run[] = [];
  const cli = join(ROOT, 'bin', 'mailwright.mjs');
  try {
    for (let round = 0; round < rounds; round++) {
      for (const contender of ['mailwright', 'nodemailer', 'durable', 'python'] as const) {
        let cmd: string;
        let args: string[];
        const dataDir = join(dir, `data-${round}`);
        if (contender === 'mailwright') {
          // The account is set up first (not timed); the timed process is exactly `mailwright send`.
          const add = await runChild(process.execPath, [cli, '--data-dir', dataDir, 'account', 'add', 'Bench', '--email', 'ana@example.test', '--host', '127.0.0.1', '--port', String(sink.port), '--security', 'none']);
          if (add.code !== 0) throw new Error(`account add failed: ${add.stderr}${add.stdout}`);
          [cmd, args] = [process.execPath, [cli, '--data-dir', dataDir, '--json', 'send', '--account', 'Bench', '--to', 'bob@example.test', '--subject', 'Big file', '--text', 'The file is attached.', '--attach', file]];
        } else if (contender === 'nodemailer') [cmd, args] = tsNode('nodemailer-attach.ts', String(sink.port), file);
        else if (contender === 'durable') [cmd, args] = tsNode('nodemailer-attach.ts', String(sink.port), file, 'durable');
        else [cmd, args] = ['/usr/bin/python3', [join(BENCH_DIR, 'smtplib_send.py'), 'attach', String(sink.port), file]];
        const before = await sink.count();
        const run = await runChild(cmd, args);
        const after = await sink.count();
        rmSync(dataDir, { recursive: true, force: true });
        if (run.code !== 0) throw new Error(`${contender} failed (${run.code}): ${run.stderr.slice(-2000)}${run.stdout.slice(-500)}`);
        if (after.messages - before.messages !== 1 || after.bytes - before.bytes < mb * 1024 * 1024 * 1.3) throw new Error(`${contender}: the sink did not get the whole message`);
        runs.push({ contender, wallMs: run.wallMs, peakRssKb: run.peakRssKb });
        process.stderr.write(`  attachment round ${round + 1}/${rounds}: ${contender} ${fmt(run.wallMs)} ms, peak ${fmt(run.peakRssKb / 1024)} MB\n`);
      }
    }
  } finally {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const wall = (c: string) => median(runs.filter((r) => r.contender === c).map((r) => r.wallMs));
  const rss = (c: string) => median(runs.filter((r) => r.contender === c).map((r) => r.peakRssKb));
  const label: Record<string, string> = {
    mailwright: '`mailwright send --attach` (CLI child: core, outbox, durable writes)',
    nodemailer: 'raw nodemailer, attachment streamed from its path (child)',
    durable: 'raw nodemailer + the least a crash-safe outbox writes (child)',
    python: 'Python email.mime + smtplib (child)',
  };
  const rows = ['mailwright', 'nodemailer', 'durable', 'python'].map((c) => ({
    contender: label[c]!,
    'wall (s, median)': fmt(wall(c) / 1000, 2),
    'peak RSS (MB, median)': fmt(rss(c) / 1024),
    'wall vs nodemailer': `${(wall(c) / wall('nodemailer')).toFixed(2)}×`,
    'RSS vs nodemailer': `${(rss(c) / rss('nodemailer')).toFixed(2)}×`,
  }));
  // Paired by round (Mailwright against the nodemailer run right after it), median of the ratios:
  // a slow moment on the shared machine then counts against both.
  const paired = (f: (r: Run) => number, against = 'nodemailer') => {
    const m = runs.filter((r) => r.contender === 'mailwright').map(f);
    const n = runs.filter((r) => r.contender === against).map(f);
    return m.map((x, i) => x / n[i]!);
  };
  const rssRatios = paired((r) => r.peakRssKb);
  const wallRatios = paired((r) => r.wallMs);
  const rssRatio = median(rssRatios);
  const wallRatio = median(wallRatios);
  // Not a target: what the wall time is made of, against the floor any durable outbox stands on.
  const floorWall = wall('durable') / wall('nodemailer');
  const overFloor = median(paired((r) => r.wallMs, 'durable'));
  const cliFrom = cliSource(ROOT) as 'build' | 'sources';
  return {
    name: 'attachment',
    title: `Big attachment: one ${mb} MB file`,
    method: [
      `A ${mb} MB file of random bytes is written under /tmp for the run and removed after. Each contender is a child process sending it once to the discarding sink (its own process); ${rounds} rounds interleaved, medians shown; the targets' ratios are the medians of the per-round ratios (each Mailwright run against the nodemailer run right after it). Wall time is from spawn to exit (process start-up included); peak RSS is the child's VmHWM from /proc, polled every 20 ms until exit.`,
      `The \`mailwright\` command ran from **${cliFrom === 'build' ? 'its build (out/main/cli.js, current: `npm run build` had run)' : 'the TypeScript sources through tsx (no current build: run `npm run build` first to measure what an installed app runs)'}**.`,
      'Mailwright: `node bin/mailwright.mjs --data-dir D --json send --account A --attach FILE …` with an account added beforehand (not timed): the message is built once into the outbox (base64, fsynced), committed, sent from the file as a stream, moved to sent/.',
      'raw nodemailer: one transport, `attachments: [{ path }]` (nodemailer streams it), nothing written to disk. raw nodemailer + the least a crash-safe outbox writes: the same message built by MailComposer into a file (fsynced), a state record written atomically (temp file, fsync, rename, folder fsync) before the send and after it, the message sent from its file — the floor under any outbox that keeps its promise across a crash. Python: `MIMEApplication(f.read())` then `send_message` — the standard library holds the whole message in memory.',
    ].join('\n\n'),
    tables: [{ caption: 'Wall time and peak memory of the sending process (lower is better)', rows }],
    targets: [
      { target: 'peak RSS ≤ 1.5× raw nodemailer (median of per-round ratios)', value: `${rssRatio.toFixed(2)}×`, met: rssRatio <= 1.5, note: `rounds: ${rssRatios.map((r) => r.toFixed(2)).join(', ')}` },
      { target: 'wall time ≤ 1.2× raw nodemailer (median of per-round ratios)', value: `${wallRatio.toFixed(2)}×`, met: wallRatio <= 1.2, note: `rounds: ${wallRatios.map((r) => r.toFixed(2)).join(', ')}; the durable floor takes ${floorWall.toFixed(2)}× raw nodemailer's time, Mailwright ${overFloor.toFixed(2)}× the floor's` },
    ],
    raw: { mb, rounds, cliFrom, runs, rssRatios, wallRatios, durableFloorWall: floorWall, wallOverDurableFloor: overFloor },
  };
}
