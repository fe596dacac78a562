import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/open-database';
import { OutboxRepository } from '../../electron/core/outbox/outbox-repository';
import { tempDir } from '../helpers/temp-dir';

const WORKER = fileURLToPath(new URL('../helpers/db-worker.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

/** A worker process; `stopAfter`: SIGKILL once it has printed that many lines. */
function worker(env: Record<string, string>, stopAfter?: number) {
  const child = spawn(process.execPath, ['--import', TSX, WORKER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000); // a worker that hangs fails the test, not the run
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (stopAfter !== undefined && out.split('\n').length > stopAfter) child.kill('SIGKILL');
  });
  return new Promise<{ out: string; signal: NodeJS.Signals | null; code: number | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ out, signal, code });
    }),
  );
}

/** Start `n` workers that say when they are ready, then tell them all to go at once. */
async function together(n: number, env: Record<string, string>) {
  const runs = Array.from({ length: n }, () => worker(env));
  for (let waited = 0; readdirSync(env.DIR!).filter((f) => f.startsWith('ready-')).length < n; waited++) {
    if (waited > 3000) throw new Error('the workers never got ready');
    await new Promise((r) => setTimeout(r, 10));
  }
  writeFileSync(join(env.DIR!, 'go'), '');
  return Promise.all(runs);
}

const stored = (dir: string) => {
  const { db } = openDatabase(dir);
  const check = db.prepare('PRAGMA integrity_check').all();
  const ids = new Set((db.prepare('SELECT id, item FROM outbox_items').all() as Array<{ id: string; item: string }>).map((r) => (JSON.parse(r.item) as { id: string }).id));
  db.close();
  return { check, ids };
};

describe('processes sharing one outbox database', () => {
  it('two processes taking due mail at the same moment take each message exactly once between them', async () => {
    const dir = tempDir();
    const { db } = openDatabase(dir);
    const repo = new OutboxRepository(db);
    const now = new Date(Date.now() - 1000).toISOString();
    db.exec('BEGIN');
    for (let i = 0; i < 400; i++) repo.insert({ id: `m${i}`, accountId: 'acc', messageId: `<m${i}@x>`, subject: '', from: 'a@x', sender: 'a@x', recipients: ['b@x'], state: 'scheduled', dueAt: now, createdAt: now, updatedAt: now, attempts: 0, size: 1 });
    db.exec('COMMIT');
    db.close();
    const [a, b] = await together(2, { DIR: dir, MODE: 'claim' });
    expect([a!.code, b!.code]).toEqual([0, 0]);
    const [wonA, wonB] = [JSON.parse(a!.out) as string[], JSON.parse(b!.out) as string[]];
    // Both took part (they started together and each yields between batches), and none was taken twice.
    expect(wonA.length).toBeGreaterThan(0);
    expect(wonB.length).toBeGreaterThan(0);
    expect(wonA.filter((id) => wonB.includes(id))).toEqual([]);
    expect(new Set([...wonA, ...wonB]).size).toBe(400);
    const after = openDatabase(dir).db;
    expect(after.prepare(`SELECT count(*) AS n FROM outbox_items WHERE state = 'sending'`).get()).toEqual({ n: 400 });
    after.close();
  }, 90_000);

  it('three processes opening a new data directory at the same moment make one database at the latest step', async () => {
    const dir = tempDir();
    const runs = await together(3, { DIR: dir, MODE: 'open' });
    expect(runs.map((r) => [r.code, r.out])).toEqual(Array(3).fill([0, String(MIGRATIONS.length)]));
    const { check } = stored(dir);
    expect(check).toEqual([{ integrity_check: 'ok' }]);
  }, 90_000);

  it('SIGKILL while writing: every write reported done survives, whole, and the database passes its integrity check', async () => {
    const dir = tempDir();
    openDatabase(dir).db.close();
    const run = await worker({ DIR: dir, MODE: 'commit' }, 800);
    expect(run.signal).toBe('SIGKILL');
    const reported = run.out.split('\n').filter(Boolean);
    expect(reported.length).toBeGreaterThanOrEqual(800);
    const { check, ids } = stored(dir);
    expect(check).toEqual([{ integrity_check: 'ok' }]);
    expect(reported.filter((id) => !ids.has(id))).toEqual([]);
  }, 90_000);

  it('SIGKILL inside a group commit, before COMMIT: that batch is wholly absent, the batches before it wholly there', async () => {
    const dir = tempDir();
    openDatabase(dir).db.close();
    const run = await worker({ DIR: dir, MODE: 'die-in-commit' });
    expect(run.signal).toBe('SIGKILL');
    const reported = run.out.split('\n').filter(Boolean);
    expect(reported.length).toBe(32); // two batches of 16
    const { check, ids } = stored(dir);
    expect(check).toEqual([{ integrity_check: 'ok' }]);
    expect([...ids].sort()).toEqual([...reported].sort());
  }, 90_000);
});
