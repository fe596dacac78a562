import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * How durable a write must be when it resolves. `full`: the new content survives a power cut.
 * `file`: the content is on disk but the rename may not be yet — for a caller that syncs the folder
 * itself after more renames into it (one folder fsync for several).
 */
export type Durability = 'full' | 'file';

/**
 * Write a file so that a crash at any moment leaves either the old or the new content,
 * never a torn one: write a temp file beside it, fsync it, rename it over, fsync the folder.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, durability: Durability = 'full'): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.rm(tmp, { force: true }); // a full disk must not also leave litter behind
    throw err;
  }
  if (durability === 'full') await fsyncDir(dir);
}

/** Callers waiting for an fsync of a folder, and whether one is running (per folder). */
const dirSyncs = new Map<string, Array<{ resolve: () => void; reject: (err: unknown) => void }>>();

/**
 * Make a rename inside `dir` durable. Group commit: every caller gets an fsync of the folder that
 * started after it asked (so after its rename), but callers who ask while one runs share the next
 * one. A mail merge asked for a folder fsync per write, one after another in the thread pool
 * (bench/throughput.ts); what is durable when each caller's promise resolves is unchanged.
 */
export function fsyncDir(dir: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const waiting = dirSyncs.get(dir);
    if (waiting) return void waiting.push({ resolve, reject });
    const queue = [{ resolve, reject }];
    dirSyncs.set(dir, queue);
    void (async () => {
      while (queue.length) {
        const batch = queue.splice(0); // only those who asked before this fsync starts
        try {
          await syncDirNow(dir);
          for (const w of batch) w.resolve();
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
      dirSyncs.delete(dir);
    })();
  });
}

async function syncDirNow(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Read a JSON file. Missing → undefined. Unparseable → the file is moved aside as
 * `NAME.corrupt-TIMESTAMP` (kept for the user, never deleted) and `onCorrupt` is told.
 */
export async function readJsonFile<T>(path: string, onCorrupt?: (movedTo: string, err: Error) => void): Promise<T | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    const movedTo = `${path}.corrupt-${Date.now()}`;
    await fs.rename(path, movedTo);
    onCorrupt?.(movedTo, err as Error);
    return undefined;
  }
}

/**
 * Remove what crashed writers left in `dir`: the `.NAME.HEX.tmp` files of writeFileAtomic. Only
 * files older than `olderThanMs`: a younger one may belong to another live process writing now.
 */
export async function removeStaleTemps(dir: string, now: number, olderThanMs: number): Promise<void> {
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!/^\..+\.[0-9a-f]{12}\.tmp$/.test(name)) continue;
    const path = join(dir, name);
    const stat = await fs.stat(path).catch(() => undefined);
    if (stat?.isFile() && now - stat.mtimeMs > olderThanMs) await fs.rm(path, { force: true });
  }
}
