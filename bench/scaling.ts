// Scaling: a queue of 100, 1,000 and 10,000 messages. Each size: the core queues them all (each
// in its undo window, so nothing is sent yet), then they all come due at once and it drains the
// queue. Cost per message (ms and KB of the core process) should stay flat as the queue grows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, runChild, startSink, tsNode, type BenchResult } from './lib';
import { messageFiles } from './throughput';

interface Out {
  ms: number;
  enqueuedMs: number;
  drainMs: number;
  startRss: number;
  queuedRss: number;
  peakRss: number;
}

export async function scaling(opts: { sizes?: number[] } = {}): Promise<BenchResult> {
  const sizes = opts.sizes ?? (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-scale-'));
  const { htmlPath, textPath } = await messageFiles(dir);
  const sink = await startSink();
  const rows = [];
  const raw: Array<{ size: number; mailwright: Out & { peakRssKb: number }; nodemailer: { ms: number; peakRssKb: number } }> = [];
  try {
    for (const size of sizes) {
      const run = await runChild(...tsNode('throughput-child.ts', 'queued', String(sink.port), String(size), htmlPath, textPath));
      if (run.code !== 0) throw new Error(`queued ${size} failed: ${run.stderr.slice(-2000)}`);
      const m = JSON.parse(run.stdout.trim().split('\n').pop()!) as Out;
      // The baseline beside it: raw nodemailer sending as many (its rate, for scale).
      const nm = await runChild(...tsNode('throughput-child.ts', 'nodemailer', String(sink.port), String(size), htmlPath, textPath));
      if (nm.code !== 0) throw new Error(`nodemailer ${size} failed: ${nm.stderr.slice(-2000)}`);
      const n = JSON.parse(nm.stdout.trim().split('\n').pop()!) as { ms: number };
      const prev = raw.length ? { size: raw[raw.length - 1]!.size, peakRssKb: raw[raw.length - 1]!.mailwright.peakRssKb } : undefined;
      raw.push({ size, mailwright: { ...m, peakRssKb: run.peakRssKb }, nodemailer: { ms: n.ms, peakRssKb: nm.peakRssKb } });
      rows.push({
        'queued messages': fmt(size),
        'queue (ms/msg)': fmt(m.enqueuedMs / size, 2),
        'drain (ms/msg)': fmt(m.drainMs / size, 2),
        'total msg/s': fmt(size / (m.ms / 1000)),
        'core RSS growth (KB/msg)': fmt((run.peakRssKb - m.startRss) / size, 1),
        'core peak RSS (MB)': fmt(run.peakRssKb / 1024),
        // Per message added since the previous size: the constant cost of a started core drops out.
        'marginal KB/msg': prev ? fmt((run.peakRssKb - prev.peakRssKb) / (size - prev.size), 1) : '',
        'raw nodemailer (ms/msg)': fmt(n.ms / size, 2),
        'total wall (s)': fmt(run.wallMs / 1000, 1),
      });
      process.stderr.write(`  scaling ${size}: queue ${fmt(m.enqueuedMs / size, 2)} ms/msg, drain ${fmt(m.drainMs / size, 2)} ms/msg, peak ${fmt(run.peakRssKb / 1024)} MB\n`);
    }
  } finally {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const first = raw[0]!;
  const last = raw[raw.length - 1]!;
  const perMsg = (r: (typeof raw)[number]) => r.mailwright.ms / r.size;
  const growth = perMsg(last) / perMsg(first);
  return {
    name: 'scaling',
    title: `Scaling: ${sizes.map((s) => fmt(s)).join(', ')} queued messages`,
    method: [
      'For each size, one core process (createCore, real clock, temp data directory) queues that many ~10 KB HTML messages through outbox:enqueue to be sent later, in an hour (8 in flight), so they all wait in the outbox; then the clock moves an hour on and every message is due at once; the core drains the queue to the discarding sink (own process).',
      '"queue" is the time to queue them all; "drain" from the moment they come due until the last is `sent`. RSS growth is the core process\'s peak RSS (VmHWM) minus its RSS after start-up and the account, divided by the messages (at small sizes this is mostly the fixed cost of a working core: pool, buffers, JIT); "marginal" is the growth of peak RSS from the previous size, per message added. Raw nodemailer sending as many messages runs beside each size, for scale.',
      'Flat means the cost per message does not grow with the queue: before the fix in this change, every enqueue and every finished attempt re-read every sidecar in outbox/ and sent/ (O(n²)).',
    ].join('\n\n'),
    tables: [{ caption: 'Cost per message as the queue grows', rows }],
    targets: [{ target: `ms per message flat from ${fmt(first.size)} to ${fmt(last.size)} (≤ 1.5× growth)`, value: `${growth.toFixed(2)}×`, met: growth <= 1.5 }],
    raw,
  };
}
