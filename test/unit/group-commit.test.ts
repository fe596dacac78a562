import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../electron/core/db/group-commit';
import { openDatabase } from '../../electron/core/db/open-database';
import { tempDir } from '../helpers/temp-dir';

const STEPS = ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT;'];

function setup(beforeCommit?: (writes: number) => void) {
  const { db } = openDatabase(tempDir(), STEPS);
  const commits: number[] = [];
  const group = new GroupCommit(db, (writes) => {
    commits.push(writes);
    beforeCommit?.(writes);
  });
  const insert = (id: number, v: string) => group.write(() => Number(db.prepare('INSERT INTO t (id, v) VALUES (?, ?)').run(id, v).lastInsertRowid));
  const count = () => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
  return { db, group, commits, insert, count };
}

describe('group commit', () => {
  it('writes asked for together share one commit, and each gets its own result', async () => {
    const { db, commits, insert, count } = setup();
    const ids = await Promise.all(Array.from({ length: 16 }, (_, i) => insert(i + 1, `v${i}`)));
    expect(ids).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(commits).toEqual([16]);
    expect(count()).toBe(16);
    // Asked for after the first batch committed: a commit of its own.
    await insert(100, 'later');
    expect(commits).toEqual([16, 1]);
    db.close();
  });

  it('a write that fails is undone and refused alone; the others of its batch commit', async () => {
    const { db, insert, count } = setup();
    const results = await Promise.allSettled([insert(1, 'a'), insert(1, 'duplicate id'), insert(2, 'b')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(count()).toBe(2);
    expect(db.prepare('SELECT v FROM t WHERE id = 1').get()).toEqual({ v: 'a' });
    db.close();
  });

  it('a commit that fails refuses every write of its batch and keeps none of them', async () => {
    let fail = true;
    const { db, insert, count } = setup(() => {
      if (fail) throw new Error('disk full');
    });
    const results = await Promise.allSettled([insert(1, 'a'), insert(2, 'b')]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(count()).toBe(0);
    fail = false;
    await insert(3, 'c');
    expect(count()).toBe(1);
    db.close();
  });

  it('refuses asynchronous work and undoes what it did before its first await', async () => {
    const { db, group, insert, count } = setup();
    const asyncWrite = group.write(
      // @ts-expect-error a write must be synchronous SQL
      async () => {
        db.prepare('INSERT INTO t (id, v) VALUES (1, ?)').run('before the await');
        await Promise.resolve();
      },
    );
    await expect(asyncWrite).rejects.toThrow(/must be synchronous/);
    await insert(2, 'after');
    expect(db.prepare('SELECT id FROM t').all()).toEqual([{ id: 2 }]);
    expect(count()).toBe(1);
    db.close();
  });

  it('while another connection holds the write lock, waits on a timer (the event loop runs) and commits once it is free', async () => {
    const dir = tempDir();
    const { db } = openDatabase(dir, STEPS);
    const other = openDatabase(dir, STEPS).db;
    other.exec('BEGIN IMMEDIATE');
    const group = new GroupCommit(db);
    const write = group.write(() => db.prepare('INSERT INTO t (id, v) VALUES (1, ?)').run('waited').changes);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    await new Promise((r) => setTimeout(r, 1_500)); // longer than one busy wait inside SQLite (1 s)
    clearInterval(ticker);
    other.exec('COMMIT');
    expect(await write).toBe(1);
    expect(ticks).toBeGreaterThan(10);
    other.close();
    db.close();
  });
});
