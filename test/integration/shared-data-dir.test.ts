import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { draft } from '../../shared/model/draft';
import { cliProcess } from '../helpers/cli';
import { FakeClock } from '../helpers/fake-clock';
import { startTestSmtp } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

// The desktop app, `mailwright serve` and the CLI share one data directory and may run at once:
// they coordinate through the database alone.

const later = (ms: number) => draft.parse({ accountId: 'sandbox', to: ['a@example.test'], subject: 'later', text: 'x', options: { sendAt: new Date(Date.now() + ms).toISOString() } });


/** When the lease on a message runs out, as stored. */
const leaseUntil = (core: Core, id: string) => (core.database.db.prepare('SELECT lease_until AS until FROM outbox_items WHERE id = ?').get(id) as { until: number | null }).until;

/** Wait (on the real clock) until `at` has passed. */
async function until(at: number) {
  while (Date.now() <= at) await new Promise((r) => setTimeout(r, at - Date.now() + 1));
}

/** A message `core` is sending right now, held there: the sandbox server waits until `release` is called. */
async function sendingIn(core: Core) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const original = core.transports.forAccount.bind(core.transports);
  core.transports.forAccount = async (id) => {
    await held;
    return original(id);
  };
  const item = await core.outbox.enqueue(draft.parse({ accountId: 'sandbox', to: ['a@example.test'], subject: 'now', text: 'x' }));
  expect(item.state).toBe('sending');
  return { item, release };
}

