// Mail merge: a 10,000-row merge (order confirmations, ~3 KB of HTML with the row's values) to the
// discarding sink, no throttle, through Mailwright's merge (check, then every row queued with its
// state, sent and recorded) against raw nodemailer sending the same messages prebuilt. Also the
// time to check (render and validate) every row, to preview one row as delivered, and memory per
// row (the same merge at 1,000 rows beside it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, median, runChild, startSink, tsNode, type BenchResult } from './lib';

const HTML = `<html><body><h1>Thank you, {{ name }}!</h1><p>Your order <b>{{ order }}</b> of {{ total | money: "EUR" }} is confirmed and ships on {{ ships | local_date: "long" }}.</p>${'<p>Delivery, returns and care: everything about your order is on its page, with the tracking link once it ships. Questions? Reply to this message.</p>'.repeat(16)}<p><a href="https://shop.example.test/orders/{{ order }}">Your order</a></p></body></html>`;
const NAMES = ['Ана Ивановна', 'José Núñez', 'Пётр Щукин', 'María Fernández', 'Zoë Brontë'];

function dataFile(dir: string, rows: number): string {
  const path = join(dir, `orders-${rows}.csv`);
  writeFileSync(path, ['email,name,order,total,ships', ...Array.from({ length: rows }, (_, i) => `c${i + 1}@example.test,${NAMES[i % NAMES.length]} ${i + 1},A-${100000 + i},${(i % 500) + 9.99},2026-12-${String((i % 28) + 1).padStart(2, '0')}`)].join('\n'));
  return path;
}

interface Run {
  contender: string;
  rows: number;
  ms: number;
  checkMs?: number;
  previewMs?: number[];
  peakRssKb: number;
  peakAtHalfKb?: number;
  peakAtEndKb?: number;
  /** CPU time while timed: the event loop's, and the whole process's (the build worker's too). */
  mainCpuMs: number;
  processCpuMs: number;
}

