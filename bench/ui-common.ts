// Shared by the UI benchmarks (bench/composer.ts, bench/outbox-view.ts): machine facts, statistics,
// and writing bench/results/NAME.{json,md}. The browser and `mailwright serve` are the test helpers'.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem, release } from 'node:os';
import type { Browser } from 'playwright-core';

export function machine(browser: Browser) {
  let chromium = browser.version();
  try {
    chromium = execFileSync(process.env.MAILWRIGHT_CHROMIUM ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // keep the version Playwright reports
  }
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    chromium,
    loadavgAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function quantile(values: number[], q: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i]!;
}
export const median = (v: number[]) => quantile(v, 0.5);
export const p95 = (v: number[]) => quantile(v, 0.95);
export const round = (n: number, d = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : n);
/** min / median / max of repeated runs, so the noise is visible next to the figure. */
export const spread = (v: number[]) => ({ runs: v.map((x) => round(x)), min: round(Math.min(...v)), median: round(median(v)), max: round(Math.max(...v)) });


export const pass = (ok: boolean) => (ok ? 'meets' : '**misses**');

export function machineMd(m: ReturnType<typeof machine>) {
  return `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, Linux ${m.kernel}, Node ${m.node}; ${m.chromium} (headless, --disable-gpu); load average at start ${m.loadavgAtStart.join(' ')}; ${m.date}.`;
}

/** tsx (esbuild keepNames) wraps named functions in __name(); functions sent to the page need it defined there. */
export async function shimPage(page: import('playwright-core').Page) {
  await page.addInitScript('window.__name = (f) => f');
  await page.evaluate('window.__name = (f) => f');
}

/**
 * How contended the CPU is while a bench runs: the same fixed piece of JavaScript (about 5 ms on
 * an idle core) timed 40 times in the page. p50/min and p95/min near 1 mean a quiet machine; on a
 * shared one, long tasks and frame times stretch by about these factors.
 */
export async function cpuNoise(page: import('playwright-core').Page) {
  const runs: number[] = await page.evaluate(`(async () => {
    const out = [];
    for (let r = 0; r < 40; r++) {
      const t0 = performance.now();
      let x = 0;
      for (let i = 0; i < 3e6; i++) x = (x * 31 + i) % 1000003;
      out.push(performance.now() - t0 + (x < 0 ? 1 : 0));
      await new Promise((res) => setTimeout(res, 20));
    }
    return out;
  })()`);
  const min = Math.min(...runs);
  return { fixedWorkMs: { min: round(min), p50: round(median(runs)), p95: round(p95(runs)) }, p50OverMin: round(median(runs) / min, 2), p95OverMin: round(p95(runs) / min, 2) };
}

/**
 * Main-thread tasks of the page while `work` runs, from a Chrome trace: each task's wall time and
 * its thread CPU time. On a shared machine the wall time of a task includes the time its thread
 * waited for a core; the CPU time does not, so it tells the page's own long tasks from the noise.
 */
export async function tracedTasks(browser: Browser, page: import('playwright-core').Page, work: () => Promise<void>) {
  await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline', '__metadata'] });
  await work();
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: Array<{ name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }> };
  const main = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
  const tasks = trace.traceEvents.filter((e) => (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && e.ph === 'X' && main.includes(`${e.pid}:${e.tid}`));
  const wall = tasks.map((t) => (t.dur ?? 0) / 1000);
  const cpu = tasks.map((t) => (t.tdur ?? t.dur ?? 0) / 1000);
  return {
    tasks: tasks.length,
    wallOver50ms: wall.filter((d) => d > 50).length,
    cpuOver50ms: cpu.filter((d) => d > 50).length,
    wallMaxMs: round(Math.max(0, ...wall)),
    cpuMaxMs: round(Math.max(0, ...cpu)),
    cpuP99Ms: round(quantile(cpu, 0.99)),
  };
}
