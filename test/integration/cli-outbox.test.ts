import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/open-database';
import { cli } from '../helpers/cli';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

const servers: TestSmtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(opts: Parameters<typeof startTestSmtp>[0] = { mode: 'plain' }) {
  const dir = tempDir();
  const s = await startTestSmtp(opts);
  servers.push(s);
  await cli(['--data-dir', dir, 'account', 'add', 'Plain', '--email', 'ana@example.test', '--host', '127.0.0.1', '--port', String(s.port), '--security', 'none']);
  return { dir, s };
}
const items = async (dir: string) => (await cli(['--data-dir', dir, '--json', 'outbox', 'list'])).json.items as Array<{ id: string; state: string; overdue?: boolean; subject: string }>;

describe('the outbox from the command line', () => {
  it('send --send-at schedules; outbox run sends it once due, and an overdue one only when told', async () => {
    const { dir, s } = await setup();
    // Far enough ahead that the `send` and the early `outbox run` (two cold CLI starts on a loaded
    // CI machine) both finish before it is due.
    const soon = new Date(Date.now() + 6000).toISOString();
    const queued = await cli(['--data-dir', dir, '--json', 'send', '--account', 'Plain', '--to', 'b@example.test', '--subject', 'Later', '--text', 'x', '--send-at', soon]);
    expect(queued.code).toBe(0);
    expect(queued.json).toMatchObject({ state: 'scheduled', dueAt: soon });
    expect(s.sessions).toBe(0);
    const early = await cli(['--data-dir', dir, '--json', 'outbox', 'run']);
    expect(early.code).toBe(0);
    expect(s.received).toHaveLength(0);

    await new Promise((r) => setTimeout(r, Date.parse(soon) - Date.now() + 100));
    // Due now, and no process was running when it became due: overdue, waits for a choice.
    const waiting = await cli(['--data-dir', dir, 'outbox', 'run']);
    expect(waiting.stdout).toMatch(/overdue message\(s\) wait for your choice/);
    expect((await items(dir))[0]).toMatchObject({ state: 'scheduled', overdue: true });
    expect(s.received).toHaveLength(0);
    const sent = await cli(['--data-dir', dir, '--json', 'outbox', 'run', '--send-overdue']);
    expect(sent.code).toBe(0);
    expect((await items(dir))[0]).toMatchObject({ state: 'sent' });
    expect(s.received.map((m) => m.parsed.subject)).toEqual(['Later']);
  });

  it('outbox send-now, then outbox run in another process: sent once, never taken for overdue', async () => {
    const { dir, s } = await setup();
    const later = new Date(Date.now() + 3600_000).toISOString();
    const queued = await cli(['--data-dir', dir, '--json', 'send', '--account', 'Plain', '--to', 'b@example.test', '--subject', 'Now after all', '--text', 'x', '--send-at', later]);
    const now = await cli(['--data-dir', dir, '--json', 'outbox', 'send-now', queued.json.id as string]);
    expect(now.json.item).toMatchObject({ state: 'scheduled', sendAtNextRun: true });
    const run = await cli(['--data-dir', dir, '--json', 'outbox', 'run']);
    expect(run.code).toBe(0);
    expect((await items(dir))[0]).toMatchObject({ state: 'sent' });
    expect(s.received.map((m) => m.parsed.subject)).toEqual(['Now after all']);
    expect((await cli(['--data-dir', dir, '--json', 'outbox', 'run'])).code).toBe(0);
    expect(s.received).toHaveLength(1);
  });

  it('outbox run --discard-overdue leaves alone a message another process is sending, and does the rest', async () => {
    const { dir } = await setup();
    const soon = () => new Date(Date.now() + 1000).toISOString();
    const a = await cli(['--data-dir', dir, '--json', 'send', '--account', 'Plain', '--to', 'b@example.test', '--subject', 'Sent elsewhere', '--text', 'x', '--send-at', soon()]);
    const b = await cli(['--data-dir', dir, '--json', 'send', '--account', 'Plain', '--to', 'b@example.test', '--subject', 'Free', '--text', 'x', '--send-at', soon()]);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await cli(['--data-dir', dir, 'outbox', 'run'])).stdout).toMatch(/2 overdue message\(s\) wait/);
    // Then the app, told "send now", is sending the first one under its lease.
    const { db } = openDatabase(dir);
    db.prepare(`UPDATE outbox_items SET state = 'sending', overdue = 0, due_at = NULL, owner = 'app', attempt = 'a1', lease_until = ? WHERE id = ?`).run(Date.now() + 600_000, a.json.id as string);
    db.close();
    const run = await cli(['--data-dir', dir, 'outbox', 'run', '--discard-overdue']);
    expect(run.code, run.stderr).toBe(0);
    const states = Object.fromEntries((await items(dir)).map((i) => [i.subject, i.state]));
    expect(states).toEqual({ 'Sent elsewhere': 'sending', Free: 'cancelled' });
    expect(b.code).toBe(0);
  });

  it('a temporary failure stays queued for retry; outbox retry / cancel / export act on it', async () => {
    const { dir, s } = await setup({ mode: 'plain', refuseRcpt: { 'b@example.test': [451, '4.3.0 Try later'] } });
    const first = await cli(['--data-dir', dir, '--json', 'send', '--account', 'Plain', '--to', 'b@example.test', '--subject', 'Flaky', '--text', 'x']);
    expect(first.code).toBe(1);
    expect(first.json).toMatchObject({ state: 'retrying', error: { code: 'SERVER_TEMPORARY', hint: expect.stringMatching(/retried at/) } });
    const id = first.json.id as string;
    const file = join(dir, 'copy.eml');
    expect((await cli(['--data-dir', dir, 'outbox', 'export', id, file])).code).toBe(0);
    expect(await fs.readFile(file, 'utf8')).toMatch(/Subject: Flaky/);
    expect((await cli(['--data-dir', dir, '--json', 'outbox', 'retry', id])).json.error?.code).toBe('INVALID_INPUT'); // not failed: it retries by itself
    const cancelled = await cli(['--data-dir', dir, '--json', 'outbox', 'cancel', id]);
    expect(cancelled.json.item).toMatchObject({ state: 'cancelled' });
    expect(s.received).toHaveLength(0);
    expect((await cli(['--data-dir', dir, '--json', 'outbox', 'cancel', 'not-an-id'])).code).toBe(2);
  });
});
