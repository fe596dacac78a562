import { promises as fs, readFileSync } from 'node:fs';

/** Lock files held by this process (a test or a CLI may build several cores in one process). */
const heldHere = new Set<string>();

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

/**
 * An advisory lock on the data directory, held by the process that owns start-up repair. The
 * desktop app, `mailwright serve` and the CLI share one data directory and may run at once; only
 * the holder may treat leftovers (half-built files, items mid-send) as a crash's, because for
 * anyone else they may be another live process's work. A lock left by a dead process is taken over.
 */
export class ProcessLock {
  private held = false;

  constructor(private readonly path: string) {}

  async acquire(): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await fs.writeFile(this.path, String(process.pid), { flag: 'wx', mode: 0o600 });
        this.held = true;
        heldHere.add(this.path);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = Number(await fs.readFile(this.path, 'utf8').catch(() => ''));
        if (owner === process.pid ? heldHere.has(this.path) : owner && alive(owner)) return false;
        await fs.rm(this.path, { force: true }); // stale: its process is gone (or was an earlier process with our pid)
      }
    }
    return false;
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    heldHere.delete(this.path);
    await fs.rm(this.path, { force: true });
  }
}
