import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../shared/model/outbox';
import { createCore } from '../../electron/core/core';
import { tempDir } from '../helpers/temp-dir';

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
    expect(await fs.readFile(join(dir, 'mailwright.lock'), 'utf8')).toBe(String(process.pid));
    await core.close();
    await expect(fs.stat(join(dir, 'mailwright.lock'))).rejects.toThrow();
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
