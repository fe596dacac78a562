import { afterEach } from 'vitest';
import type { Core } from '../../electron/core/core';
import { createCore } from '../../electron/core/core';
import type { OutboxCheckpoint } from '../../electron/core/outbox/outbox-service';
import type { RetryPolicy } from '../../electron/core/outbox/retry-policy';
import { draft as draftSchema, type Draft, type DraftInput } from '../../shared/model/draft';
import type { OutboxItem, OutboxState } from '../../shared/model/outbox';
import { FakeClock } from './fake-clock';
import { MemorySecretStore } from './memory-secret-store';
import { startTestSmtp, type TestSmtpOptions, type TestSmtpServer } from './smtp-server';
import { tempDir } from './temp-dir';

// The outbox integration tests' common ground: a core on a fake clock against real loopback
// SMTP servers, everything closed after each test.

export const TEST_RETRY: RetryPolicy = { baseMs: 30_000, maxMs: 30 * 60_000, lifetimeMs: 24 * 3600_000, jitter: 0.2 };
/** random() for the backoff: 0.5 means no jitter, so waits are exactly what the policy says. */
export const noJitter = () => 0.5;

interface Closable {
  close(): Promise<void>;
}

/** Call at the top of a test file: returns helpers whose cores and servers close after each test. */
export function outboxHarness() {
  const open: Closable[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  const track = <T extends Closable>(c: T): T => (open.push(c), c);
  return {
    track,
    /** A core that sends by itself (autoRun) on a fake clock; pass `dir` and `clock` again to "restart" it. */
    async setup(opts: { dir?: string; clock?: FakeClock; autoRun?: boolean; retry?: RetryPolicy; log?: (m: string) => void; checkpoint?: (step: OutboxCheckpoint) => void } = {}) {
      const clock = opts.clock ?? new FakeClock();
      const dir = opts.dir ?? tempDir();
      // The fake keychain is fine here: these accounts have no password; the keychain has its own real tests.
      const core = track(await createCore({ dataDir: dir, clock, autoRun: opts.autoRun ?? true, retry: opts.retry ?? TEST_RETRY, random: noJitter, keychain: new MemorySecretStore(), log: opts.log, checkpoint: opts.checkpoint }));
      return { core, clock, dir };
    },
    smtp: async (opts: Partial<TestSmtpOptions> = {}): Promise<TestSmtpServer> => track(await startTestSmtp({ mode: 'plain', ...opts })),
  };
}

/** A plain (no TLS, no login) account on a loopback server. */
export const saveAccount = (core: Core, port: number, name = 'Plain') =>
  core.handlers['accounts:save']({ name, email: 'ana@example.test', displayName: '', host: '127.0.0.1', port, security: 'none' });

/** A draft as the renderer or the CLI sends it (recipients as text), for calls through the schema. */
export const testDraftInput = (accountId: string, extra: Partial<DraftInput> = {}): DraftInput => ({ accountId, to: ['bob@example.test'], subject: 'Hello', text: 'body', ...extra });
/** The same draft as the schema hands it to the core (recipients parsed). */
export const testDraft = (accountId: string, extra: Partial<DraftInput> = {}): Draft => draftSchema.parse(testDraftInput(accountId, extra));

/** Wait until an item satisfies a condition, reading it back from disk. */
export async function until(core: Core, id: string, ok: (item: OutboxItem) => boolean, what: string, ms = 30_000): Promise<OutboxItem> {
  const end = Date.now() + ms;
  for (;;) {
    const item = (await core.outbox.list()).find((i) => i.id === id);
    if (item && ok(item)) return item;
    if (Date.now() > end) throw new Error(`item ${id} is ${item?.state} after ${item?.attempts} attempts; wanted ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const reaches = (core: Core, id: string, states: OutboxState[]) => until(core, id, (i) => states.includes(i.state), states.join('/'));
