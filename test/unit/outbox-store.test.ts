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

// Found in review: what an unreadable file (EMFILE, EIO) or a second process starting its work
// must never make the store do.
describe('OutboxStore when reading fails or another process starts meanwhile', () => {
  /** Make fs.promises[method] fail with `code` for paths `when` picks, until restored. */
  function failing<K extends 'readdir' | 'readFile'>(method: K, when: (path: string) => boolean, code: string) {
    const original = fs[method];
    (fs as unknown as Record<string, unknown>)[method] = (path: unknown, ...rest: unknown[]) =>
      when(String(path)) ? Promise.reject(Object.assign(new Error(`${code}: injected`), { code })) : (original as (...a: unknown[]) => unknown)(path, ...rest);
    return () => void ((fs as unknown as Record<string, unknown>)[method] = original);
  }

  it('a start with nothing to repair reads each waiting sidecar once: recover() leaves its listing for the looks that follow', async () => {
    const dir = tempDir();
    const before = new OutboxStore(dir);
    await before.init();
    const waiting = await committed(before, 'scheduled');
    const past = new Date('2026-01-01T00:00:00Z');
    await fs.utimes(before.outboxDir, past, past); // a settled folder, as the cache wants

    const store = new OutboxStore(dir); // a new start
    await store.recover();
    // Rewritten in place (no rename, so the folder does not change): a look that read the file again would see it.
    await fs.writeFile(join(store.outboxDir, `${waiting.id}.json`), JSON.stringify({ ...waiting, subject: 'read again' }));
    expect((await store.listQueued()).map((i) => i.subject)).toEqual(['s']);
    // A change the folder shows (a new message) is seen, and so is everything read afresh.
    const other = await committed(store, 'scheduled');
    expect((await store.listQueued()).map((i) => [i.id, i.subject]).sort()).toEqual([[other.id, 's'], [waiting.id, 'read again']].sort());
  });

  it('a listing that hit EMFILE is not remembered: the next look sees the messages', async () => {
    const store = new OutboxStore(tempDir());
    await store.init();
    const waiting = await committed(store, 'scheduled');
    const past = new Date('2026-01-01T00:00:00Z');
    await fs.utimes(store.outboxDir, past, past); // a settled folder, as the cache wants
    const restore = failing('readdir', (p) => p === store.outboxDir, 'EMFILE');
    try {
      expect(await store.listQueued()).toEqual([]);
    } finally {
      restore();
    }
    expect((await store.listQueued()).map((i) => i.id)).toEqual([waiting.id]);
    expect((await store.list()).map((i) => i.id)).toEqual([waiting.id]);
  });

  it('recover() never deletes a message whose sidecar is there but cannot be read', async () => {
    const dir = tempDir();
    const store = new OutboxStore(dir);
    await store.init();
    const it = await committed(store, 'scheduled');
    const restore = failing('readFile', (p) => p.endsWith(`${it.id}.json`), 'EIO');
    try {
      await new OutboxStore(dir).recover();
    } finally {
      restore();
    }
    expect((await fs.readdir(store.outboxDir)).sort()).toEqual([`${it.id}.eml`, `${it.id}.json`, 'tmp']);
  });

  it('recover() leaves alone a message another process starts building while it runs', async () => {
    const dir = tempDir();
    const store = new OutboxStore(dir);
    await store.init();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const late = item(store);
      await fs.writeFile(store.tmpPath(late.id), 'half');
      // The other process claims just after recover() read the claims (when it lists outbox/tmp/).
      const readdir = fs.readdir;
      (fs as unknown as Record<string, unknown>).readdir = async (path: string, ...rest: unknown[]) => {
        if (path === store.tmpDir) await fs.writeFile(join(store.outboxDir, `${late.id}.claim`), String(other.pid));
        return (readdir as (...a: unknown[]) => unknown)(path, ...rest);
      };
      try {
        await new OutboxStore(dir).recover();
      } finally {
        (fs as unknown as Record<string, unknown>).readdir = readdir;
      }
      expect(await fs.readdir(store.tmpDir)).toEqual([`${late.id}.eml`]);
    } finally {
      other.kill();
    }
  });

  it('an .eml that reached sent/ without its sidecar goes back beside the state that tells the truth', async () => {
    const dir = tempDir();
    const store = new OutboxStore(dir);
    await store.init();
    const it = await committed(store, 'sending');
    // A power cut kept the .eml's rename but not the sent/ sidecar's.
    await fs.rename(join(store.outboxDir, `${it.id}.eml`), join(store.sentDir, `${it.id}.eml`));
    const { interrupted } = await new OutboxStore(dir).recover();
    expect(interrupted.map((i) => i.id)).toEqual([it.id]); // outcome unknown, for the user to settle
    expect((await fs.readdir(store.outboxDir)).sort()).toEqual([`${it.id}.eml`, `${it.id}.json`, 'tmp']);
    expect(await fs.readdir(store.sentDir)).toEqual([]);
  });

  it('get() of an outcome-unknown message that was marked sent, the move cut short: sent', async () => {
    const store = new OutboxStore(tempDir());
    await store.init();
    const it = await committed(store, 'outcome-unknown');
    await fs.writeFile(join(store.sentDir, `${it.id}.json`), JSON.stringify({ ...it, state: 'sent' }));
    expect(await store.get(it.id)).toMatchObject({ state: 'sent' }); // so a resend is refused
  });
});
