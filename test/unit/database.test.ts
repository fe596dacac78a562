import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase } from '../../electron/core/db/open-database';
import { MIGRATIONS, schemaVersion } from '../../electron/core/db/migrations';
import { MailwrightError } from '../../electron/core/errors';
import { isBusy, isDamaged } from '../../electron/core/db/sqlite-codes';
import { tempDir } from '../helpers/temp-dir';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const fixedNow = () => new Date('2026-12-07T10:00:00.000Z');

describe('the data directory’s database', () => {
  it('is made readable by its owner only, in WAL mode with a full fsync per commit (until a group commit takes its fsyncs over), at the latest schema step; opening it again changes nothing', () => {
    const dir = tempDir();
    const { db, movedAside } = openDatabase(dir);
    expect(movedAside).toBeUndefined();
    expect(statSync(join(dir, DATABASE_FILE)).mode & 0o777).toBe(0o600);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
    expect(db.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.prepare(`INSERT INTO outbox_history (item_id, at, action, to_state) VALUES ('a', 1, 'queued', 'held')`).run();
    db.close();
    const again = openDatabase(dir).db;
    expect(again.prepare('SELECT count(*) AS n FROM outbox_history').get()).toEqual({ n: 1 });
    again.close();
  });

  it('applies only the steps a database lacks, once', () => {
    const dir = tempDir();
    const steps = ['CREATE TABLE a (x INTEGER) STRICT;'];
    openDatabase(dir, steps).db.close();
    const more = [...steps, 'CREATE TABLE b (y INTEGER) STRICT; INSERT INTO b VALUES (1);'];
    const first = openDatabase(dir, more).db;
    const second = openDatabase(dir, more).db;
    expect(schemaVersion(second)).toBe(2);
    expect(second.prepare('SELECT count(*) AS n FROM b').get()).toEqual({ n: 1 });
    first.close();
    second.close();
  });

  it.each([
    ['not a database at all', (path: string) => writeFileSync(path, 'this is not SQLite '.repeat(500))],
    ['truncated to half its pages', (path: string) => truncateSync(path, Math.floor(statSync(path).size / 2 / 4096) * 4096)],
  ])('a damaged database (%s) is moved aside with its bytes and a new one is made; the app starts', (_what, damage) => {
    const dir = tempDir();
    const { db } = openDatabase(dir);
    const insert = db.prepare(`INSERT INTO outbox_history (item_id, at, action, to_state) VALUES (?, 1, 'queued', 'held')`);
    db.exec('BEGIN');
    for (let i = 0; i < 3000; i++) insert.run(`item-${i}-${'x'.repeat(80)}`);
    db.exec('COMMIT');
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    db.close();
    const path = join(dir, DATABASE_FILE);
    damage(path);
    const damaged = readFileSync(path);

    const reopened = openDatabase(dir, MIGRATIONS, fixedNow);
    expect(reopened.movedAside).toBe(join(dir, `${DATABASE_FILE}.damaged-2026-12-07T10-00-00-000Z`));
    expect(readFileSync(reopened.movedAside!)).toEqual(damaged);
    expect(reopened.db.prepare('SELECT count(*) AS n FROM outbox_history').get()).toEqual({ n: 0 });
    expect(schemaVersion(reopened.db)).toBe(MIGRATIONS.length);
    reopened.db.close();
  });

  it('a data directory where it cannot be made is STORAGE_FAILED, quoting the system’s words', () => {
    // A file where the folder should be: refused for root too, unlike permissions.
    const blocked = join(tempDir(), 'file');
    writeFileSync(blocked, '');
    let caught: unknown;
    try {
      openDatabase(join(blocked, 'data'));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MailwrightError);
    expect((caught as MailwrightError).info.code).toBe('STORAGE_FAILED');
    expect((caught as MailwrightError).info.text?.quote).toMatch(/ENOTDIR/);
  });

  it('says nothing on stderr when it loads SQLite (a CLI command’s output stays clean); other warnings still show', () => {
    const dir = tempDir();
    const script = `
      const { openDatabase } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../electron/core/db/open-database.ts')).href)});
      openDatabase(${JSON.stringify(dir)}).db.close();
      process.emitWarning('a warning of its own', 'ExperimentalWarning');
    `;
    const run = spawnSync(process.execPath, ['--import', TSX, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toMatch(/SQLite/);
    expect(run.stderr).toMatch(/ExperimentalWarning: a warning of its own/);
  });

  it('refuses a database a newer version has moved on, with what to do, and leaves it as it is', () => {
    const dir = tempDir();
    openDatabase(dir, ['CREATE TABLE a (x INTEGER) STRICT;', 'CREATE TABLE b (y INTEGER) STRICT;']).db.close();
    const before = readFileSync(join(dir, DATABASE_FILE));
    let caught: unknown;
    try {
      openDatabase(dir, ['CREATE TABLE a (x INTEGER) STRICT;']);
    } catch (err) {
      caught = err;
    }
    expect((caught as MailwrightError).info).toMatchObject({ code: 'STORAGE_FAILED', message: expect.stringMatching(/newer version of Mailwright \(database step 2; this version knows 1\)/), hint: expect.stringMatching(/--data-dir/) });
    expect(readFileSync(join(dir, DATABASE_FILE))).toEqual(before);
  });

  it('tells damage by SQLite’s primary code, extended codes included', () => {
    expect(isDamaged({ errcode: 11 })).toBe(true);
    expect(isDamaged({ errcode: 779 })).toBe(true); // SQLITE_CORRUPT_INDEX
    expect(isDamaged({ errcode: 26 })).toBe(true);
    expect(isDamaged({ errcode: 1555 })).toBe(false); // SQLITE_CONSTRAINT_PRIMARYKEY
    expect(isBusy({ errcode: 517 })).toBe(true); // SQLITE_BUSY_SNAPSHOT
  });
});
