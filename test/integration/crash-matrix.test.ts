import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/open-database';
import type { OutboxCheckpoint } from '../../electron/core/outbox/outbox-service';
import type { OutboxItem } from '../../shared/model/outbox';
import { cli } from '../helpers/cli';
import { startTestSmtp, type TestSmtpOptions, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

// The crash matrix: one real send, killed with SIGKILL at each step, then a "restart" (the real
// CLI's `outbox list`, which runs start-up recovery, once the dead sender's lease has run out). At every step: nothing lost that was ever
// accepted, nothing half-visible, no automatic resend, and a state that tells the truth.

const CHILD = fileURLToPath(new URL('../helpers/crash-child.ts', import.meta.url));
// The TypeScript loader bin/mailwright.mjs registers (tsx's ESM hooks), as a --import.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
const BODY = 'The crash matrix body.';

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What the server has seen: connections, mail transactions (MAIL FROM) and whole messages (up to the final dot). */
const seen = (s: TestSmtpServer) => ({ sessions: s.sessions, transactions: s.transactions, messages: s.bodies.length });

const digest = (bytes: Uint8Array) => `${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * The outbox as stored: each row (`row/ID`: its item, and whether it is leased), its bytes kept in
 * the database (`bytes/ID`) or as a file (`messages/ID.eml`), and its kept draft (`kept/ID`).
 */
type Disk = Record<string, unknown>;
async function snapshot(dataDir: string): Promise<Disk> {
  const disk: Disk = {};
  const { db } = openDatabase(dataDir);
  try {
    // pastNoReturn: a message being sent whose attempt has let its final dot go (no longer retry-safe).
    for (const r of db.prepare('SELECT id, item, state, owner IS NOT NULL AS leased, lease_until, retry_safe FROM outbox_items').all() as Array<{ id: string; item: string; state: string; leased: number; lease_until: number | null; retry_safe: number }>)
      disk[`row/${r.id}`] = { ...(JSON.parse(r.item) as object), state: r.state, leased: !!r.leased, leaseUntil: r.lease_until, pastNoReturn: r.state === 'sending' && !r.retry_safe };
    for (const r of db.prepare('SELECT id, bytes FROM outbox_bytes').all() as Array<{ id: string; bytes: Uint8Array }>) disk[`bytes/${r.id}`] = digest(r.bytes);
    for (const r of db.prepare('SELECT id, kept FROM outbox_kept_drafts').all() as Array<{ id: string; kept: string }>) disk[`kept/${r.id}`] = JSON.parse(r.kept);
  } finally {
    db.close();
  }
  for (const name of await fs.readdir(join(dataDir, 'messages')).catch(() => [])) disk[`messages/${name}`] = digest(await fs.readFile(join(dataDir, 'messages', name)));
  return disk;
}

/** The message's bytes, wherever they are kept. */
async function storedBytes(dataDir: string, id: string): Promise<Buffer> {
  const { db } = openDatabase(dataDir);
  const row = db.prepare('SELECT bytes FROM outbox_bytes WHERE id = ?').get(id) as { bytes: Uint8Array } | undefined;
  db.close();
  return row ? Buffer.from(row.bytes) : fs.readFile(join(dataDir, 'messages', `${id}.eml`));
}

/** How long the child answers for a message it sends: the restart waits this long, not a minute. */
const LEASE_MS = 400;

interface Crashed {
  dir: string;
  server: TestSmtpServer;
  /** what the send had told its user before it died: nothing, or {"queued": id} */
  reported: string;
  /** the data directory as the crash left it */
  disk: Disk;
  /** the item id, as its row or its file names it */
  id: string;
  /** what the server had seen by the crash, once it had read everything the dead client sent */
  before: ReturnType<typeof seen>;
}

interface CrashPlan {
  /** the child kills itself at this checkpoint (or at the commit's rename: see crash-child.ts) */
  crashAt?: OutboxCheckpoint | 'before-commit';
  /** or: server options whose hooks call `kill` (the test kills the child) at a step only the server sees */
  server?: (kill: () => Promise<void>) => Partial<TestSmtpOptions>;
  text?: string;
  /** the draft's options: none is a message due now (committed straight as "sending" when a slot is free) */
  options?: { undoSeconds?: number };
  /** a file attached (of this many random bytes, or a line of text): the message's bytes are then a file in messages/, not a row */
  attach?: boolean | number;
}

/** Add a plain loopback account with the real CLI, then send one message in a child process that dies by SIGKILL. */
async function crashSend(plan: CrashPlan): Promise<Crashed> {
  const dir = tempDir();
  // A server hook may kill the child from outside (once); that resolves when the child has been reaped.
  const proc: { child?: ChildProcessWithoutNullStreams; killed?: Promise<void> } = {};
  const kill = () =>
    (proc.killed ??= new Promise<void>((resolve) => {
      const child = proc.child!;
      if (child.exitCode !== null || child.signalCode !== null) return resolve(); // already dead
      child.once('exit', () => resolve());
      process.kill(child.pid!, 'SIGKILL');
    }));
  const smtp = (server = await startTestSmtp({ mode: 'plain', ...plan.server?.(kill) }));

  const added = await cli(['--data-dir', dir, '--json', 'account', 'add', 'Plain', '--email', 'a@example.test', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none']);
  expect(added.code, added.stdout).toBe(0);
  const accountId = (added.json.account as { id: string }).id;

  const child = (proc.child = spawn(process.execPath, ['--import', TSX, CHILD], {
    env: { ...process.env, MAILWRIGHT_CRASH_DATA_DIR: dir, MAILWRIGHT_CRASH_AT: plan.crashAt ?? '', MAILWRIGHT_CRASH_LEASE_MS: String(LEASE_MS) },
    stdio: ['pipe', 'pipe', 'pipe'],
  }));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const attachments: Array<{ path: string }> = [];
  if (plan.attach) {
    await fs.writeFile(join(dir, 'report.txt'), typeof plan.attach === 'number' ? randomBytes(plan.attach) : 'attached report');
    attachments.push({ path: join(dir, 'report.txt') });
  }
  child.stdin.end(JSON.stringify({ draft: { accountId, to: ['b@example.test'], subject: 'crash matrix', text: plan.text ?? BODY, ...(plan.options ? { options: plan.options } : {}) }, attach: attachments.map((a) => a.path) }));

  expect(await exit, `the child was to die by SIGKILL; it said: ${stdout}${stderr}`).toEqual({ code: null, signal: 'SIGKILL' });
  // The child has exited (it is reaped): only the server may still be reading what it sent.
  while (smtp.openConnections > 0) await new Promise((r) => setTimeout(r, 20));
  const disk = await snapshot(dir);
  const id = /^(?:row|messages)\/([^.]+)/.exec(Object.keys(disk).find((p) => p.startsWith('row/') || p.startsWith('messages/')) ?? '')?.[1] ?? '';
  // A restart before the dead child's lease ran out would rightly leave its message to it.
  const until = Math.max(0, ...Object.values(disk).map((v) => (v as { leaseUntil?: number }).leaseUntil ?? 0));
  while (Date.now() <= until) await new Promise((r) => setTimeout(r, until - Date.now() + 1));
  return { dir, server: smtp, reported: stdout, disk, id, before: seen(smtp) };
}

/**
 * Start twice (`mailwright --json outbox list`, with its start-up recovery): the second start
 * changes nothing, and neither sends anything.
 */
async function restart(c: Crashed): Promise<{ items: OutboxItem[]; disk: Disk }> {
  const list = () => cli(['--data-dir', c.dir, '--json', 'outbox', 'list']);
  const first = await list();
  expect(first.code, first.stdout).toBe(0);
  const disk = await snapshot(c.dir);
  const second = await list();
  expect(second.code, second.stdout).toBe(0);
  expect(second.json.items).toEqual(first.json.items);
  expect(await snapshot(c.dir)).toEqual(disk);
  expect(seen(c.server)).toEqual(c.before); // no start sent (or began to send) anything
  return { items: first.json.items as OutboxItem[], disk };
}

/** What the send had told its user: queued, never sent (stdout is written synchronously to a pipe). */
const queuedOnly = (id: string) => `${JSON.stringify({ queued: id })}\n`;

/** What recovery makes of an item that was durably "sending" when the process died. */
const outcomeUnknown = (id: string) =>
  expect.objectContaining({ id, state: 'outcome-unknown', attempts: 1, error: expect.objectContaining({ code: 'OUTCOME_UNKNOWN' }) });

/** What recovery makes of an item that died "sending" before its first byte went: tried again, due now, no error. */
const retriedBySelf = (id: string) => expect.objectContaining({ id, state: 'retrying', attempts: 1, sendAtNextRun: true });

/** `mailwright outbox run` after such a restart sends it, once: the server ends with exactly one copy. */
async function runsOnce(c: Crashed): Promise<void> {
  const run = await cli(['--data-dir', c.dir, '--json', 'outbox', 'run']);
  expect(run.code, run.stdout).toBe(0);
  expect((run.json.items as OutboxItem[]).find((i) => i.id === c.id)).toMatchObject({ state: 'sent', attempts: 2 });
  expect(c.server.received).toHaveLength(1);
  expect(c.server.bodies).toHaveLength(1);
  expect(c.server.received[0]!.raw.equals(await storedBytes(c.dir, c.id))).toBe(true);
}

describe('the crash matrix: kill -9 at each step of a send, then restart', () => {
  it('after a message with a file is built: its file was never queued, and goes once it is old enough to be no live build\'s', async () => {
    const c = await crashSend({ crashAt: 'built', attach: true });
    expect(c.reported).toBe(''); // the send never said "queued", let alone "sent"
    expect(Object.keys(c.disk)).toEqual([`messages/${c.id}.eml`]); // no row: not committed

    const { items, disk } = await restart(c);
    expect(items).toEqual([]);
    expect(disk).toEqual(c.disk); // young: it may be another process's build in progress
    const old = new Date(Date.now() - 2 * 3600_000);
    await fs.utimes(join(c.dir, 'messages', `${c.id}.eml`), old, old);
    // A signed build's copy written aside, left by a crash: removed as old, never taken for a message.
    await fs.writeFile(join(c.dir, 'messages', `${c.id}x.eml.unsigned`), 'Subject: aside\r\n\r\nx\r\n');
    await fs.utimes(join(c.dir, 'messages', `${c.id}x.eml.unsigned`), old, old);
    expect((await restart(c)).disk).toEqual({});
    expect(c.before).toEqual({ sessions: 0, transactions: 0, messages: 0 });
  });

  it('just before the commit of a message held for undo: neither it nor its kept draft was ever queued', async () => {
    const c = await crashSend({ crashAt: 'before-commit', options: { undoSeconds: 30 } });
    expect(c.reported).toBe('');
    expect(c.disk).toEqual({}); // the row, its bytes and its draft were one transaction, never committed

    const { items, disk } = await restart(c);
    expect(items).toEqual([]);
    expect(disk).toEqual({});
    expect(c.before).toEqual({ sessions: 0, transactions: 0, messages: 0 });
  });

  it('after the commit of a message held for undo (committed): it waits, with its draft and bytes intact; never sent by the restart', async () => {
    const c = await crashSend({ crashAt: 'committed', options: { undoSeconds: 30 } });
    expect(c.reported).toBe('');
    expect(Object.keys(c.disk).sort()).toEqual([`bytes/${c.id}`, `kept/${c.id}`, `row/${c.id}`]); // the draft is kept until it starts sending
    expect(c.disk[`row/${c.id}`]).toMatchObject({ state: 'held', attempts: 0, leased: false });

    const { items, disk } = await restart(c);
    // Still in its undo window: it waits as it was (a start after the window marks it overdue, for the user to decide).
    expect(items).toEqual([expect.objectContaining({ id: c.id, state: 'held', attempts: 0 })]);
    expect(disk).toEqual(c.disk); // the very bytes and draft committed
    expect((await storedBytes(c.dir, c.id)).toString('utf8')).toContain(BODY);
    expect(c.before).toEqual({ sessions: 0, transactions: 0, messages: 0 });
  });

  it('after the commit of a message due now (committed): "sending" under a lease, before its first byte, so tried again once that runs out', async () => {
    const c = await crashSend({ crashAt: 'committed' });
    expect(c.reported).toBe('');
    // No kept draft and no separate "scheduled" step.
    expect(Object.keys(c.disk).sort()).toEqual([`bytes/${c.id}`, `row/${c.id}`]);
    expect(c.disk[`row/${c.id}`]).toMatchObject({ state: 'sending', attempts: 1, leased: true, pastNoReturn: false });

    const { items, disk } = await restart(c);
    expect(items).toEqual([retriedBySelf(c.id)]);
    expect(items[0]!.error).toBeUndefined();
    expect(disk[`row/${c.id}`]).toMatchObject({ state: 'retrying', leased: false });
    expect(disk[`bytes/${c.id}`]).toBe(c.disk[`bytes/${c.id}`]);
    expect(c.before).toEqual({ sessions: 0, transactions: 0, messages: 0 });
    await runsOnce(c);
  });

  it('a message with a file, before connecting (sending): tried again by itself, its file kept and sent once', async () => {
    const c = await crashSend({ crashAt: 'sending', attach: true });
    expect(c.reported).toBe(queuedOnly(c.id));
    expect(c.disk[`row/${c.id}`]).toMatchObject({ state: 'sending', attempts: 1, leased: true, pastNoReturn: false });

    const { items, disk } = await restart(c);
    // Nothing of the message was let go (the point of no return was not recorded): nothing can have arrived.
    expect(items).toEqual([retriedBySelf(c.id)]);
    expect(Object.keys(disk).sort()).toEqual([`messages/${c.id}.eml`, `row/${c.id}`]);
    expect(disk[`messages/${c.id}.eml`]).toBe(c.disk[`messages/${c.id}.eml`]);
    expect(c.before).toEqual({ sessions: 0, transactions: 0, messages: 0 });
    await runsOnce(c);
  });

  it('when the server sees the connection: no message on the server, so tried again by itself and sent once', async () => {
    // The greeting waits until the child is gone: it dies connected, before a single SMTP command.
    const c = await crashSend({ server: (kill) => ({ onConnect: kill }) });
    expect(c.reported).toBe(queuedOnly(c.id));
    expect(c.disk[`row/${c.id}`]).toMatchObject({ state: 'sending', pastNoReturn: false });
    expect(c.before).toEqual({ sessions: 1, transactions: 0, messages: 0 });

    const { items } = await restart(c);
    expect(items).toEqual([retriedBySelf(c.id)]);
    await runsOnce(c);
  });

  it('when the mark before the final dot is recorded (past-no-return), before the dot: outcome-unknown, nothing whole on the server', async () => {
    const c = await crashSend({ crashAt: 'past-no-return' });
    expect(c.reported).toBe(queuedOnly(c.id));
    expect(c.disk[`row/${c.id}`]).toMatchObject({ state: 'sending', pastNoReturn: true });
    expect(c.before).toMatchObject({ transactions: 1, messages: 0 });

    const { items } = await restart(c);
    // Recorded as let go: from the stored state a byte may have left, so the user decides.
    expect(items).toEqual([outcomeUnknown(c.id)]);
  });

  it('in the middle of DATA: the server never got a whole message; outcome-unknown once the mark before the final dot was recorded, else tried again', async () => {
    const text = 'All work and no play makes a long message.\n'.repeat(50_000); // ~2 MB
    const part = 256 * 1024;
    let bodyBytes = 0;
    // Stop reading once part of the body is in and kill the child; then read on whatever it had sent
    // before it died. The message (32 MB with its attachment) is far more than the socket buffers
    // between the two can hold (4 MB to send, and a receive window that grows only as the server
    // reads), so the server can never have had all of it. Its bytes are a file, read as the server
    // takes them.
    const c = await crashSend({ text, attach: 24 * 1024 * 1024, server: (kill) => ({ onDataBytes: (bytes) => ((bodyBytes = bytes) >= part ? kill() : undefined) }) });
    expect(c.reported).toBe(queuedOnly(c.id));
    expect(c.disk[`row/${c.id}`]).toMatchObject({ state: 'sending' });
    expect(c.before).toEqual({ sessions: 1, transactions: 1, messages: 0 });
    expect(bodyBytes).toBeGreaterThanOrEqual(part);
    expect(bodyBytes).toBeLessThan((c.disk[`row/${c.id}`] as OutboxItem).size); // part of the body, then the connection was gone

    // The mark is written as the message is handed to the connection, and the final dot waits for
    // it: whichever the disk says is what the restart must make of it.
    const marked = (c.disk[`row/${c.id}`] as { pastNoReturn: boolean }).pastNoReturn;
    const { items } = await restart(c);
    expect(items).toEqual([marked ? outcomeUnknown(c.id) : retriedBySelf(c.id)]);
    expect((await storedBytes(c.dir, c.id)).toString('utf8')).toContain('no play makes');
  });

  it('after the final dot, before any reply: outcome-unknown, the server has exactly one copy, nothing resent', async () => {
    const c = await crashSend({ server: (kill) => ({ stallAfterData: true, onMessage: () => void kill() }) });
    expect(c.reported).toBe(queuedOnly(c.id));
    expect(c.disk[`row/${c.id}`]).toMatchObject({ state: 'sending' });
    expect(c.before).toEqual({ sessions: 1, transactions: 1, messages: 1 });
    expect(c.server.received).toHaveLength(0); // never answered

    const { items } = await restart(c);
    expect(items).toEqual([outcomeUnknown(c.id)]);
    // The one copy the server has is the message in the outbox, byte for byte (a resend would be too: same Message-ID).
    expect(c.server.bodies[0]!.raw.equals(await storedBytes(c.dir, c.id))).toBe(true);
    expect(c.server.bodies[0]!.parsed.messageId).toBe(items[0]!.messageId);
  });

  it('after the 250, before it is recorded (accepted): outcome-unknown, one copy on the server, never resent', async () => {
    const c = await crashSend({ crashAt: 'accepted' });
    expect(c.reported).toBe(queuedOnly(c.id)); // never told "sent"
    expect(c.before).toEqual({ sessions: 1, transactions: 1, messages: 1 });
    expect(c.server.received).toHaveLength(1); // the server answered 250: it has the message
    // The 250 lived only in the memory of the process that died: stored, the item is "sending",
    // exactly as after a crash before the final dot (the rows above). Recovery cannot tell the two
    // apart, so "sent" would be a guess and a resend a possible duplicate; outcome-unknown is the
    // truth, and the user settles it (mark sent, or resend with the same Message-ID).
    expect(c.disk[`row/${c.id}`]).toMatchObject({ state: 'sending' });

    const { items } = await restart(c);
    expect(items).toEqual([outcomeUnknown(c.id)]);
    expect(c.server.received[0]!.parsed.messageId).toBe(items[0]!.messageId);
  });
});
