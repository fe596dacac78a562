import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { alive } from '../../electron/core/fs/claim-file';
import type { OutboxCheckpoint } from '../../electron/core/outbox/outbox-service';
import type { OutboxItem } from '../../shared/model/outbox';
import { cli } from '../helpers/cli';
import { startTestSmtp, type TestSmtpOptions, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

// The crash matrix: one real send, killed with SIGKILL at each step, then a "restart" (the real
// CLI's `outbox list`, which runs start-up recovery). At every step: nothing lost that was ever
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

/** The outbox and sent folders, file by file: sidecars parsed, everything else by size and hash. */
type Disk = Record<string, unknown>;
async function snapshot(dataDir: string): Promise<Disk> {
  const disk: Disk = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        const bytes = await fs.readFile(path);
        disk[relative(dataDir, path)] = entry.name.endsWith('.json') ? JSON.parse(bytes.toString('utf8')) : `${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`;
      }
    }
  };
  for (const dir of ['outbox', 'sent']) await walk(join(dataDir, dir));
  return disk;
}

interface Crashed {
  dir: string;
  server: TestSmtpServer;
  /** what the send had told its user before it died: nothing, or {"queued": id} */
  reported: string;
  /** the data directory as the crash left it */
  disk: Disk;
  /** the item id, as its .eml (in outbox/tmp/ or outbox/) names it */
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
    env: { ...process.env, MAILWRIGHT_CRASH_DATA_DIR: dir, MAILWRIGHT_CRASH_AT: plan.crashAt ?? '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  }));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.stdin.end(JSON.stringify({ accountId, to: ['b@example.test'], subject: 'crash matrix', text: plan.text ?? BODY, ...(plan.options ? { options: plan.options } : {}) }));

  expect(await exit, `the child was to die by SIGKILL; it said: ${stdout}${stderr}`).toEqual({ code: null, signal: 'SIGKILL' });
  // It held the data-dir lock: "restart" only once it is really gone (dead, or a zombie not yet reaped).
  const holder = Number((await fs.readFile(join(dir, 'mailwright.lock'), 'utf8')).split(' ')[0]); // pid, then boot and start time
  expect(holder).toBe(child.pid);
  while (alive(holder)) await new Promise((r) => setTimeout(r, 20));
  // And only once the server has read whatever the dead client managed to send.
  while (smtp.openConnections > 0) await new Promise((r) => setTimeout(r, 20));

  const disk = await snapshot(dir);
  const id = /([^/]+)\.eml$/.exec(Object.keys(disk).find((p) => p.endsWith('.eml')) ?? '')?.[1] ?? '';
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

describe('the crash matrix: kill -9 at each step of a send, then restart', () => {
  it('after the message is written to outbox/tmp (built): recovery removes it; it was never queued', async () => {
    const c = await crashSend({ crashAt: 'built' });
    expect(c.reported).toBe(''); // the send never said "queued", let alone "sent"
    // No sidecar: not committed. The dead builder's claim is left; recovery sees its owner is gone.
    expect(Object.keys(c.disk).sort()).toEqual([`outbox/${c.id}.claim`, `outbox/tmp/${c.id}.eml`]);

    const { items, disk } = await restart(c);
    expect(items).toEqual([]);
    expect(disk).toEqual({}); // no stray file in outbox/, outbox/tmp/ or sent/
    expect(c.before).toEqual({ sessions: 0, transactions: 0, messages: 0 });
  });

  it('just before the commit of a message held for undo, its kept draft written too: recovery removes both; it was never queued', async () => {
    const c = await crashSend({ crashAt: 'before-commit', options: { undoSeconds: 30 } });
    expect(c.reported).toBe('');
    expect(Object.keys(c.disk).sort()).toEqual([`outbox/${c.id}.claim`, `outbox/${c.id}.draft.json`, `outbox/tmp/${c.id}.eml`]);

    const { items, disk } = await restart(c);
    expect(items).toEqual([]);
    expect(disk).toEqual({}); // no draft of a message that was never queued left behind
    expect(c.before).toEqual({ sessions: 0, transactions: 0, messages: 0 });
  });

  it('after the commit of a message held for undo (committed): it waits, with its draft and .eml intact; never sent by the restart', async () => {
    const c = await crashSend({ crashAt: 'committed', options: { undoSeconds: 30 } });
    expect(c.reported).toBe('');
    const files = [`outbox/${c.id}.draft.json`, `outbox/${c.id}.eml`, `outbox/${c.id}.json`]; // the draft is kept until it starts sending
    expect(Object.keys(c.disk).sort()).toEqual([`outbox/${c.id}.claim`, ...files].sort()); // killed before it let go of its claim
    expect(c.disk[`outbox/${c.id}.json`]).toMatchObject({ state: 'held', attempts: 0 });

    const { items, disk } = await restart(c);
    // Still in its undo window: it waits as it was (a start after the window marks it overdue, for the user to decide).
    expect(items).toEqual([expect.objectContaining({ id: c.id, state: 'held', attempts: 0 })]);
    expect(Object.keys(disk).sort()).toEqual(files);
    expect(disk[`outbox/${c.id}.draft.json`]).toEqual(c.disk[`outbox/${c.id}.draft.json`]);
    expect(disk[`outbox/${c.id}.eml`]).toBe(c.disk[`outbox/${c.id}.eml`]); // the very bytes committed
    expect(await fs.readFile(join(c.dir, 'outbox', `${c.id}.eml`), 'utf8')).toContain(BODY);
    expect(c.before).toEqual({ sessions: 0, transactions: 0, messages: 0 });
  });

  it('after the commit of a message due now (committed): it was committed as "sending", so outcome-unknown, though nothing went out', async () => {
    const c = await crashSend({ crashAt: 'committed' });
    expect(c.reported).toBe('');
    // No kept draft (it would have been deleted as sending began) and no separate "scheduled" step.
    expect(Object.keys(c.disk).sort()).toEqual([`outbox/${c.id}.claim`, `outbox/${c.id}.eml`, `outbox/${c.id}.json`]);
    expect(c.disk[`outbox/${c.id}.json`]).toMatchObject({ state: 'sending', attempts: 1 });

    const { items, disk } = await restart(c);
    expect(items).toEqual([outcomeUnknown(c.id)]);
    expect(Object.keys(disk).sort()).toEqual([`outbox/${c.id}.eml`, `outbox/${c.id}.json`]);
    expect(disk[`outbox/${c.id}.eml`]).toBe(c.disk[`outbox/${c.id}.eml`]);
    expect(c.before).toEqual({ sessions: 0, transactions: 0, messages: 0 });
  });

  it('after "sending" is recorded, before connecting (sending): outcome-unknown, though nothing went out', async () => {
    const c = await crashSend({ crashAt: 'sending' });
    expect(c.reported).toBe(queuedOnly(c.id));
    expect(c.disk[`outbox/${c.id}.json`]).toMatchObject({ state: 'sending', attempts: 1 });
    expect(c.disk[`outbox/${c.id}.claim`]).toBeDefined(); // the attempt's claim, left by the dead process

    const { items, disk } = await restart(c);
    // Nothing on disk tells "died before connecting" from "died after the final dot": "sending" is all
    // that was recorded, so "the server may or may not have it" is the true statement, not "failed".
    expect(items).toEqual([outcomeUnknown(c.id)]);
    expect(Object.keys(disk).sort()).toEqual([`outbox/${c.id}.eml`, `outbox/${c.id}.json`]); // the claim is gone
    expect(disk[`outbox/${c.id}.eml`]).toBe(c.disk[`outbox/${c.id}.eml`]);
    expect(c.before).toEqual({ sessions: 0, transactions: 0, messages: 0 });
  });

  it('when the server sees the connection: outcome-unknown, no message on the server, nothing resent', async () => {
    // The greeting waits until the child is gone: it dies connected, before a single SMTP command.
    const c = await crashSend({ server: (kill) => ({ onConnect: kill }) });
    expect(c.reported).toBe(queuedOnly(c.id));
    expect(c.disk[`outbox/${c.id}.json`]).toMatchObject({ state: 'sending' });
    expect(c.before).toEqual({ sessions: 1, transactions: 0, messages: 0 });

    const { items, disk } = await restart(c);
    expect(items).toEqual([outcomeUnknown(c.id)]);
    expect(Object.keys(disk).sort()).toEqual([`outbox/${c.id}.eml`, `outbox/${c.id}.json`]);
  });

  it('in the middle of DATA: outcome-unknown, the server never got a whole message, nothing resent', async () => {
    const text = 'All work and no play makes a long message.\n'.repeat(50_000); // ~2 MB
    const part = 256 * 1024;
    let bodyBytes = 0;
    // Stop reading once part of the body is in and kill the child; then read on whatever it had sent
    // before it died (some tens of KiB more: far from the whole message).
    const c = await crashSend({ text, server: (kill) => ({ onDataBytes: (bytes) => ((bodyBytes = bytes) >= part ? kill() : undefined) }) });
    expect(c.reported).toBe(queuedOnly(c.id));
    expect(c.disk[`outbox/${c.id}.json`]).toMatchObject({ state: 'sending' });
    expect(c.before).toEqual({ sessions: 1, transactions: 1, messages: 0 });
    expect(bodyBytes).toBeGreaterThanOrEqual(part);
    expect(bodyBytes).toBeLessThan((c.disk[`outbox/${c.id}.json`] as OutboxItem).size); // part of the body, then the connection was gone

    const { items, disk } = await restart(c);
    expect(items).toEqual([outcomeUnknown(c.id)]);
    expect(Object.keys(disk).sort()).toEqual([`outbox/${c.id}.eml`, `outbox/${c.id}.json`]);
    expect(await fs.readFile(join(c.dir, 'outbox', `${c.id}.eml`), 'utf8')).toContain('no play makes');
  });

  it('after the final dot, before any reply: outcome-unknown, the server has exactly one copy, nothing resent', async () => {
    const c = await crashSend({ server: (kill) => ({ stallAfterData: true, onMessage: () => void kill() }) });
    expect(c.reported).toBe(queuedOnly(c.id));
    expect(c.disk[`outbox/${c.id}.json`]).toMatchObject({ state: 'sending' });
    expect(c.before).toEqual({ sessions: 1, transactions: 1, messages: 1 });
    expect(c.server.received).toHaveLength(0); // never answered

    const { items } = await restart(c);
    expect(items).toEqual([outcomeUnknown(c.id)]);
    // The one copy the server has is the message in the outbox, byte for byte (a resend would be too: same Message-ID).
    const eml = await fs.readFile(join(c.dir, 'outbox', `${c.id}.eml`));
    expect(c.server.bodies[0]!.raw.equals(eml)).toBe(true);
    expect(c.server.bodies[0]!.parsed.messageId).toBe(items[0]!.messageId);
  });

  it('after the 250, before it is recorded (accepted): outcome-unknown, one copy on the server, never resent', async () => {
    const c = await crashSend({ crashAt: 'accepted' });
    expect(c.reported).toBe(queuedOnly(c.id)); // never told "sent"
    expect(c.before).toEqual({ sessions: 1, transactions: 1, messages: 1 });
    expect(c.server.received).toHaveLength(1); // the server answered 250: it has the message
    // The 250 lived only in the memory of the process that died: on disk the item is "sending",
    // exactly as after a crash before the final dot (the rows above). Recovery cannot tell the two
    // apart, so "sent" would be a guess and a resend a possible duplicate; outcome-unknown is the
    // truth, and the user settles it (mark sent, or resend with the same Message-ID).
    expect(c.disk[`outbox/${c.id}.json`]).toMatchObject({ state: 'sending' });
    expect(Object.keys(c.disk).some((p) => p.startsWith('sent/'))).toBe(false);

    const { items, disk } = await restart(c);
    expect(items).toEqual([outcomeUnknown(c.id)]);
    expect(Object.keys(disk).sort()).toEqual([`outbox/${c.id}.eml`, `outbox/${c.id}.json`]);
    expect(c.server.received[0]!.parsed.messageId).toBe(items[0]!.messageId);
  });
});
