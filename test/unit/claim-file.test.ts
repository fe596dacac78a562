import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claimTokenOf, takeClaim } from '../../electron/core/fs/claim-file';
import { tempDir } from '../helpers/temp-dir';

// Claims decide which process may send a message when the app and the CLI share an outbox. Two
// processes must never both win one, whether it is free or left behind by a dead process.

const RACER = fileURLToPath(new URL('../helpers/claim-racer.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

/** A pid that was alive a moment ago and is not any more. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

/** A live process other than this one, for as long as the test needs it. */
function otherProcess() {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  return { pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

async function race(dir: string, n: number): Promise<[number[], number[]]> {
  const goAt = Date.now() + 2000; // both started and waiting
  const run = () =>
    new Promise<number[]>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', TSX, RACER], { env: { ...process.env, DIR: dir, GO_AT: String(goAt), N: String(n) }, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`racer exited ${code}: ${out}`))));
    });
  return Promise.all([run(), run()]);
}

describe('claims raced for by two processes', () => {
  it.each([
    ['free claims', false],
    ['claims left by a dead process', true],
  ])('%s: each is won by exactly one', { timeout: 30_000 }, async (_what, stale) => {
    const dir = tempDir();
    const n = 600;
    if (stale) {
      const dead = claimTokenOf(await deadPid());
      for (let i = 0; i < n; i++) await fs.writeFile(join(dir, `id-${i}.claim`), dead);
    }
    const [a, b] = await race(dir, n);
    const both = a.filter((i) => b.includes(i));
    expect(both).toEqual([]);
    expect(a.length + b.length).toBe(n);
  });
});

describe('whose claim it is', () => {
  it('a live process keeps its claim; one whose pid now belongs to another program (a reboot, a reused pid) does not', async () => {
    const dir = tempDir();
    const other = otherProcess();
    try {
      await fs.writeFile(join(dir, 'live.claim'), claimTokenOf(other.pid));
      expect(await takeClaim(join(dir, 'live.claim'))).toBeUndefined();
      // Same pid, another start time: not the process that claimed it.
      const [pid, boot, start] = claimTokenOf(other.pid).split(' ');
      if (boot) {
        await fs.writeFile(join(dir, 'reused.claim'), `${pid} ${boot} ${Number(start) - 1}`);
        expect(await takeClaim(join(dir, 'reused.claim'))).toBeTypeOf('function');
        await fs.writeFile(join(dir, 'rebooted.claim'), `${pid} another-boot ${start}`);
        expect(await takeClaim(join(dir, 'rebooted.claim'))).toBeTypeOf('function');
      }
      // A claim written by earlier versions: a bare pid.
      await fs.writeFile(join(dir, 'bare.claim'), String(other.pid));
      expect(await takeClaim(join(dir, 'bare.claim'))).toBeUndefined();
    } finally {
      other.stop();
    }
  });

  it('this process cannot claim twice, lets go of its own claim only, and leaves no temp file', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.claim');
    const release = await takeClaim(path);
    expect(release).toBeTypeOf('function');
    expect(await takeClaim(path)).toBeUndefined();
    await release!();
    expect(await fs.readdir(dir)).toEqual([]);
    // Taken over meanwhile (it looked dead to someone): releasing must not remove the new owner's.
    const again = await takeClaim(path);
    const other = otherProcess();
    try {
      await fs.writeFile(path, claimTokenOf(other.pid));
      await again!();
      expect(await fs.readFile(path, 'utf8')).toBe(claimTokenOf(other.pid));
    } finally {
      other.stop();
    }
  });
});

describe('claims that must not block for good, or be taken too soon', () => {
  it('a takeover lock left by a process that died mid-takeover is cleared, and the claim then taken', async () => {
    const dir = tempDir();
    const dead = claimTokenOf(await deadPid());
    await fs.writeFile(join(dir, 'x.claim'), dead);
    await fs.writeFile(join(dir, 'x.claim.takeover'), dead);
    let release;
    for (let tries = 0; tries < 3 && !release; tries++) release = await takeClaim(join(dir, 'x.claim'));
    expect(release).toBeTypeOf('function');
    expect(await fs.readFile(join(dir, 'x.claim'), 'utf8')).toBe(claimTokenOf(process.pid));
  });

  it('an empty claim is being written (held) while young, abandoned when old; any claim from before this boot is stale', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.claim');
    await fs.writeFile(path, '');
    expect(await takeClaim(path)).toBeUndefined();
    const minuteAgo = new Date(Date.now() - 60_000);
    await fs.utimes(path, minuteAgo, minuteAgo);
    expect(await takeClaim(path)).toBeTypeOf('function');
    // A live pid, but the file is older than the machine's uptime: another process had that pid.
    const other = otherProcess();
    try {
      const beforeBoot = new Date(Date.now() - uptime() * 1000 - 3_600_000);
      await fs.writeFile(join(dir, 'old.claim'), String(other.pid));
      await fs.utimes(join(dir, 'old.claim'), beforeBoot, beforeBoot);
      expect(await takeClaim(join(dir, 'old.claim'))).toBeTypeOf('function');
    } finally {
      other.stop();
    }
  });
});

describe('a claim of this process that it no longer holds', () => {
  it('is stale: a release that could not remove its file does not block the message for good', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.claim');
    const release = await takeClaim(path);
    await release!();
    // What a failed removal (EMFILE) leaves behind: our own token, not held any more.
    await fs.writeFile(path, claimTokenOf(process.pid));
    expect(await takeClaim(path)).toBeTypeOf('function');
  });
});