export async function merge(): Promise<BenchResult> {
  const rows = Number(process.env.BENCH_ROWS ?? 10_000);
  // Memory per row: this merge against one of twice the rows, both past the first thousands of
  // rows, in which V8's heaps grow to the size they keep (bench/README.md).
  const double = rows * 2;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-merge-data-'));
  const html = join(dir, 'body.html');
  writeFileSync(html, HTML);
  const files = { [rows]: dataFile(dir, rows), [double]: dataFile(dir, double) };
  const sink = await startSink();
  const runs: Run[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [contender, n] of [['mailwright', rows], ['nodemailer', rows], ['mailwright', double]] as const) {
        const before = (await sink.count()).messages;
        const run = await runChild(...tsNode('merge-child.ts', contender, String(sink.port), String(n), files[n]!, html));
        const after = (await sink.count()).messages;
        if (run.code !== 0) throw new Error(`${contender} failed (${run.code}): ${run.stderr.slice(-2000)}`);
        if (after - before !== n) throw new Error(`${contender}: the sink got ${after - before} messages, not ${n}`);
        const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as Omit<Run, 'contender' | 'rows' | 'peakRssKb'>;
        runs.push({ contender, rows: n, ...out, peakRssKb: run.peakRssKb });
        process.stderr.write(`  merge round ${round + 1}/${rounds}: ${contender} ${n} rows ${fmt(n / (out.ms / 1000))} msg/s${out.checkMs ? `, check ${fmt(out.checkMs)} ms` : ''}\n`);
      }
    }
  } finally {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const of = (c: string, n: number) => runs.filter((r) => r.contender === c && r.rows === n);
  const rate = (r: Run) => r.rows / (r.ms / 1000);
  const ratios = of('mailwright', rows).map((m, i) => rate(m) / rate(of('nodemailer', rows)[i]!));
  const ratio = median(ratios);
  const checkMs = median(of('mailwright', rows).map((r) => r.checkMs!));
  const previewMs = median(of('mailwright', rows).flatMap((r) => r.previewMs!));
  const peakBig = median(of('mailwright', rows).map((r) => r.peakRssKb));
  const peakDouble = median(of('mailwright', double).map((r) => r.peakRssKb));
  const perRowKb = (peakDouble - peakBig) / (double - rows);
  // Beside it, in one process: what the second half of its rows added to its peak.
  const secondHalf = (r: Run) => (r.peakAtEndKb! - r.peakAtHalfKb!) / (r.rows - Math.ceil(r.rows / 2));
  const row = (label: string, list: Run[]) => ({
    contender: label,
    'msg/s (median)': fmt(median(list.map(rate))),
    'each round (msg/s)': list.map((r) => fmt(rate(r))).join(', '),
    'peak RSS (MB)': fmt(median(list.map((r) => r.peakRssKb)) / 1024),
    // Steadier than the rate from hour to hour: a change of a few per cent shows here first.
    'main thread CPU (ms/msg)': fmt(median(list.map((r) => r.mainCpuMs / r.rows)), 2),
    'process CPU (ms/msg)': fmt(median(list.map((r) => r.processCpuMs / r.rows)), 2),
  });
  return {
    name: 'merge',
    title: `Mail merge: ${fmt(rows)} rows of ~3 KB HTML to a local sink`,
    method: [
      `Each contender runs in its own process against the discarding sink (smtp-server on 127.0.0.1, its own process), ${rounds} rounds interleaved.`,
      `Mailwright: a real core; merge:check renders and checks every row (Liquid, addresses, header injection), merge:preview builds five rows as delivered, then merge:start → merge:wait is timed: the merge and its ${fmt(rows)} rows committed, each row queued as an outbox item in the same transaction as its state, built (on the build worker), sent through the pool and its outcome recorded, no throttle.`,
      'Raw nodemailer (the baseline): the same rows rendered with the same template and built with MailComposer before the clock starts (prebuilt), then all handed to one pooled transport with the outbox’s pool settings; nothing written to disk.',
      `Memory per row: the peak RSS (VmHWM) of the ${fmt(rows)}-row merge against the same merge of ${fmt(double)} rows; beside it, within each process, its peak when half its rows were sent against its peak at the end.`,
    ].join('\n\n'),
    tables: [{ caption: 'Messages per second (higher is better)', rows: [row(`Mailwright merge (${fmt(rows)} rows)`, of('mailwright', rows)), row('raw nodemailer, prebuilt', of('nodemailer', rows)), row(`Mailwright merge (${fmt(double)} rows)`, of('mailwright', double))] }],
    targets: [
      { target: `${fmt(rows)}-row merge ≥ 0.8× raw nodemailer sending the same messages prebuilt (median of the per-round ratios)`, value: `${ratio.toFixed(2)}×`, met: ratio >= 0.8, note: `rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')}` },
      { target: `checking ${fmt(rows)} rows ≤ 1 s`, value: `${fmt(checkMs)} ms`, met: checkMs <= 1000, note: `rounds: ${of('mailwright', rows).map((r) => fmt(r.checkMs!)).join(', ')} ms (reading and parsing the CSV included)` },
      { target: 'previewing any row ≤ 50 ms', value: `${fmt(previewMs, 1)} ms`, met: previewMs <= 50, note: `median of ${of('mailwright', rows).length * 5} previews (rows 1, middle, last, 7, a third), the data file parsed once and kept while it is unchanged` },
      { target: 'memory flat per row', value: `${fmt(perRowKb, 2)} KB per row`, met: perRowKb <= 2, note: `peak RSS ${fmt(peakBig / 1024)} MB at ${fmt(rows)} rows, ${fmt(peakDouble / 1024)} MB at ${fmt(double)} (medians); round by round ${of('mailwright', rows).map((r, i) => fmt((of('mailwright', double)[i]!.peakRssKb - r.peakRssKb) / (double - rows), 1)).join(', ')} KB a row — runs of one size differ by ~15 MB, so this resolves about ±1.5 KB a row; within one process, the second half of its rows, round by round: ${of('mailwright', rows).map((r) => fmt(secondHalf(r), 2)).join(', ')} KB a row at ${fmt(rows)}, ${of('mailwright', double).map((r) => fmt(secondHalf(r), 2)).join(', ')} at ${fmt(double)}` },
    ],
    raw: runs,
  };
}
