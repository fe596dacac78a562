// One contender of the throughput and scaling benchmarks, in its own process so that its memory
// is its own. Prints one JSON line with its timings and memory.
//   mailwright PORT COUNT HTML TEXT  — the real core: accounts:save and outbox:enqueue through the
//                                      one door (invokeChannel, schema parse included), undoSeconds 0,
//                                      until every item is `sent` (durable writes and all); given the
//                                      HTML and its text part, as the baselines are
//   mailwright-html PORT COUNT HTML TEXT — the same, given only the HTML: the core derives the text
//                                      part (the composer's way)
//   queued     PORT COUNT HTML TEXT  — the core with COUNT messages waiting first (sent later, in
//                                      an hour), then all due at once: the cost of a long queue
//   nodemailer PORT COUNT HTML TEXT  — raw nodemailer, pool with the TransportFactory's settings
//   mailwright@N, nodemailer@N …     — the same with the account's (the pool's) connections at once set to N
//   grouped    PORT COUNT HTML TEXT  — raw nodemailer with the outbox's coming state store: each
//                                      message's bytes and state committed to SQLite through group
//                                      commit before the send, its state again after it
//   grouped-files PORT COUNT HTML TEXT — the same, the bytes in an fsynced file written before the
//                                      row commits (the way for large messages)
import { createReadStream, mkdtempSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Clock } from '../electron/core/clock';
import { createCore } from '../electron/core/core';
import { GroupCommit } from '../electron/core/db/group-commit';
import { openDatabase } from '../electron/core/db/open-database';
import { invokeChannel } from '../electron/core/invoke';
import { TRANSPORT_POOL } from '../electron/core/smtp/transport-factory';
import type { OutboxItem } from '../shared/model/outbox';
import { MemorySecretStore } from '../test/helpers/memory-secret-store';
import { cpuFromNow } from './lib';

const [contender, portText, countText, htmlPath, textPath] = process.argv.slice(2);
// `mailwright@5`, `nodemailer@5`: the account's connections at once (the pool's default without).
const [mode, connectionsText] = contender!.split('@');
const connections = connectionsText ? Number(connectionsText) : TRANSPORT_POOL.maxConnections;
const port = Number(portText);
const count = Number(countText);
const html = readFileSync(htmlPath!, 'utf8');
const text = readFileSync(textPath!, 'utf8');
const rssKb = () => Math.round(process.memoryUsage().rss / 1024);
const hwmKb = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
const to = (i: number) => `reader${i}@example.test`;

async function raw() {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...TRANSPORT_POOL, maxConnections: connections });
  const startRss = rssKb();
  const started = performance.now();
  const cpu = cpuFromNow();
  await Promise.all(Array.from({ length: count }, (_, i) => transport.sendMail({ from: 'Ana <ana@example.test>', to: to(i), subject: `Newsletter ${i}`, html, text })));
  const ms = performance.now() - started;
  const used = cpu();
  transport.close();
  return { ms, ...used, startRss, peakRss: hwmKb() };
}

/**
 * Raw nodemailer with the state store the outbox is moving to (electron/core/db): 16 messages in
 * flight; each built (the same HTML and text part), its bytes (in the row, or in an fsynced file
 * written first) and a "queued" row committed through group commit, sent from those bytes, and its
 * row set to "sent" through group commit; messages in flight together share commits. No schema
 * parse, no text part derived from the HTML, no claims: the state store's own cost, not an outbox's.
 */
async function grouped(bytesInFiles: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-grouped-'));
  const { db } = openDatabase(dir, ['CREATE TABLE m (id INTEGER PRIMARY KEY, state TEXT NOT NULL, bytes BLOB) STRICT;']);
  const commits = new GroupCommit(db);
  const insert = db.prepare('INSERT INTO m (id, state, bytes) VALUES (?, ?, ?)');
  const mark = db.prepare('UPDATE m SET state = ? WHERE id = ? AND state = ?');
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...TRANSPORT_POOL, maxConnections: connections });
  const startRss = rssKb();
  const started = performance.now();
  const cpu = cpuFromNow();
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < count) {
          const i = next++;
          const bytes = await new MailComposer({ from: 'Ana <ana@example.test>', to: to(i), subject: `Newsletter ${i}`, html, text }).compile().build();
          const eml = join(dir, `${i}.eml`);
          if (bytesInFiles) {
            const handle = await fs.open(eml, 'w', 0o600);
            await handle.writeFile(bytes);
            await handle.sync();
            await handle.close();
            const folder = await fs.open(dir, 'r'); // the new file's name is durable too
            await folder.sync();
            await folder.close();
          }
          await commits.write(() => insert.run(i, 'queued', bytesInFiles ? null : bytes).changes);
          await transport.sendMail({ envelope: { from: 'ana@example.test', to: [to(i)] }, raw: bytesInFiles ? createReadStream(eml) : bytes });
          await commits.write(() => mark.run('sent', i, 'queued').changes);
        }
      }),
    );
    return { ms: performance.now() - started, ...cpu(), startRss, peakRss: hwmKb() };
  } finally {
    transport.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function mailwright(queued: boolean, withText: boolean) {
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-bench-'));
  // A real clock that the "queued" run can move past the undo window: the messages wait, then all come due.
  let offset = 0;
  const clock: Clock = {
    now: () => new Date(Date.now() + offset),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
  };
  const core = await createCore({ dataDir, keychain: new MemorySecretStore(), autoRun: true, clock, log: (m, e) => console.error(m, e) });
  try {
    const call = async (channel: string, payload: unknown) => {
      const r = await invokeChannel(core.handlers, channel, payload);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value;
    };
    const account = (await call('accounts:save', { name: 'Bench', email: 'ana@example.test', displayName: 'Ana', host: '127.0.0.1', port, security: 'none', connections })) as { id: string };
    let sent = 0;
    let failed = 0;
    let allSent!: () => void;
    const done = new Promise<void>((r) => (allSent = r));
    core.events.on('outbox:changed', (item: OutboxItem) => {
      if (item.state === 'sent') sent++;
      else if (item.state === 'failed' || item.state === 'outcome-unknown') failed++;
      if (sent + failed === count) allSent();
    });
    const startRss = rssKb();
    const started = performance.now();
    const cpu = cpuFromNow();
    // A mail merge: the messages are handed over a few at a time, as fast as the outbox takes them.
    const PARALLEL = 8;
    let next = 0;
    // Queued: sent later, an hour from now (a long queue takes longer to queue than any undo window).
    const options = queued ? { sendAt: new Date(clock.now().getTime() + 3600_000).toISOString() } : { undoSeconds: 0 };
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < count) {
          const i = next++;
          await call('outbox:enqueue', { accountId: account.id, to: [to(i)], subject: `Newsletter ${i}`, html, ...(withText ? { text } : {}), options });
        }
      }),
    );
    const enqueuedMs = performance.now() - started;
    const queuedRss = rssKb();
    let drainStarted = performance.now();
    if (queued) {
      // Every waiting message comes due at once, as at a send-later time.
      offset = 3601_000;
      drainStarted = performance.now();
      core.outbox.wake();
    }
    await done;
    const ms = performance.now() - started;
    return { ms, ...cpu(), enqueuedMs, drainMs: performance.now() - drainStarted, startRss, queuedRss, peakRss: hwmKb(), sent, failed };
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const result = mode === 'nodemailer' ? await raw() : mode === 'grouped' || mode === 'grouped-files' ? await grouped(mode === 'grouped-files') : await mailwright(mode === 'queued', mode !== 'mailwright-html');
process.stdout.write(JSON.stringify({ mode: contender, count, ...result }) + '\n');
process.exit(0);
