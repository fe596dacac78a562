import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { OutboxItem } from '../../shared/model/outbox';
import { spawn } from 'node:child_process';
import { createCore } from '../../electron/core/core';
import { claimTokenOf } from '../../electron/core/fs/claim-file';
import { tempDir } from '../helpers/temp-dir';

/** Another live process (the CLI, say) holding the claim on a message while the test runs. */
async function claimedElsewhere(dir: string, id: string) {
  const other = spawn('sleep', ['60'], { stdio: 'ignore' });
  await fs.writeFile(join(dir, 'outbox', `${id}.claim`), claimTokenOf(other.pid!));
  return {
    async end() {
      await fs.rm(join(dir, 'outbox', `${id}.claim`), { force: true });
      other.kill('SIGKILL');
    },
  };
}

// The desktop app, `mailwright serve` and the CLI share one data directory and may run at once.
describe('several processes on one data directory', () => {
  it('only the first one repairs the outbox: a second must not take live work for a crash', async () => {
    const dir = tempDir();
    const first = await createCore({ dataDir: dir });
    // Work the first process has in flight: a message mid-send and one still being built.
    const now = new Date().toISOString();
    const live: OutboxItem = { id: 'live-1', accountId: 'sandbox', messageId: '<m@x>', subject: 's', from: 'f@x', sender: 'f@x', recipients: ['t@x'], state: 'sending', createdAt: now, updatedAt: now, attempts: 1, size: 3 };
    await fs.writeFile(join(dir, 'outbox', 'live-1.eml'), 'eml');
    await fs.writeFile(join(dir, 'outbox', 'live-1.json'), JSON.stringify(live));
    await fs.writeFile(join(dir, 'outbox', 'tmp', 'building.eml'), 'half');

    const second = await createCore({ dataDir: dir });
    expect((await second.outbox.list()).find((i) => i.id === 'live-1')?.state).toBe('sending');
    expect(await fs.readdir(join(dir, 'outbox', 'tmp'))).toEqual(['building.eml']);
    await second.close();

    // Once the first has gone, the next start treats the leftovers as a crash's.
    await first.close();
    const third = await createCore({ dataDir: dir });
    expect((await third.outbox.list()).find((i) => i.id === 'live-1')?.state).toBe('outcome-unknown');
    expect(await fs.readdir(join(dir, 'outbox', 'tmp'))).toEqual([]);
    await third.close();
  });

  it('a lock left by a dead process is taken over', async () => {
    const dir = tempDir();
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(join(dir, 'mailwright.lock'), '999999999');
    await fs.mkdir(join(dir, 'outbox', 'tmp'), { recursive: true });
    await fs.writeFile(join(dir, 'outbox', 'tmp', 'stale.eml'), 'x');
    const core = await createCore({ dataDir: dir });
    expect(await fs.readdir(join(dir, 'outbox', 'tmp'))).toEqual([]);
    expect(await fs.readFile(join(dir, 'mailwright.lock'), 'utf8')).toBe(claimTokenOf(process.pid));
    await core.close();
    await expect(fs.stat(join(dir, 'mailwright.lock'))).rejects.toThrow();
  });
});

