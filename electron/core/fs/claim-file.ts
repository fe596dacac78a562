import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import { uptime } from 'node:os';
import { basename, dirname, join } from 'node:path';

// Claim files: which process may work on a message, across the processes that share a data
// directory (the app, `mailwright serve`, the CLI). Two rules make a claim safe to race for:
// - it appears whole or not at all: written to a temp file, then hard-linked to its name (link
//   fails if the name exists), so nobody reads a claim with no owner in it yet and takes it over;
// - a claim whose process is gone is removed only under a short lock of its own, and only if it
//   is still that claim, so two processes taking over one stale claim cannot remove each other's
//   new one. (Both were races found in review: with `wx` + write, then `rm` + create, two
//   processes both won some claims, so both could send one message.)
// A claim names its process by pid and, on Linux, the boot and the process's start time: after a
// reboot, a pid in a leftover claim may belong to another program, which kept the message pinned.

/** Whether a process with this pid is alive on this machine (a zombie, killed but not yet reaped, is not). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The boot and start time of a process (Linux), so that a reused pid is not taken for it. */
function identity(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command's closing parenthesis begin at field 3; starttime is field 22.
    const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return startTime ? `${boot} ${startTime}` : undefined;
  } catch {
    return undefined;
  }
}

/** What a claim made by the process `pid` holds. */
export function claimTokenOf(pid: number): string {
  const id = identity(pid);
  return id ? `${pid} ${id}` : String(pid);
}

/** This process, as its claims name it. */
const OWN = claimTokenOf(process.pid);
/** The claims this process holds now (several cores may run in one process: a test, the CLI). */
const heldHere = new Set<string>();

/**
 * Whether the process a claim names still runs: its pid is alive and, where the claim says, it
 * is the same process. A live pid whose identity cannot be read here (another user's process,
 * hidden /proc) counts as the claimant: taking a live claim would mean sending twice.
 */
function claimantAlive(token: string): boolean {
  const [pidText, ...rest] = token.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return false;
  if (rest.length === 0) return true;
  const now = identity(pid);
  return now === undefined || now === rest.join(' ');
}

/** A claim being written by the no-hard-link fallback is empty for a moment: so young, it is held. */
const WRITING_MS = 10_000;

/** Whether the claim at `path`, holding `token`, still binds: its process runs, and it was made since the machine started. */
export async function claimBinds(path: string, token: string): Promise<boolean> {
  const stat = await fs.stat(path).catch(() => undefined);
  if (!stat) return false;
  // Ours: binding while we hold it; a leftover of a release that failed (EMFILE) otherwise, which
  // this process would have refused its own message for, for the rest of its life (found in review).
  if (token.trim() === OWN) return heldHere.has(path);
  // From before this boot (a pid means nothing across one; off Linux the token has no boot id).
  if (stat.mtimeMs < Date.now() - uptime() * 1000 - 60_000) return false;
  if (!token.trim()) return Date.now() - stat.mtimeMs < WRITING_MS;
  return claimantAlive(token);
}

/** Create `path` holding `content`, whole, unless it exists (false then). */
async function createWhole(path: string, content: string): Promise<boolean> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`); // removeStaleTemps' pattern
  await fs.writeFile(temp, content, { mode: 0o600 });
  try {
    await fs.link(temp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: exclusive create, then written (empty for a moment, which
    // claimBinds() treats as held while young).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      const made = await fs.open(path, 'wx', 0o600).catch((e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? undefined : Promise.reject(e)));
      if (!made) return false;
      try {
        await made.writeFile(content);
        return true;
      } finally {
        await made.close();
      }
    }
    throw err;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

const read = (path: string) => fs.readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));

/**
 * Remove the claim at `path` if it still holds `stale` (its process is gone). False when another
 * process is taking it over at this moment: the caller leaves it to that one.
 */
export async function removeStaleClaim(path: string, stale: string): Promise<boolean> {
  const lock = `${path}.takeover`;
  if (!(await createWhole(lock, OWN))) {
    // A taker that died within the few steps below would block the claim for good: its lock is
    // removed the same careful way (by name alone, two removers could take a new taker's lock).
    const taker = await read(lock);
    if (taker !== undefined && !(await claimBinds(lock, taker))) await removeStaleClaim(lock, taker);
    return false;
  }
  heldHere.add(lock); // ours while we hold it (see claimBinds)
  try {
    if ((await read(path)) === stale) await fs.rm(path, { force: true });
    return true;
  } finally {
    heldHere.delete(lock);
    await fs.rm(lock, { force: true });
  }
}

/** Take the claim at `path`: a release function, or undefined while another live process holds it. */
export async function takeClaim(path: string): Promise<(() => Promise<void>) | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createWhole(path, OWN)) {
      heldHere.add(path);
      return () => releaseClaim(path);
    }
    const holder = await read(path);
    if (holder === undefined) continue; // let go of meanwhile
    if (await claimBinds(path, holder)) return undefined;
    if (!(await removeStaleClaim(path, holder))) return undefined;
  }
  return undefined;
}

/** Let go of a claim of this process (never one that is not ours any more; a file left by a failed removal no longer binds). */
async function releaseClaim(path: string): Promise<void> {
  heldHere.delete(path);
  if ((await read(path)) === OWN) await fs.rm(path, { force: true });
}

/** Whether the claim at `path` binds a live process (no claim, or a stale one: false). */
export async function claimHeld(path: string): Promise<boolean> {
  const holder = await read(path).catch(() => undefined);
  return holder !== undefined && (await claimBinds(path, holder));
}
