import { promises as fs } from 'node:fs';
import { readJsonFile } from './atomic-file';

/**
 * A JSON file read once and then only stat()ed until it changes: one system call per look instead
 * of four (open, fstat, read, close). A mail merge re-read accounts.json for every message it
 * queued and sent (bench/throughput.ts). Other processes (the CLI beside the app) may write the
 * file, so the cache is checked on every read, never trusted blindly.
 *
 * Why (inode, size, mtime) is enough: every writer here replaces the file by rename
 * (writeFileAtomic), so each version is a new inode. Two versions can share all three only if
 * they were written within one tick of the file system's clock and the newer one reused the
 * older's freed inode, which needs the older one gone first — so both were written after we
 * looked. A version whose mtime is not clearly in the past when we stat it ("racily clean", as
 * git calls it) is therefore not kept: the next read looks again.
 */
export class CachedJsonFile<T> {
  private cached: { key: string; value: T | undefined } | undefined;
  /**
   * The look in progress, which callers meanwhile share (a merge looked ~8 times a row, a stat
   * each). Never shared across a write of this process's own (`written`), which it must see.
   */
  private looking: { result: Promise<Readonly<T> | undefined>; generation: number } | undefined;
  private generation = 0;

  constructor(
    private readonly path: string,
    private readonly onCorrupt?: (movedTo: string, err: Error) => void,
    private readonly racyMs = 1000,
  ) {}

  /** The current content (undefined: no file, or a corrupt one moved aside), as a copy the caller may change. */
  async read(): Promise<T | undefined> {
    return structuredClone(await this.peek());
  }

  /** This process wrote the file: a look begun before does not answer for after. */
  written(): void {
    this.generation++;
  }

  /** The current content, shared with the cache: the caller must not change it. */
  peek(): Promise<Readonly<T> | undefined> {
    if (this.looking?.generation === this.generation) return this.looking.result;
    const entry = { result: this.look(), generation: this.generation };
    this.looking = entry;
    const done = () => {
      if (this.looking === entry) this.looking = undefined;
    };
    entry.result.then(done, done);
    return entry.result;
  }

  private async look(): Promise<Readonly<T> | undefined> {
    let key: string | undefined;
    let settled = false;
    try {
      // Stat before reading: if the file changes in between, the content is newer than the key, and the next look reads again.
      const s = await fs.stat(this.path, { bigint: true });
      key = `${s.ino}:${s.size}:${s.mtimeNs}`;
      settled = Number(s.mtimeMs) < Date.now() - this.racyMs;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (key !== undefined && this.cached?.key === key) return this.cached.value;
    const value = await readJsonFile<T>(this.path, this.onCorrupt);
    this.cached = key !== undefined && settled ? { key, value } : undefined;
    return value;
  }
}
