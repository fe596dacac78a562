import * as realFs from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupCommit } from '../../electron/core/db/group-commit';
import { openDatabase } from '../../electron/core/db/open-database';
import { tempDir } from '../helpers/temp-dir';

// The log's fsyncs, held until the test lets each one finish (or fail).
const held: Array<{ fd: number; done: (err: NodeJS.ErrnoException | null) => void }> = [];
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const fdatasync = (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => held.push({ fd, done });
  return { ...fs, default: { ...fs, fdatasync }, fdatasync };
});

const STEPS = ['CREATE TABLE t (id INTEGER PRIMARY KEY) STRICT;'];

async function until(check: () => boolean) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(check()).toBe(true);
}

function setup() {
  const dir = tempDir();
  const { db } = openDatabase(dir, STEPS);
  const commits: number[] = [];
  const group = new GroupCommit(db, (writes) => commits.push(writes));
  const insert = (id: number) => group.write(() => db.prepare('INSERT INTO t (id) VALUES (?)').run(id).changes);
  const settled = new Set<number>();
  const track = (id: number) => insert(id).then(() => settled.add(id), (err: unknown) => settled.add(-id) && err);
  return { dir, db, group, commits, track, settled };
}

beforeEach(() => void held.splice(0));

/** How many of this process's open descriptors are on `path`. */
function descriptorsOn(path: string): number {
  const target = realFs.realpathSync(path);
  return realFs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return realFs.readlinkSync(`/proc/self/fd/${fd}`) === target;
    } catch {
      return false;
    }
  }).length;
}

describe('durable commits with the fsync off the event loop', () => {
  it('runs SQLite without its own fsync in COMMIT, and resolves no write before the fsync of the log that holds it', async () => {
    const { db, group, commits, track, settled } = setup();
    expect((db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous).toBe(1); // NORMAL
    void track(1);
    await until(() => held.length === 1);
    // Committed (another connection could read it) but not yet on disk: not reported.
    expect(commits).toEqual([1]);
    expect(realFs.fstatSync(held[0]!.fd).ino).toBe(realFs.statSync(`${db.location()}-wal`).ino);
    // Asked for while that fsync runs: they wait for it, then commit together.
    void track(2);
    void track(3);
    await new Promise((r) => setTimeout(r, 20));
    expect(commits).toEqual([1]);
    expect(settled.size).toBe(0);
    held.shift()!.done(null);
    await until(() => settled.has(1) && held.length === 1);
    expect(commits).toEqual([1, 2]);
    expect(settled.has(2)).toBe(false);
    held.shift()!.done(null);
    await until(() => settled.has(2) && settled.has(3));
    const closing = group.close();
    await until(() => held.length === 1);
    held.shift()!.done(null);
    await closing;
    db.close();
  });

  it('an fsync that fails refuses the writes it was to make durable, and every write after it: nothing more is committed', async () => {
    const { db, group, track, settled, commits } = setup();
    void track(1);
    void track(2);
    await until(() => held.length === 1);
    held.shift()!.done(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await until(() => settled.has(-1) && settled.has(-2));
    // The disk may have dropped what it said it kept, and a later fsync could succeed over the
    // gap: this connection writes nothing more.
    await expect(group.write(() => db.prepare('INSERT INTO t (id) VALUES (3)').run().changes)).rejects.toThrow(/EIO/);
    expect(commits).toEqual([2]);
    expect(db.prepare('SELECT count(*) AS n FROM t WHERE id = 3').get()).toEqual({ n: 0 });
    db.close();
  });

  it('closes only after the writes asked for before it, lets go of the log, and refuses writes after it', async () => {
    const { db, group, track, settled } = setup();
    void track(1);
    await until(() => held.length === 1);
    void track(2); // waits for the first fsync, then commits before the close is done
    // SQLite's own descriptor on the log, and this one's for its fsyncs.
    expect(descriptorsOn(`${db.location()}-wal`)).toBe(2);
    let done = false;
    const closed = group.close().then(() => (done = true));
    held.shift()!.done(null);
    // The second write and the close's barrier commit together after the first fsync, and share one.
    await until(() => held.length === 1);
    expect(done).toBe(false);
    held.shift()!.done(null);
    await closed;
    expect([...settled].sort()).toEqual([1, 2]);
    await expect(group.write(() => 1)).rejects.toThrow(/closed/);
    expect(descriptorsOn(`${db.location()}-wal`)).toBe(1);

    db.close();
  });
});
