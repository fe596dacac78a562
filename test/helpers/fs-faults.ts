import fs, { promises as fsp } from 'node:fs';
import { resolve, sep } from 'node:path';
import { vi } from 'vitest';
import type { Database } from '../../electron/core/db/database';

/**
 * Storage faults injected into this process's `node:fs`, for paths under one directory only:
 * - `ENOSPC` (a full disk): files can still be created, but writing bytes into them fails, and so
 *   does making a new directory; renames and removals still work (they free or reuse space).
 * - `EROFS` (a read-only file system, simulated because root ignores permissions): nothing
 *   under the directory can be created, written, renamed or removed; reading works.
 * Both the promise API and the callback API that write streams use are covered, so the outbox's
 * atomic writes and its message builder meet the same failure a real disk would give them.
 * Everything is restored by the returned function (and by vi.restoreAllMocks()).
 */
export function injectWriteFaults(root: string, code: 'ENOSPC' | 'EROFS'): { restore(): void; hits: () => number; database(database: Database): void } {
  const base = resolve(root);
  const inside = (p: unknown) => {
    if (typeof p !== 'string' && !(p instanceof URL)) return false;
    const abs = resolve(p instanceof URL ? p.pathname : p);
    return abs === base || abs.startsWith(base + sep);
  };
  let hits = 0;
  const fault = (syscall: string, path?: unknown) => {
    hits++;
    return Object.assign(new Error(`${code}: ${code === 'ENOSPC' ? 'no space left on device' : 'read-only file system'}, ${syscall}${path ? ` '${String(path)}'` : ''}`), { code, syscall, errno: code === 'ENOSPC' ? -28 : -30, path });
  };
  const writing = (flags: unknown) => typeof flags === 'string' && /[wax+]/.test(flags);
  const badFds = new Set<number>();
  const spies: Array<{ mockRestore(): void }> = [];

  const realOpen = fsp.open.bind(fsp);
  spies.push(
    vi.spyOn(fsp, 'open').mockImplementation(async (path, flags, mode) => {
      if (!inside(path) || !writing(flags)) return realOpen(path, flags, mode);
      if (code === 'EROFS') throw fault('open', path);
      const handle = await realOpen(path, flags, mode);
      const failWrite = async () => {
        throw fault('write', path);
      };
      return Object.assign(handle, { writeFile: failWrite, write: failWrite, appendFile: failWrite, writev: failWrite });
    }),
  );
  const realWriteFile = fsp.writeFile.bind(fsp);
  spies.push(
    vi.spyOn(fsp, 'writeFile').mockImplementation(async (path, data, options) => {
      if (inside(path)) throw fault('write', path);
      return realWriteFile(path, data, options);
    }),
  );
  const realMkdir = fsp.mkdir.bind(fsp);
  spies.push(
    vi.spyOn(fsp, 'mkdir').mockImplementation((async (path: fs.PathLike, options?: fs.MakeDirectoryOptions) => {
      // An existing directory is fine on any file system; only making a new one fails.
      if (inside(path) && !fs.statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw fault('mkdir', path);
      return realMkdir(path, options);
    }) as typeof fsp.mkdir),
  );
  if (code === 'EROFS') {
    for (const name of ['rename', 'rm', 'unlink', 'copyFile'] as const) {
      const real = (fsp[name] as (...a: unknown[]) => Promise<unknown>).bind(fsp);
      spies.push(
        vi.spyOn(fsp, name).mockImplementation((async (...args: unknown[]) => {
          if (args.slice(0, 2).some(inside)) throw fault(name, args[0]);
          return real(...args);
        }) as never),
      );
    }
  }
  // The callback API, as fs.createWriteStream uses it.
  const realCbOpen = fs.open;
  spies.push(
    vi.spyOn(fs, 'open').mockImplementation(((path: fs.PathLike, flags: unknown, mode: unknown, cb?: unknown) => {
      const callback = (typeof cb === 'function' ? cb : typeof mode === 'function' ? mode : flags) as (err: Error | null, fd?: number) => void;
      if (!inside(path) || !writing(flags)) return (realCbOpen as (...a: unknown[]) => void)(path, flags, mode, cb);
      if (code === 'EROFS') return process.nextTick(() => callback(fault('open', path)));
      (realCbOpen as (...a: unknown[]) => void)(path, flags, typeof mode === 'function' ? undefined : mode, (err: Error | null, fd?: number) => {
        if (!err && fd !== undefined) badFds.add(fd);
        callback(err, fd);
      });
    }) as typeof fs.open),
  );
  for (const name of ['write', 'writev'] as const) {
    const real = fs[name] as (...a: unknown[]) => void;
    spies.push(
      vi.spyOn(fs, name).mockImplementation(((fd: number, ...rest: unknown[]) => {
        const callback = rest.at(-1) as (err: Error) => void;
        if (badFds.has(fd)) return process.nextTick(() => callback(fault(name)));
        real(fd, ...rest);
      }) as never),
    );
  }
  const realClose = fs.close;
  spies.push(
    vi.spyOn(fs, 'close').mockImplementation(((fd: number, cb?: (err: NodeJS.ErrnoException | null) => void) => {
      badFds.delete(fd);
      realClose(fd, cb);
    }) as typeof fs.close),
  );
  const databases: Database[] = [];
  return {
    restore: () => {
      spies.splice(0).forEach((s) => s.mockRestore());
      for (const database of databases.splice(0)) database.db.exec('PRAGMA query_only = OFF');
    },
    hits: () => hits,
    /**
     * The same disk under a core's database: SQLite writes through its own C code, which the spies
     * above do not see, so the connection is made to refuse every write, as the disk would
     * (SQLITE_READONLY; a full disk says SQLITE_FULL, and the app takes both as STORAGE_FAILED).
     */
    database(database: Database) {
      database.db.exec('PRAGMA query_only = ON');
      databases.push(database);
    },
  };
}
