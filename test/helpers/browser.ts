import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mailwrightCommand } from './cli';

export const CHROMIUM = process.env.MAILWRIGHT_CHROMIUM ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags this kind of machine needs (root, no GPU, closed network). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: run bash scripts/setup.sh (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', ...extraArgs],
    // Playwright's own default is 180 s, three times a hook's limit.
    timeout: 30_000,
  });
}

/**
 * Open the app in a new page: a desktop-sized window, downloads allowed, and any page error fails
 * the test. The browser's language is English unless `locale` says otherwise, so the app's
 * "system" language (and what the tests read) does not depend on the machine's.
 */
export async function openApp(browser: Browser, url: string, { locale = 'en-US' }: { locale?: string } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 820 }, acceptDownloads: true, locale });
  // A step that never happens must fail naming itself, well inside the test's own 60 s: with
  // Playwright's 30 s default, two slow steps made an anonymous test timeout instead.
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => {
    throw e;
  });
  // File choosers are intercepted from the start. Playwright turns interception on when the first
  // listener is added, without waiting for it: a test's waitForEvent('filechooser') just before a
  // key press raced it, and under load the chooser opened unseen and the wait timed out.
  page.on('filechooser', () => {});
  await page.goto(url);
  return page;
}

/** Screenshots of each screen, for a person to look at: test-results/screenshots/NAME.png. */
export function screenshot(page: Page, name: string) {
  const dir = join(process.cwd(), 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

export interface Served {
  url: string;
  origin: string;
  token: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Start the real `mailwright serve` (browser mode) on a data directory and read the URL it prints. */
export function serve(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Served> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = mailwrightCommand(['--data-dir', dataDir, 'serve']);
    const child = spawn(cmd, argv, {
      env: { ...env, npm_config_update_notifier: 'false' },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    let out = '';
    /** Signal serve's whole process group (it is detached); false when it is already gone. */
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
        return true;
      } catch {
        return false;
      }
    };
    const timer = setTimeout(() => {
      kill('SIGKILL');
      reject(new Error(`mailwright serve printed no URL: ${out}`));
    }, 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Mailwright UI: (http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+))/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1]!,
        port: Number(m[2]),
        token: m[3]!,
        origin: `http://127.0.0.1:${m[2]}`,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            // It finishes a send in progress before it exits; a test does not wait past 10 s for that.
            const late = setTimeout(() => kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(late);
              done();
            });
            if (kill('SIGTERM')) return;
            clearTimeout(late); // already gone
            done();
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`mailwright serve exited with ${code}: ${out}`)));
  });
}
