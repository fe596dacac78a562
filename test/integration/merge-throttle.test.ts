import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { openDatabase } from '../../electron/core/db/open-database';
import { mergeInput } from '../../shared/model/merge-schema';
import { cli } from '../helpers/cli';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

// A merge against a server that says "not now" (451) after a few messages: the merge slows down
// instead of failing rows, and every row still arrives once. And a --rate holds between rows.

const servers: TestSmtpServer[] = [];
const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(rows: number, server: Parameters<typeof startTestSmtp>[0]) {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const s = await startTestSmtp(server);
  servers.push(s);
  const added = await cli(['--data-dir', dataDir, '--json', 'account', 'add', 'Shop', '--email', 'shop@example.test', '--host', '127.0.0.1', '--port', String(s.port), '--security', 'none']);
  expect(added.code, added.stdout).toBe(0);
  const csv = join(dir, 'rows.csv');
  await fs.writeFile(csv, ['email,name', ...Array.from({ length: rows }, (_, i) => `r${i + 1}@example.test,Row ${i + 1}`)].join('\n'));
  const core = await createCore({ dataDir, keychain: new MemorySecretStore(), retry: { baseMs: 150, maxMs: 1000, lifetimeMs: 60_000, jitter: 0 } });
  cores.push(core);
  const data = await core.attachments.register(csv);
  const request = (extra: Record<string, unknown> = {}) => mergeInput.parse({ accountId: (added.json.account as { id: string }).id, message: { subject: 'Hi {{ name }}', text: 'Row {{ name }}' }, data: { handle: data.handle }, ...extra });
  return { core, s, dataDir, request };
}

/** When each row was queued (ms), in row order. */
function queuedAt(dataDir: string, id: string): number[] {
  const { db } = openDatabase(dataDir);
  try {
    return (db.prepare('SELECT queued_at FROM merge_rows WHERE merge_id = ? ORDER BY row_no').all(id) as Array<{ queued_at: number }>).map((r) => r.queued_at);
  } finally {
    db.close();
  }
}

describe('a throttled merge', () => {
  it('slows down when the server answers 451 after three messages, and loses nothing', { timeout: 60_000 }, async () => {
    const { core, s, dataDir, request } = await setup(6, { mode: 'plain', noAuth: true, dataReplyFor: (nth) => (nth === 3 || nth === 4 ? [451, '4.7.0 Too many messages, slow down'] : undefined) });
    const started = await core.handlers['merge:start'](request({ perMinute: 600 }));
    const told: Array<{ state: string; nextAt?: string }> = [];
    core.events.on('merge:progress', (status) => told.push(status));
    const done = await core.handlers['merge:wait']({ id: started.id });
    expect(done).toMatchObject({ state: 'done', counts: { sent: 6, failed: 0, unknown: 0, pending: 0, inFlight: 0 } });
    expect(told.at(-1)?.state).toBe('done'); // told as it ended, not after the next count
    expect(told.some((t) => t.state === 'running' && t.nextAt)).toBe(true); // a paced merge says when its next row goes
    expect(s.received.map((m) => m.to[0]).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `r${i + 1}@example.test`).sort());
    const report = await core.handlers['merge:report']({ id: started.id });
    expect(report.rows.every((r) => r.state === 'sent')).toBe(true);
    // The pace after the 451: at least 2 s between rows (it was 100 ms), never a row failed for it.
    const at = queuedAt(dataDir, started.id);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(100);
    expect(at[5]! - at[4]!).toBeGreaterThanOrEqual(2000);
  });

  it('sends every checked row on a machine too busy to render one within the check’s time limit', { timeout: 30_000 }, async () => {
    const { core, s, request } = await setup(5, { mode: 'plain', noAuth: true });
    const started = await core.handlers['merge:start'](request());
    // From here every other look at the clock is two seconds on (a stalled machine), past the
    // check's limit of a second: the rows were checked, so none may be refused or pause the merge for it.
    const now = performance.now.bind(performance);
    let looks = 0;
    const busy = vi.spyOn(performance, 'now').mockImplementation(() => now() + 2000 * (looks++ % 2));
    const told: Array<{ nextAt?: string }> = [];
    core.events.on('merge:progress', (status) => told.push(status));
    try {
      const done = await core.handlers['merge:wait']({ id: started.id });
      expect(told.length).toBeGreaterThan(0);
      expect(told.every((t) => t.nextAt === undefined)).toBe(true); // no pace: no time of a next row to tell
      expect(done).toMatchObject({ state: 'done', counts: { sent: 5, skipped: 0, failed: 0 } });
      expect(s.received.map((m) => m.to[0]).sort()).toEqual(Array.from({ length: 5 }, (_, i) => `r${i + 1}@example.test`).sort());
    } finally {
      busy.mockRestore();
    }
  });

  it('keeps at least the --rate interval between rows', { timeout: 30_000 }, async () => {
    const { core, request, dataDir } = await setup(4, { mode: 'plain', noAuth: true });
    const started = await core.handlers['merge:start'](request({ perMinute: 240 }));
    expect(started.throttle).toEqual({ perMinute: 240 });
    await core.handlers['merge:wait']({ id: started.id });
    const at = queuedAt(dataDir, started.id);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!, `row ${i + 1}`).toBeGreaterThanOrEqual(250);
  });

  it('an account removed mid-merge pauses the merge with why; no row is skipped for it', { timeout: 30_000 }, async () => {
    const { core, s, request } = await setup(4, { mode: 'plain', noAuth: true });
    const started = await core.handlers['merge:start'](request({ perMinute: 120 }));
    const told: string[] = [];
    core.events.on('merge:progress', (status) => told.push(status.state));
    for (let i = 0; i < 500 && s.received.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
    await core.handlers['accounts:remove']({ id: started.accountId });
    const stopped = await core.handlers['merge:wait']({ id: started.id });
    expect(stopped.state).toBe('paused');
    expect(told.at(-1)).toBe('paused'); // told as it paused, not after the next count
    expect(stopped.error?.code).toBe('INVALID_INPUT');
    expect(stopped.counts.skipped).toBe(0);
    expect(stopped.counts.pending).toBeGreaterThan(0);
  });

  it('pauses, resumes and cancels: cancelled rows are never sent, sent ones stay sent', { timeout: 30_000 }, async () => {
    const { core, s, request } = await setup(5, { mode: 'plain', noAuth: true });
    const started = await core.handlers['merge:start'](request({ perMinute: 60 }));
    // The first row goes at once; the next is a second away.
    for (let i = 0; i < 500 && s.received.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
    const paused = await core.handlers['merge:pause']({ id: started.id });
    expect(paused.state).toBe('paused');
    await expect(core.handlers['merge:pause']({ id: started.id })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    const cancelled = await core.handlers['merge:cancel']({ id: started.id });
    expect(cancelled.state).toBe('cancelled');
    await core.handlers['merge:wait']({ id: started.id });
    const { rows } = await core.handlers['merge:report']({ id: started.id });
    expect(rows.filter((r) => r.state === 'sent').map((r) => r.row)).toEqual(s.received.map((m) => Number(/r(\d+)@/.exec(m.to[0]!)![1])).sort());
    expect(rows.filter((r) => r.state === 'cancelled').length).toBe(5 - s.received.length);
    expect(s.received.length).toBeGreaterThanOrEqual(1);
    await expect(core.handlers['merge:resume']({ id: started.id })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
  });
});
