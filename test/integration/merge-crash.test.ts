import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TRANSPORT_POOL } from '../../electron/core/smtp/transport-factory';
import type { MergeReportRow, MergeStatus } from '../../shared/model/merge';
import { cli } from '../helpers/cli';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

// Exactly once across crashes: a 200-row merge killed with SIGKILL at random moments (while
// messages are on the wire, and right after the start), resumed each time by a new process, ends
// with every row delivered once — none twice, none skipped. A message killed mid-send may be
// "outcome unknown" (never resent by itself); it must then be among those the dead process had on
// its way, and arrive at most once.

const CHILD = fileURLToPath(new URL('../helpers/merge-child.ts', import.meta.url));
const ROWS = 200;
const LEASE_MS = 1000;
const servers: TestSmtpServer[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Child {
  process: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function child(dataDir: string, args: string[]): Child {
  const p = spawn(process.execPath, ['--import', 'tsx/esm', CHILD, ...args], { env: { ...process.env, MAILWRIGHT_MERGE_DATA_DIR: dataDir, MAILWRIGHT_MERGE_LEASE_MS: String(LEASE_MS) }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(p);
  const lines: Array<Record<string, unknown>> = [];
  let out = '';
  p.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (let i = out.indexOf('\n'); i >= 0; i = out.indexOf('\n')) {
      lines.push(JSON.parse(out.slice(0, i)) as Record<string, unknown>);
      out = out.slice(i + 1);
    }
  });
  let err = '';
  p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  void exited.then((code) => code && process.stderr.write(`merge child exited ${code}: ${err}\n`));
  return { process: p, lines, exited };
}

describe('a merge killed at random moments', () => {
  it('delivers every row exactly once after each resume', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    let killAt = Number.POSITIVE_INFINITY;
    let running: Child | undefined;
    const s = await startTestSmtp({
      mode: 'plain',
      noAuth: true,
      // Killed the moment the server has the k-th message: others are on the wire then.
      onMessage: () => {
        if (s.bodies.length >= killAt && running) {
          running.process.kill('SIGKILL');
          killAt = Number.POSITIVE_INFINITY;
        }
      },
    });
    servers.push(s);
    const added = await cli(['--data-dir', dataDir, '--json', 'account', 'add', 'Shop', '--email', 'shop@example.test', '--host', '127.0.0.1', '--port', String(s.port), '--security', 'none']);
    expect(added.code, added.stdout).toBe(0);
    const accountId = (added.json.account as { id: string }).id;
    const csv = join(dir, 'rows.csv');
    await fs.writeFile(csv, ['email,name,order', ...Array.from({ length: ROWS }, (_, i) => `r${i + 1}@example.test,Ñandú Ёжиков ${i + 1},${i + 1}`)].join('\n'));

    const seed = Date.now();
    const random = (n: number) => Math.floor(((Math.sin(seed + n) + 1) / 2) * 1e6);
    const plan = [20 + (random(1) % 60), 90 + (random(2) % 60)];
    process.stdout.write(`merge crash plan: kill when the server has ${plan.join(', ')} messages (seed ${seed})\n`);

    // 1: killed right after it starts (the merge may or may not be committed yet).
    running = child(dataDir, ['start', accountId, csv]);
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (running!.lines.length || s.bodies.length) {
          clearInterval(t);
          resolve();
        }
      }, 2);
    });
    running.process.kill('SIGKILL');
    await running.exited;
    const listed = await cli(['--data-dir', dataDir, '--json', 'merge', 'list']);
    let id = ((listed.json.merges as MergeStatus[])[0] as MergeStatus | undefined)?.id;

    // 2 and 3: killed while messages are on the wire; then a last run to the end.
    for (const at of [...plan, Number.POSITIVE_INFINITY]) {
      killAt = at;
      running = id ? child(dataDir, ['resume', id]) : child(dataDir, ['start', accountId, csv]);
      const code = await running.exited;
      if (!id) id = ((await cli(['--data-dir', dataDir, '--json', 'merge', 'list'])).json.merges as MergeStatus[])[0]?.id;
      if (at === Number.POSITIVE_INFINITY) expect(code).toBe(0);
    }
    const status = await cli(['--data-dir', dataDir, '--json', 'merge', 'status', id!]);
    expect((status.json.merge as MergeStatus).state).toBe('done');
    const report = (await cli(['--data-dir', dataDir, '--json', 'merge', 'report', id!])).json.report as MergeReportRow[];
    expect(report).toHaveLength(ROWS);

    const arrived = new Map<string, number>();
    for (const m of s.bodies) arrived.set(m.to[0]!, (arrived.get(m.to[0]!) ?? 0) + 1);
    const twice = [...arrived].filter(([, n]) => n > 1);
    expect(twice, 'rows delivered twice').toEqual([]);
    const received = new Map(s.received.map((m) => [m.to[0]!, m]));
    const unknown = report.filter((r) => r.state === 'outcome-unknown');
    for (const r of report) {
      expect(['sent', 'outcome-unknown'], `row ${r.row}`).toContain(r.state);
      if (r.state === 'sent') {
        expect(received.get(r.address)?.parsed.messageId, `row ${r.row}`).toBe(r.messageId);
        expect(received.get(r.address)?.parsed.text).toContain(`Hola Ñandú Ёжиков ${r.row}, pedido ${r.row}.`);
      }
    }
    // Only what a killed process had past the point of no return can be unknown: one message per
    // connection of its pool, three kills.
    expect(unknown.length).toBeLessThanOrEqual(3 * TRANSPORT_POOL.maxConnections);
    expect(report.filter((r) => r.state === 'sent').length + unknown.length).toBe(ROWS);
  });
});
