import { describe, expect, it, onTestFinished } from 'vitest';
import type { OutboxItem, OutboxState } from '../../shared/model/outbox';
import { Database } from '../../electron/core/db/database';
import { OutboxRepository } from '../../electron/core/outbox/outbox-repository';
import { Scheduler, type SchedulerDeps } from '../../electron/core/outbox/scheduler';
import { FakeClock } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';

const UNKNOWN = { code: 'OUTCOME_UNKNOWN' as const, message: 'interrupted', hint: 'check' };

function setup(opts: Partial<SchedulerDeps> = {}) {
  const dataDir = tempDir();
  const database = new Database({ dataDir });
  onTestFinished(() => database.close());
  const repo = new OutboxRepository(database.db);
  const clock = new FakeClock();
  const now = () => clock.now().getTime();
  const attempts: string[] = [];
  const changed: OutboxItem[] = [];
  /** Attempts wait here until the test lets them end. */
  const pending = new Map<string, () => void>();
  const scheduler = new Scheduler({
    repo,
    database,
    clock,
    owner: 'app:1',
    attempt: (item, lease) =>
      new Promise<void>((done) => {
        attempts.push(item.id);
        pending.set(item.id, () => {
          void database.write(() => repo.change(item.id, 'delivered', (c) => ({ ...c, state: 'sent', updatedAt: new Date(now()).toISOString() }), lease)).then(() => done());
        });
      }),
    unknownError: () => UNKNOWN,
    changed: (item) => changed.push(item),
    log: (m, err) => console.error(m, err),
    slots: 2,
    ...opts,
  });
  onTestFinished(() => scheduler.stop());
  const queue = (id: string, dueIn = 0, state: OutboxState = 'scheduled') =>
    database.write(() => repo.insert({ id, accountId: 'a', messageId: `<${id}@x>`, subject: id, from: 'a@x', sender: 'a@x', recipients: ['b@x'], state, createdAt: new Date(now()).toISOString(), updatedAt: new Date(now()).toISOString(), attempts: 0, size: 1, dueAt: new Date(now() + dueIn).toISOString() }));
  const finish = async (id: string) => {
    await expect.poll(() => pending.has(id)).toBe(true);
    pending.get(id)!();
    pending.delete(id);
    await expect.poll(() => repo.get(id)?.state).toBe('sent');
  };
  return { database, repo, clock, scheduler, attempts, changed, queue, finish, now };
}