describe('a message another process is sending right now', () => {
  it('cannot be cancelled, edited or rescheduled from here until that attempt is over (it would still go out)', async () => {
    const dir = tempDir();
    const core = await createCore({ dataDir: dir, autoRun: false });
    try {
      const item = await core.outbox.enqueue({ accountId: 'sandbox', to: ['a@example.test'], cc: [], bcc: [], subject: 'later', text: 'x', attachments: [], options: { sendAt: new Date(Date.now() + 3_600_000).toISOString() } });
      const other = await claimedElsewhere(dir, item.id);
      try {
        for (const action of [() => core.outbox.cancel(item.id), () => core.outbox.edit(item.id), () => core.outbox.reschedule(item.id, new Date(Date.now() + 7_200_000))]) {
          await expect(action()).rejects.toMatchObject({ info: { code: 'BUSY', message: expect.stringMatching(/working on this message right now/) } });
        }
        expect((await core.outbox.get(item.id)).state).toBe('scheduled');
      } finally {
        await other.end();
      }
      expect((await core.outbox.cancel(item.id)).state).toBe('cancelled');
    } finally {
      await core.close();
    }
  });

  it('is not changed by a "network is back" retry while another process holds it', async () => {
    const dir = tempDir();
    const core = await createCore({ dataDir: dir, autoRun: false });
    try {
      const now = new Date().toISOString();
      const later = new Date(Date.now() + 3_600_000).toISOString();
      const waiting: OutboxItem = { id: 'r-1', accountId: 'sandbox', messageId: '<r@x>', subject: 's', from: 'f@x', sender: 'f@x', recipients: ['t@x'], state: 'retrying', dueAt: later, createdAt: now, updatedAt: now, attempts: 1, size: 3 };
      await fs.writeFile(join(dir, 'outbox', 'r-1.eml'), 'eml');
      await fs.writeFile(join(dir, 'outbox', 'r-1.json'), JSON.stringify(waiting));
      const other = await claimedElsewhere(dir, 'r-1');
      try {
        await core.outbox.retryWaitingNow('back online');
        expect((await core.outbox.get('r-1')).dueAt).toBe(later);
      } finally {
        await other.end();
      }
      await core.outbox.retryWaitingNow('back online');
      expect(Date.parse((await core.outbox.get('r-1')).dueAt!)).toBeLessThan(Date.parse(later));
    } finally {
      await core.close();
    }
  });

  it('is not taken for a crash\'s at start, even when its claim appears after the repair read the claims', async () => {
    const dir = tempDir();
    const first = await createCore({ dataDir: dir, autoRun: false });
    await first.close();
    const now = new Date().toISOString();
    const live: OutboxItem = { id: 'cli-1', accountId: 'sandbox', messageId: '<m@x>', subject: 's', from: 'f@x', sender: 'f@x', recipients: ['t@x'], state: 'sending', createdAt: now, updatedAt: now, attempts: 1, size: 3 };
    await fs.writeFile(join(dir, 'outbox', 'cli-1.eml'), 'eml');
    await fs.writeFile(join(dir, 'outbox', 'cli-1.json'), JSON.stringify(live));
    // The CLI claims it just after the start-up repair listed the claims (there were none yet).
    let other: { end(): Promise<void> } | undefined;
    const readdir = fs.readdir.bind(fs);
    const spy = vi.spyOn(fs, 'readdir').mockImplementation((async (path: string, ...rest: unknown[]) => {
      const names = await (readdir as (...a: unknown[]) => Promise<string[]>)(path, ...rest);
      if (String(path).endsWith(join('outbox', 'tmp')) && !other) other = await claimedElsewhere(dir, 'cli-1');
      return names;
    }) as typeof fs.readdir);
    try {
      const core = await createCore({ dataDir: dir, autoRun: false });
      spy.mockRestore();
      expect(other).toBeDefined();
      expect((await core.outbox.get('cli-1')).state).toBe('sending');
      await core.close();
    } finally {
      spy.mockRestore();
      await other?.end();
    }
  });
});

describe('recording the outcome', () => {
  it('a message the server accepted is never marked failed, even when recording the result fails', async () => {
    const dir = tempDir();
    const core = await createCore({ dataDir: dir });
    try {
      const store = (core.outbox as unknown as { deps: { store: { moveToSent: () => Promise<void> } } }).deps.store;
      store.moveToSent = async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      };
      const item = await core.outbox.enqueue({ accountId: 'sandbox', to: ['a@example.test'], cc: [], bcc: [], subject: 'disk full', text: 'x', attachments: [] });
      const settled = await core.outbox.settled(item.id);
      expect(settled.state).toBe('sending'); // not failed: the next start reports it outcome-unknown
      expect((await core.sandbox.list()).map((m) => m.subject)).toEqual(['disk full']); // it did arrive
    } finally {
      await core.close();
    }
    const restarted = await createCore({ dataDir: dir });
    expect((await restarted.outbox.list())[0]?.state).toBe('outcome-unknown');
    await restarted.close();
  });
});