describe('several processes on one data directory', () => {
  it('a message another live process is sending is left to it: not taken for a crash, not changed by a user here', async () => {
    const dir = tempDir();
    // A short lease, renewed while the attempt runs (every 100 ms): the others see it alive well past its first end.
    const sender = await createCore({ dataDir: dir, autoRun: false, leaseMs: 300 });
    const other = await createCore({ dataDir: dir, autoRun: true });
    const { item, release } = await sendingIn(sender);
    try {
      const first = leaseUntil(sender, item.id)!;
      await until(first + 300);
      await other.outbox.wake(); // a look of the running app: it expires leases that ran out
      expect(leaseUntil(sender, item.id)).toBeGreaterThan(first);
      const restarted = await createCore({ dataDir: dir, autoRun: false }); // its start expires them too
      try {
        expect((await restarted.outbox.get(item.id)).state).toBe('sending');
        for (const action of [() => restarted.outbox.cancel(item.id), () => restarted.outbox.edit(item.id), () => restarted.outbox.reschedule(item.id, new Date(Date.now() + 7_200_000))]) {
          await expect(action()).rejects.toMatchObject({ info: { code: 'BUSY', message: expect.stringMatching(/working on this message right now/) } });
        }
        // Here, in the process sending it, the refusal says why in its own words.
        await expect(sender.outbox.cancel(item.id)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', message: expect.stringMatching(/not possible for a message that is “Sending…”/) } });
        await restarted.outbox.retryWaitingNow('back online');
      } finally {
        await restarted.close();
      }
      release();
      expect((await sender.outbox.settled(item.id)).state).toBe('sent');
      expect((await other.outbox.get(item.id)).attempts).toBe(1);
      expect((await sender.sandbox.list()).length).toBe(1);
    } finally {
      release();
      await other.close();
      await sender.close();
    }
  });

  it('a process that stopped answering before its message went is taken over once its lease runs out: the running app sends it, once; back, the frozen one sends nothing', async () => {
    const dir = tempDir();
    // A process whose timers never fire: it never renews its lease, as one frozen or killed would not.
    const frozen = { now: () => new Date(), setTimer: () => undefined, clearTimer: () => undefined };
    const dying = await createCore({ dataDir: dir, autoRun: false, leaseMs: 300, clock: frozen });
    const { item, release } = await sendingIn(dying);
    const app = await createCore({ dataDir: dir, autoRun: true });
    try {
      expect((await app.outbox.get(item.id)).state).toBe('sending');
      await until(leaseUntil(app, item.id)!);
      // Nothing of it can have reached the server (it never came near its final dot): the app's look
      // takes it as due now, not as outcome-unknown, and sends it.
      await app.outbox.wake();
      await expect.poll(async () => (await app.outbox.get(item.id)).state, { timeout: 10_000 }).toBe('sent');
      expect((await app.outbox.get(item.id)).attempts).toBe(2);
      expect(await app.sandbox.list()).toHaveLength(1);
      // It comes back to life: its lease is gone, so it may not end the message; the server has one copy.
      release();
      await dying.outbox.idle();
      expect((await app.outbox.get(item.id)).state).toBe('sent');
      expect(await app.sandbox.list()).toHaveLength(1);
    } finally {
      release();
      await app.close();
      await dying.close();
    }
  });

  it('what came due while nothing ran is overdue, unless another process runs the queue now', async () => {
    const dir = tempDir();
    const start = Date.now();
    const appClock = new FakeClock(start);
    const cliClock = new FakeClock(start);
    const cli = await createCore({ dataDir: dir, autoRun: false, clock: cliClock });
    const queued = await cli.outbox.enqueue(later(1_000));
    await cli.close();
    const app = await createCore({ dataDir: dir, autoRun: true, clock: appClock });
    await expect.poll(() => app.database.db.prepare('SELECT count(*) AS n FROM outbox_runners').get()).toEqual({ n: 1 });
    cliClock.advance(2_000); // due now, for a process starting beside the app
    const beside = await createCore({ dataDir: dir, autoRun: false, clock: cliClock });
    expect((await beside.outbox.get(queued.id)).overdue).toBeFalsy();
    await beside.close();
    await app.close();
    const alone = await createCore({ dataDir: dir, autoRun: false, clock: cliClock });
    expect((await alone.outbox.get(queued.id)).overdue).toBe(true);
    await alone.close();
  });
});

describe('the app and two command lines sending at once', () => {
  it('every message is delivered exactly once, and each process tells the truth about all of them', async () => {
    const dir = tempDir();
    const server = await startTestSmtp({ mode: 'plain' });
    const app = await createCore({ dataDir: dir, autoRun: true });
    try {
      const account = await app.handlers['accounts:save']({ name: 'Plain', email: 'a@example.test', displayName: '', host: '127.0.0.1', port: server.port, security: 'none' });
      // Two real `mailwright send` processes, four messages each one after another, while the app queues eight of its own.
      const cliSends = [0, 1].map(async (c) => {
        const codes: number[] = [];
        for (let i = 0; i < 4; i++) codes.push((await cliProcess(['--data-dir', dir, '--json', 'send', '--account', 'Plain', '--to', 'b@example.test', '--subject', `cli${c}-${i}`, '--text', 'x'])).code);
        return codes;
      });
      const fromApp = await Promise.all(Array.from({ length: 8 }, (_, i) => app.outbox.enqueue(draft.parse({ accountId: account.id, to: ['b@example.test'], subject: `app-${i}`, text: 'x' }))));
      expect((await Promise.all(cliSends)).flat()).toEqual(Array(8).fill(0));
      for (const item of fromApp) expect((await app.outbox.settled(item.id)).state).toBe('sent');
      const items = await app.outbox.list();
      expect(items).toHaveLength(16);
      expect(items.every((i) => i.state === 'sent' && i.attempts === 1)).toBe(true);
      const received = server.received.map((m) => m.parsed.messageId);
      expect(received.sort()).toEqual(items.map((i) => i.messageId).sort()); // each once, none missing
    } finally {
      await app.close();
      await server.close();
    }
  }, 60_000);
});

describe('recording the outcome', () => {
  it('a message the server accepted is never marked failed when recording that fails; the running app itself then says outcome-unknown, no restart needed', async () => {
    const dir = tempDir();
    const core = await createCore({ dataDir: dir, leaseMs: 300, autoRun: true });
    try {
      // The disk fails from the moment the server has the message.
      core.database.db.exec(`CREATE TEMP TRIGGER fail_recording BEFORE UPDATE OF state ON outbox_items WHEN OLD.state = 'sending' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
      const item = await core.outbox.enqueue(draft.parse({ accountId: 'sandbox', to: ['a@example.test'], subject: 'disk full', text: 'x' }));
      await core.outbox.idle();
      expect((await core.outbox.get(item.id)).state).toBe('sending'); // not failed
      expect((await core.sandbox.list()).map((m) => m.subject)).toEqual(['disk full']); // it did arrive
      core.database.db.exec('DROP TRIGGER temp.fail_recording'); // space again
      // Its attempt is over, so its lease is no longer renewed: it runs out, and the app's next look says what is known.
      await until(leaseUntil(core, item.id)!);
      await core.outbox.wake();
      expect(await core.outbox.get(item.id)).toMatchObject({ state: 'outcome-unknown', error: { code: 'OUTCOME_UNKNOWN' } });
      expect(await core.sandbox.list()).toHaveLength(1); // and never resent
    } finally {
      await core.close();
    }
  });
});
