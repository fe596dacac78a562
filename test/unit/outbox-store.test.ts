import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../shared/model/outbox';
import { OutboxStore } from '../../electron/core/outbox/outbox-store';
import { tempDir } from '../helpers/temp-dir';

const item = (store: OutboxStore, state: OutboxItem['state'] = 'scheduled'): OutboxItem => {
  const now = new Date();
  return { id: store.newId(now), accountId: 'a', messageId: '<m@x>', subject: 's', from: 'f@x', sender: 'f@x', recipients: ['t@x'], state, createdAt: now.toISOString(), updatedAt: now.toISOString(), attempts: 0, size: 3 };
};

async function committed(store: OutboxStore, state: OutboxItem['state']) {
  const it = item(store, state);
  await fs.writeFile(store.tmpPath(it.id), 'eml');
  await store.commit(it);
  return it;
}

describe('OutboxStore', () => {
  it('a message exists only once its sidecar is committed', async () => {
    const store = new OutboxStore(tempDir());
    await store.init();
    const half = item(store);
    await fs.writeFile(store.tmpPath(half.id), 'half-built');
    expect(await store.list()).toEqual([]);
    const full = await committed(store, 'scheduled');
    expect((await store.list()).map((i) => i.id)).toEqual([full.id]);
  });

  it('moves sent messages to sent/ with their final state', async () => {
    const store = new OutboxStore(tempDir());
    await store.init();
    const it = await committed(store, 'sending');
    await store.moveToSent({ ...it, state: 'sent', response: '250 ok' });
    expect(await fs.readFile(join(store.sentDir, `${it.id}.eml`), 'utf8')).toBe('eml');
    expect(await store.get(it.id)).toMatchObject({ state: 'sent', response: '250 ok' });
    expect(await fs.readdir(store.outboxDir)).toEqual(['tmp']);
  });

  it('recover() drops half-built files, finishes interrupted moves and reports what was mid-send', async () => {
    const dir = tempDir();
    const store = new OutboxStore(dir);
    await store.init();
    await fs.writeFile(store.tmpPath('stale'), 'x'); // crashed while building
    await fs.writeFile(join(store.outboxDir, 'orphan.eml'), 'x'); // crashed between rename and sidecar
    const mid = await committed(store, 'sending');
    const done = await committed(store, 'sent');
    // crashed after the .eml moved but before the sidecar did
    await fs.rename(join(store.outboxDir, `${done.id}.eml`), join(store.sentDir, `${done.id}.eml`));

    const { interrupted } = await new OutboxStore(dir).recover();
    expect(interrupted.map((i) => i.id)).toEqual([mid.id]);
    expect(await fs.readdir(store.tmpDir)).toEqual([]);
    expect((await fs.readdir(store.outboxDir)).sort()).toEqual([`${mid.id}.eml`, `${mid.id}.json`, 'tmp'].sort());
    expect((await fs.readdir(store.sentDir)).sort()).toEqual([`${done.id}.eml`, `${done.id}.json`]);
  });

  it('a move to sent/ cut short after its final state was written there: sent/ is the truth, and recover() finishes the move', async () => {
    const dir = tempDir();
    const store = new OutboxStore(dir);
    await store.init();
    const it = await committed(store, 'sending');
    // What moveToSent() writes first; the crash came before the .eml followed and the old sidecar went.
    await fs.writeFile(join(store.sentDir, `${it.id}.json`), JSON.stringify({ ...it, state: 'sent', response: '250 ok' }));
    expect(await store.get(it.id)).toMatchObject({ state: 'sent', response: '250 ok' }); // not the stale "sending"
    expect((await store.list()).map((i) => [i.id, i.state])).toEqual([[it.id, 'sent']]); // listed once

    const { interrupted } = await new OutboxStore(dir).recover();
    expect(interrupted).toEqual([]); // never reported as mid-send: the server's 250 was recorded
    expect(await fs.readdir(store.outboxDir)).toEqual(['tmp']);
    expect((await fs.readdir(store.sentDir)).filter((n) => !n.startsWith('.')).sort()).toEqual([`${it.id}.eml`, `${it.id}.json`]); // .index.jsonl: list()'s cache
    expect(await fs.readFile(join(store.sentDir, `${it.id}.eml`), 'utf8')).toBe('eml');
    expect(await store.get(it.id)).toMatchObject({ state: 'sent' });
  });

  it('recover() leaves another live process\'s work alone: its claimed send, its message being built, its young temp files', async () => {
    const dir = tempDir();
    const store = new OutboxStore(dir);
    await store.init();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const sending = await committed(store, 'sending');
      await fs.writeFile(join(store.outboxDir, `${sending.id}.claim`), String(other.pid));
      const building = item(store);
      await fs.writeFile(join(store.outboxDir, `${building.id}.claim`), String(other.pid));
      await fs.writeFile(store.tmpPath(building.id), 'half'); // being built by the other process
      const young = join(store.outboxDir, `.${sending.id}.json.0123456789ab.tmp`);
      const old = join(store.sentDir, '.x.json.ba9876543210.tmp');
      await fs.writeFile(young, '{');
      await fs.writeFile(old, '{');
      const longAgo = new Date(Date.now() - 3600_000);
      await fs.utimes(old, longAgo, longAgo);

      const { interrupted } = await new OutboxStore(dir).recover();
      expect(interrupted).toEqual([]);
      expect(await fs.readdir(store.tmpDir)).toEqual([`${building.id}.eml`]);
      expect(await fs.readdir(store.outboxDir)).toEqual(expect.arrayContaining([`${sending.id}.claim`, `${building.id}.claim`, `.${sending.id}.json.0123456789ab.tmp`]));
      expect(await fs.readdir(store.sentDir)).toEqual([]);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
