import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium, openApp, serve, type Served } from './browser';
import { cli } from './cli';
import { startTestSmtp, type TestSmtpOptions, type TestSmtpServer } from './smtp-server';

export interface AppSession {
  page: Page;
  browser: Browser;
  served: Served;
  dataDir: string;
  /** Present when the session was asked for a server: a loopback SMTP server, and an account "Office" on it, chosen in From. */
  smtp?: TestSmtpServer;
  accountId?: string;
}

/**
 * The end of a UI suite: the browser (it lets go of the server first), the server, the SMTP
 * server, then the data directory, each whatever became of the ones before. Stopping at the first
 * that threw left the rest running (a leaked `mailwright serve` per run).
 */
export async function tearDown(parts: { browser?: Browser; served?: Served; smtp?: { close(): Promise<void> }; dataDir?: string }): Promise<void> {
  const errors: unknown[] = [];
  const steps = [() => parts.browser?.close(), () => parts.served?.stop(), () => parts.smtp?.close(), () => (parts.dataDir ? fs.rm(parts.dataDir, { recursive: true, force: true }) : undefined)];
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length) throw errors[0];
}

/**
 * The common ground of the UI suites: before the file's tests, a fresh data directory, the real
 * `mailwright serve` on it and Chromium showing it (optionally with a real SMTP server and an
 * account on it); after them, everything closed and removed.
 */
export function appSession(opts: { name: string; smtp?: Partial<TestSmtpOptions>; email?: string; settings?: object }): AppSession {
  const session = {} as AppSession;
  beforeAll(async () => {
    session.dataDir = await fs.mkdtemp(`/tmp/mw-e2e-${opts.name}-`);
    if (opts.settings) await fs.writeFile(join(session.dataDir, 'settings.json'), JSON.stringify(opts.settings));
    if (opts.smtp) {
      session.smtp = await startTestSmtp({ mode: 'plain', ...opts.smtp });
      const added = await cli(['--data-dir', session.dataDir, '--json', 'account', 'add', 'Office', '--email', opts.email ?? 'ana@example.test', '--display-name', 'Ana', '--host', '127.0.0.1', '--port', String(session.smtp.port), '--security', 'none']);
      expect(added.code, added.stderr).toBe(0);
      session.accountId = (added.json.account as { id: string }).id;
    }
    session.served = await serve(session.dataDir);
    session.browser = await launchChromium();
    session.page = await openApp(session.browser, session.served.url);
    const from = session.page.getByLabel('From').first();
    await from.locator(`option[value="${session.accountId ?? 'sandbox'}"]`).waitFor({ state: 'attached' });
    if (session.accountId) await from.selectOption(session.accountId);
  }, 60_000);
  afterAll(() => tearDown(session));
  return session;
}
