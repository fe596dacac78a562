import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../electron/core/fs/atomic-file';
import { CachedJsonFile } from '../../electron/core/fs/cached-json-file';
import { tempDir } from '../helpers/temp-dir';

// The cache stands in for re-reading accounts.json on every message; it
// must never serve a version another process has replaced.
describe('CachedJsonFile', () => {
  // Every version gets the very same mtime: only the inode (or, for a recent file, the content) tells them apart.
  const settle = async (path: string) => {
    const past = new Date('2026-01-01T00:00:00Z');
    await fs.utimes(path, past, past); // written long enough ago to be trusted
  };

  it('reads a settled file once, then serves it until another writer replaces it', async () => {
    const path = join(tempDir(), 'accounts.json');
    await writeFileAtomic(path, JSON.stringify({ n: 1 }));
    await settle(path);
    const file = new CachedJsonFile<{ n: number }>(path);
    expect(await file.read()).toEqual({ n: 1 });
    const readFile = fs.readFile;
    let reads = 0;
    fs.readFile = ((...args: Parameters<typeof readFile>) => (reads++, readFile(...args))) as typeof readFile;
    try {
      expect(await file.read()).toEqual({ n: 1 });
      expect(reads).toBe(0); // a stat, not a read
      // Another process writes the same size, and its clock says the same second: still seen.
      await writeFileAtomic(path, JSON.stringify({ n: 2 }));
      await settle(path);
      expect(await file.read()).toEqual({ n: 2 });
      expect(reads).toBe(1);
    } finally {
      fs.readFile = readFile;
    }
  });

  it('does not trust a file written just now ("racily clean"): each read looks at its content', async () => {
    const path = join(tempDir(), 'recent.json');
    await writeFileAtomic(path, JSON.stringify({ n: 1 }));
    const file = new CachedJsonFile<{ n: number }>(path);
    const now = new Date();
    await fs.utimes(path, now, now);
    expect(await file.read()).toEqual({ n: 1 });
    // Rewritten in place (same inode, same size) within the same clock tick: only a read can tell.
    await fs.writeFile(path, JSON.stringify({ n: 3 }));
    await fs.utimes(path, now, now);
    expect(await file.read()).toEqual({ n: 3 });
  });

  it('read() gives a copy: changing it changes neither the cache nor the next reader', async () => {
    const path = join(tempDir(), 'a.json');
    await writeFileAtomic(path, JSON.stringify({ list: [1] }));
    await settle(path);
    const file = new CachedJsonFile<{ list: number[] }>(path);
    (await file.read())!.list.push(2);
    expect(await file.read()).toEqual({ list: [1] });
  });

  it('readers at the same moment share one look; a look begun before this process wrote does not answer for after', async () => {
    const path = join(tempDir(), 'shared.json');
    await writeFileAtomic(path, JSON.stringify({ n: 1 }));
    await settle(path);
    const file = new CachedJsonFile<{ n: number }>(path);
    const stat = fs.stat;
    let stats = 0;
    /** While set, a stat waits for it: a look held in progress. */
    let hold: Promise<void> | undefined;
    fs.stat = (async (...args: Parameters<typeof stat>) => {
      stats++;
      const waiting = hold;
      if (waiting) await waiting;
      return stat(...args);
    }) as typeof stat;
    try {
      expect(await Promise.all([file.read(), file.read(), file.read()])).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
      expect(stats).toBe(1);
      // A look held in progress, then this process writes: a reader after the write looks again and sees it.
      let release!: () => void;
      hold = new Promise((r) => (release = r));
      const before = file.read();
      hold = undefined;
      await writeFileAtomic(path, JSON.stringify({ n: 2 }));
      file.written();
      expect(await file.read()).toEqual({ n: 2 });
      expect(stats).toBe(3);
      release();
      await before;
    } finally {
      fs.stat = stat;
    }
  });

  it('a missing file reads as undefined, and is read once it appears', async () => {
    const path = join(tempDir(), 'later.json');
    const file = new CachedJsonFile<{ n: number }>(path);
    expect(await file.read()).toBeUndefined();
    await writeFileAtomic(path, JSON.stringify({ n: 1 }));
    expect(await file.read()).toEqual({ n: 1 });
  });
});
