// Shared plumbing of the benchmarks: the sink, child processes with their peak memory, the
// machine description, and the result files (Markdown + JSON under bench/results/).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(BENCH_DIR, '..');
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** One row of a result table: every cell already formatted. */
export type Row = Record<string, string | number>;

export interface BenchResult {
  name: string;
  title: string;
  /** what was measured, how, and what the baselines are (a paragraph for the Markdown file) */
  method: string;
  tables: Array<{ caption: string; rows: Row[] }>;
  targets: Array<{ target: string; value: string; met: boolean; note?: string }>;
  /** raw figures for the JSON file */
  raw: unknown;
}

/** A child process that reads a line-based protocol: wait for a line matching a pattern. */
export function waitLine(child: ChildProcess, pattern: RegExp, ms = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    const exited = (code: number | null) => (clearTimeout(timer), rl.close(), reject(new Error(`child exited (${code}) before ${pattern}`)));
    const timer = setTimeout(() => (rl.close(), child.off('exit', exited), reject(new Error(`no line matching ${pattern} within ${ms} ms`))), ms);
    rl.on('line', (line) => {
      const m = pattern.exec(line);
      if (m) {
        clearTimeout(timer);
        rl.close();
        child.off('exit', exited);
        resolve(m);
      }
    });
    child.once('exit', exited);
  });
}

export interface Sink {
  port: number;
  pid: number;
  count(): Promise<{ messages: number; bytes: number }>;
  close(): Promise<void>;
}

/** Start the discarding SMTP sink in its own process. */
export async function startSink(): Promise<Sink> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_DIR, 'sink.ts')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const [, port] = await waitLine(child, /^PORT (\d+)$/);
  return {
    port: Number(port),
    pid: child.pid!,
    async count() {
      const reply = waitLine(child, /^COUNT (\d+) (\d+)$/);
      child.stdin!.write('count\n');
      const [, messages, bytes] = await reply;
      return { messages: Number(messages), bytes: Number(bytes) };
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}

export interface ChildRun {
  code: number | null;
  wallMs: number;
  /** peak resident set size in KB (VmHWM, sampled until exit) */
  peakRssKb: number;
  stdout: string;
  stderr: string;
}

/**
 * Run a command to its end, timing it and following its peak resident memory. The peak is the
 * kernel's own high-water mark (VmHWM in /proc/PID/status), read every 20 ms: it only grows, so
 * the last read before exit is the peak up to at most 20 ms before the end.
 */
export function runChild(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {
        // gone already
      }
    };
    const timer = setInterval(sample, 20);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(timer);
      resolve({ code, wallMs: performance.now() - started, peakRssKb: peak, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
    sample();
  });
}

/** The peak RSS of this very process so far (KB). */
export function ownPeakRssKb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : 0;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'not installed';
  }
}

/** What the figures were measured on. */
export function machine() {
  const pkg = (name: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    nodemailer: pkg('nodemailer'),
    smtpServer: pkg('smtp-server'),
    python: version('/usr/bin/python3', ['--version']).replace(/^Python /, ''),
    kernel: version('uname', ['-sr']),
  };
}

function table(rows: Row[]): string {
  if (!rows.length) return '';
  const cols = Object.keys(rows[0]!);
  return [`| ${cols.join(' | ')} |`, `|${cols.map((c) => (typeof rows[0]![c] === 'number' ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${cols.map((c) => String(r[c] ?? '')).join(' | ')} |`)].join('\n');
}

export function markdown(result: BenchResult, env: ReturnType<typeof machine>): string {
  const parts = [
    `# ${result.title}`,
    '',
    `${env.date} · ${env.cpu}, ${env.cores} cores, ${env.memoryGb} GB · Node ${env.node} · nodemailer ${env.nodemailer} · smtp-server ${env.smtpServer} · Python ${env.python} · ${env.kernel}`,
    '',
    result.method,
  ];
  for (const t of result.tables) parts.push('', `**${t.caption}**`, '', table(t.rows));
  if (result.targets.length) {
    parts.push('', '**Targets**', '', table(result.targets.map((t) => ({ target: t.target, measured: t.value, met: t.met ? 'yes' : 'NO', note: t.note ?? '' }))));
  }
  return parts.join('\n') + '\n';
}

export function writeResult(result: BenchResult): string {
  const env = machine();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const md = markdown(result, env);
  writeFileSync(join(RESULTS_DIR, `${result.name}.md`), md);
  writeFileSync(join(RESULTS_DIR, `${result.name}.json`), JSON.stringify({ name: result.name, title: result.title, machine: env, method: result.method, tables: result.tables, targets: result.targets, raw: result.raw }, null, 2) + '\n');
  return md;
}

/** Run the bench's TypeScript children the way the CLI runs: Node with tsx. */
export const tsNode = (script: string, ...args: string[]): [string, string[]] => [process.execPath, ['--import', 'tsx', join(BENCH_DIR, script), ...args]];

/**
 * CPU time from now on, of this thread (the event loop: in a child, its main thread) and of the
 * whole process (its worker threads too). Steadier from hour to hour on a shared machine than a
 * rate, so a change worth a few per cent shows in it when the rates' noise hides it.
 */
export function cpuFromNow(): () => { mainCpuMs: number; processCpuMs: number } {
  const thread = process.threadCpuUsage();
  const all = process.cpuUsage();
  return () => {
    const t = process.threadCpuUsage(thread);
    const a = process.cpuUsage(all);
    return { mainCpuMs: (t.user + t.system) / 1000, processCpuMs: (a.user + a.system) / 1000 };
  };
}