describe('the outbox scheduler', () => {
  it('takes due mail as slots free up, each message once', async () => {
    const s = setup();
    for (const id of ['a', 'b', 'c']) await s.queue(id);
    s.scheduler.start();
    await expect.poll(() => s.attempts).toEqual(['a', 'b']);
    await s.finish('a');
    await expect.poll(() => s.attempts).toEqual(['a', 'b', 'c']);
    await s.finish('b');
    await s.finish('c');
    expect(s.attempts).toEqual(['a', 'b', 'c']);
  });

  it('waits for a message’s time, then takes it', async () => {
    const s = setup();
    await s.queue('later', 60_000);
    s.scheduler.start();
    await s.scheduler.wake();
    expect(s.attempts).toEqual([]);
    s.clock.advance(60_000);
    await expect.poll(() => s.attempts).toEqual(['later']);
    await s.finish('later');
  });

  it('keeps its leases while an attempt runs long, so no other process takes the message for abandoned', async () => {
    const s = setup({ leaseMs: 60_000 });
    await s.queue('long');
    s.scheduler.start();
    await expect.poll(() => s.attempts).toEqual(['long']);
    const leaseUntil = () => (s.database.db.prepare(`SELECT lease_until AS until FROM outbox_items WHERE id = 'long'`).get() as { until: number }).until;
    for (let i = 0; i < 10; i++) {
      s.clock.advance(20_000); // 200 s in all, three leases' worth
      await expect.poll(leaseUntil).toBe(s.now() + 60_000); // renewed
      // What another process's look would do now.
      expect(await s.database.write(() => s.repo.expireLeases(s.now(), UNKNOWN))).toEqual([]);
    }
    await s.finish('long');
  });

  it('a message whose sender died past its point of no return waits for the user as outcome-unknown, never taken again; one that died before it is sent here', async () => {
    const s = setup();
    // Another process took two messages and died: `one` after it recorded its final dot was going, `two` before.
    await s.queue('one');
    await s.queue('two');
    const taken = await s.database.write(() => s.repo.claimDue(s.now(), 'cli:9', s.now() + 10_000, 10));
    await s.database.write(() => s.repo.passNoReturn('one', taken.find((t) => t.item.id === 'one')!.lease));
    s.clock.advance(10_001);
    s.scheduler.start();
    await expect.poll(() => s.attempts).toEqual(['two']);
    expect(s.changed.filter((i) => i.state !== 'sending').map((i) => [i.id, i.state]).sort()).toEqual([
      ['one', 'outcome-unknown'],
      ['two', 'retrying'],
    ]);
    await s.finish('two');
    s.clock.advance(60_000);
    await s.scheduler.wake();
    await s.scheduler.idle();
    expect(s.attempts).toEqual(['two']);
    expect(s.repo.get('one')).toMatchObject({ state: 'outcome-unknown', error: UNKNOWN });
    expect(s.repo.get('two')).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('with every slot busy and more mail due, it waits for a slot instead of looking again and again', async () => {
    let looks = 0;
    const s = setup({ onLook: async () => void looks++ });
    for (const id of ['a', 'b', 'c']) await s.queue(id);
    s.scheduler.start();
    await expect.poll(() => s.attempts).toEqual(['a', 'b']);
    await s.scheduler.wake();
    const seen = looks;
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); // a timer set for "now" would have fired
    expect(looks).toBe(seen);
    await s.finish('a');
    await expect.poll(() => s.attempts).toEqual(['a', 'b', 'c']);
    await s.finish('b');
    await s.finish('c');
  });

  it('a look that fails still sets the next one: scheduled mail goes out after a moment of a full disk', async () => {
    let fail = true;
    const logged: string[] = [];
    const s = setup({ onLook: async () => { if (fail) throw new Error('disk full'); }, log: (m) => logged.push(m), lookEveryMs: 30_000 });
    s.scheduler.start();
    await s.scheduler.wake();
    expect(logged).toContain('outbox scheduling failed');
    fail = false;
    await s.queue('later', 10_000);
    s.clock.advance(30_000); // no wake but the timer's
    await expect.poll(() => s.attempts).toEqual(['later']);
    await s.finish('later');
  });

  it('a message sent again while its first attempt still runs here: the end of the first does not lose the second', async () => {
    const ends: Array<() => void> = [];
    const leases: string[] = [];
    const s = setup({
      leaseMs: 60_000,
      attempt: (_item, lease) =>
        new Promise<void>((done) => {
          leases.push(lease.attempt);
          ends.push(done);
        }),
    });
    await s.queue('m');
    s.scheduler.start();
    await expect.poll(() => leases.length).toBe(1);
    // This process froze past its lease (after its final dot was on its way); another took the
    // message over, and the user resent it.
    await s.database.write(() => s.repo.passNoReturn('m', { owner: 'app:1', attempt: leases[0]!, until: 0 }));
    await s.database.write(() => s.repo.expireLeases(s.now() + 120_000, UNKNOWN));
    await s.database.write(() => s.repo.change('m', 'resend', (c) => ({ ...c, state: 'scheduled', dueAt: new Date(s.now()).toISOString() })));
    await s.scheduler.wake();
    await expect.poll(() => leases.length).toBe(2);
    ends[0]!(); // the first attempt ends
    await expect.poll(() => s.scheduler.isSending('m')).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(s.scheduler.isSending('m')).toBe(true);
    // and the second's lease is still renewed
    s.clock.advance(20_000);
    await expect.poll(() => (s.database.db.prepare(`SELECT lease_until AS u FROM outbox_items WHERE id = 'm'`).get() as { u: number }).u).toBe(s.now() + 60_000);
    ends[1]!();
    await s.scheduler.idle();
  });

  it('runDue sends everything due now and returns when it is done', async () => {
    const s = setup({
      attempt: async (item, lease) => {
        await s.database.write(() => s.repo.change(item.id, 'delivered', (c) => ({ ...c, state: 'sent', updatedAt: c.updatedAt }), lease));
      },
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) await s.queue(id);
    await s.queue('tomorrow', 86_400_000);
    await s.scheduler.runDue();
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => s.repo.get(id)?.state)).toEqual(Array(5).fill('sent'));
    expect(s.repo.get('tomorrow')?.state).toBe('scheduled');
  });
});
