import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

// A vitest global setup: after the whole run, no `mailwright` process and no Chromium that a test
// started may still be alive. A teardown that never ran (a hook that timed out first) leaked a
// `mailwright serve` and a browser per run, and nothing said so: the suite was only slower and
// CI's 2 cores busier. Only processes that inherited this run's mark in their environment are this
// run's: a developer's own, and those of another suite running at the same time, are left alone.

const STARTED_BY_TESTS = /bin\/mailwright\.mjs|out\/main\/cli\.js|helpers\/crash-child|helpers\/db-worker|playwright_chromiumdev_profile/;

const MARK = 'MAILWRIGHT_TEST_RUN';

function matching(run: string): Map<number, string> {
  const found = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      // A zombie has an empty command line: it is gone, only not yet reaped.
      if (!STARTED_BY_TESTS.test(cmd)) continue;
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(`${MARK}=${run}`)) found.set(Number(name), cmd);
    } catch {
      // Exited while being read.
    }
  }
  return found;
}

export default function setup() {
  // Set before the workers start: every process a test starts inherits it.
  const run = randomUUID();
  process.env[MARK] = run;
  return async function teardown() {
    let left: Array<[number, string]> = [];
    // Give a process that was just told to stop a moment to exit.
    for (let wait = 0; wait < 50; wait++) {
      left = [...matching(run)];
      if (!left.length) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const [pid] of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    // vitest reports an error thrown here but still exits 0: the exit code is set as well.
    process.exitCode = 1;
    throw new Error(`processes started by the tests were still running after them (killed now; a teardown did not run?):\n${left.map(([pid, cmd]) => `  ${pid} ${cmd.slice(0, 160)}`).join('\n')}`);
  };
}
