import type { AddressInfo } from 'node:net';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { invokeChannel } from '../../electron/core/invoke';
import type { OutboxItem, OutboxState } from '../../shared/model/outbox';
import { FakeClock } from '../helpers/fake-clock';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { noJitter, TEST_RETRY, testDraft } from '../helpers/outbox-harness';
import { tempDir } from '../helpers/temp-dir';

// Load: many queued messages across five accounts, each on its own real loopback SMTP server that
// fails a third of its mail transactions — a 451 at RCPT (temporary: retried), a 554 after the
// final dot (permanent: failed) or a connection dropped at MAIL FROM (temporary: retried) — on a
// fake clock that runs the retries. Every message must end sent or failed per the rules, none
// lost, none delivered twice (counted by Message-ID on the servers), memory bounded, and
// outbox:list answering throughout.
//
// `npm test` runs 1,000 messages; MAILWRIGHT_LOAD_FULL=1 runs the full 10,000 (see README, Tests).
const FULL = process.env.MAILWRIGHT_LOAD_FULL === '1';
const TOTAL = FULL ? 10_000 : 1_000;
const ACCOUNTS = 5;

interface LoadServer {
  port: number;
  /** Message-ID → how many times the server accepted it (250 after the final dot) */
  accepted: Map<string, number>;
  /** Message-IDs refused with a 5xx after the whole message arrived */
  refused: Set<string>;
  transactions: number;
  faults: { temp: number; perm: number; dropped: number };
  close(): Promise<void>;
}

/** A copy of the match, not a slice of the whole message it was found in (which the slice would keep alive). */
const messageIdOf = (raw: string) => Buffer.from(/^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '', 'latin1').toString('latin1');

/** A real smtp-server whose every third transaction fails, the kind of failure rotating. */
async function flakyServer(): Promise<LoadServer> {
  const accepted = new Map<string, number>();
  const refused = new Set<string>();
  const faults = { temp: 0, perm: 0, dropped: 0 };
  const state = { transactions: 0 };
  const plan = new Map<string, 'temp' | 'perm' | 'drop' | 'ok'>();
  const server: SMTPServer = new SMTPServer({
    logger: false,
    closeTimeout: 500, // not smtp-server's 30 s wait for connected clients on close()
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onMailFrom: (_address, session, callback) => {
      const n = ++state.transactions;
      const kind = n % 3 !== 0 ? 'ok' : (['temp', 'perm', 'drop'] as const)[(n / 3) % 3]!;
      plan.set(session.id, kind);
      if (kind === 'drop') {
        faults.dropped++;
        // Hang up mid-conversation, as a crashing server or a broken network would.
        const connection = [...(server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections].find((c) => c.id === session.id);
        connection?._socket.destroy();
        return;
      }
      callback();
    },
    onRcptTo: (_address, session, callback) => {
      if (plan.get(session.id) === 'temp') {
        faults.temp++;
        return callback(Object.assign(new Error('4.3.0 Busy, try again later'), { responseCode: 451 }));
      }
      callback();
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const id = messageIdOf(Buffer.concat(chunks).toString('latin1'));
        if (plan.get(session.id) === 'perm') {
          faults.perm++;
          refused.add(id);
          return callback(Object.assign(new Error('5.7.1 Message rejected as spam'), { responseCode: 554 }));
        }
        accepted.set(id, (accepted.get(id) ?? 0) + 1);
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    accepted,
    refused,
    faults,
    get transactions() {
      return state.transactions;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const servers: LoadServer[] = [];
let core: Core | undefined;
afterAll(async () => {
  await core?.close();
  await Promise.all(servers.map((s) => s.close()));
});

const WAITING: readonly OutboxState[] = ['held', 'scheduled', 'sending', 'retrying'];
const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
// A full collection before each measurement, so what is measured is what is kept, not garbage.
// Several, in fact: V8 drops a function's bytecode only once it went unused through
// --bytecode-old-age (5) collections, so after a single one whether ~1,000 functions' bytecode
// (~0.4 MB, 0.4 KB "per message" here) still counted was left to timing.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/**
 * The heap that holds data, after collecting: compiled code is left out (the code spaces, and the
 * trusted spaces that hold its metadata: deopt data, relocation info). How much of it the
 * optimiser makes for the paths taken depends on timing, not on messages kept: on a loaded machine
 * it added most of a megabyte in one run of the whole suite.
 */
const heapMb = () => {
  for (let i = 0; i < 6; i++) gc();
  const data = getHeapSpaceStatistics().filter((s) => !s.space_name.startsWith('code_') && !s.space_name.startsWith('trusted_'));
  return data.reduce((sum, s) => sum + s.space_used_size, 0) / 1024 / 1024;
};

describe(`load: ${TOTAL.toLocaleString('en')} messages, five accounts, five servers failing a third of the time`, () => {
  it('every message ends sent, failed or outcome-unknown per the rules, none lost, none twice; memory bounded; outbox:list keeps answering', async () => {
    const dir = tempDir('mailwright-load-');
    onTestFinished(async () => {
      // Before the data directory goes (a failed assertion must not leave attempts running on it).
      await core?.close();
      core = undefined;
    });
    const clock = new FakeClock();
    for (let i = 0; i < ACCOUNTS; i++) servers.push(await flakyServer());
    core = await createCore({ dataDir: dir, clock, autoRun: true, retry: TEST_RETRY, random: noJitter, keychain: new MemorySecretStore() });
    const accounts: Array<{ id: string }> = [];
    for (const [i, s] of servers.entries()) {
      accounts.push(await core.handlers['accounts:save']({ name: `Load ${i}`, email: `load${i}@example.test`, displayName: '', host: '127.0.0.1', port: s.port, security: 'none' }));
    }
    // Two halves, each queued in batches while the outbox already sends (as in use): the first
    // messages go out, fail and wait for retries while the last ones are still being queued. The
    // heap is measured over the second half only: the first compiles the paths taken (sending,
    // each kind of failure, retries), whose code metadata grows the heap by a constant that under
    // a loaded machine's timing came to about a kilobyte "per message" of a thousand.
    const rssBefore = rssMb();
    // Only what the checks at the end need: the test's own records of each message are part of the heap measured.
    const queued: Array<{ id: string; messageId: string }> = [];
    const BATCH = 50;
    let lists = 0;
    let listedWhileBusy = 0;
    let slowestListMs = 0;
    let queueMs = 0;
    let sendMs = 0;
    const half = async (from: number, to: number) => {
      const t0 = Date.now();
      for (let i = from; i < to; i += BATCH) {
        const items = await Promise.all(
          Array.from({ length: Math.min(BATCH, to - i) }, (_, j) =>
            core!.outbox.enqueue(testDraft(accounts[(i + j) % ACCOUNTS]!.id, { subject: `Load #${i + j}`, to: [`rcpt${(i + j) % 97}@example.test`], text: `message ${i + j}\n`.repeat(20) })),
          ),
        );
        queued.push(...items.map((item) => ({ id: item.id, messageId: item.messageId })));
      }
      const t1 = Date.now();
      queueMs += t1 - t0;
      // Keep moving the clock past each backoff until nothing waits any more. outbox:list is
      // asked between steps, while work is in flight.
      clock.advance(60_000);
      for (let round = 0; ; round++) {
        await new Promise((r) => setTimeout(r, 200));
        const asked = Date.now();
        const listed = await invokeChannel(core!.handlers, 'outbox:list', undefined);
        slowestListMs = Math.max(slowestListMs, Date.now() - asked);
        lists++;
        expect(listed.ok).toBe(true);
        const items = (listed as { value: OutboxItem[] }).value;
        expect(items).toHaveLength(to); // never one lost, even mid-flight
        const busy = items.filter((i) => WAITING.includes(i.state));
        if (busy.length) listedWhileBusy++;
        if (!busy.length) break;
        // Nothing in flight: only retries wait; their next backoff is at most the policy's maximum.
        if (!busy.some((i) => i.state === 'sending' || (i.dueAt && Date.parse(i.dueAt) <= clock.now().getTime()))) {
          await core!.outbox.idle();
          clock.advance(TEST_RETRY.maxMs);
        }
        expect(round, 'rounds').toBeLessThan(TOTAL * 5);
      }
      await core!.outbox.idle();
      sendMs += Date.now() - t1;
    };
    const HALF = TOTAL / 2;
    await half(0, HALF);
    // Measured from here (the test's own record of the first half already held) to the end.
    const heapBefore = heapMb();
    await half(HALF, TOTAL);
    const heapGrowthKb = ((heapMb() - heapBefore) * 1024) / HALF;
    expect(new Set(queued.map((q) => q.messageId)).size).toBe(TOTAL);

    const items = await core.outbox.list();
    const byState = (s: OutboxState) => items.filter((i) => i.state === s);
    const accepted = new Map<string, number>();
    const refused = new Set<string>();
    for (const s of servers) {
      for (const [id, n] of s.accepted) accepted.set(id, (accepted.get(id) ?? 0) + n);
      for (const id of s.refused) refused.add(id);
    }
    // None lost, none twice: each message is sent (and was accepted exactly once) or failed
    // (and was refused with a 5xx, and never accepted).
    expect(items.map((i) => i.id).sort()).toEqual(queued.map((q) => q.id).sort());
    expect([...accepted.values()].every((n) => n === 1), 'a Message-ID accepted twice').toBe(true);
    for (const item of items) {
      if (item.state === 'sent') {
        expect(accepted.get(item.messageId), item.subject).toBe(1);
      } else if (item.state === 'outcome-unknown') {
        // Known limit, reported to the lead: a connection dropped at MAIL FROM on a pooled
        // connection, for a message small enough that nodemailer had already buffered all of it,
        // is parked as outcome-unknown (the outbox cannot tell it from a drop after the final
        // dot). Safe — never resent by itself — but it must never be one the server accepted.
        expect(item.error?.code).toBe('OUTCOME_UNKNOWN');
        expect(accepted.has(item.messageId), item.subject).toBe(false);
      } else {
        expect(item.state, `${item.subject}: ${item.error?.code}`).toBe('failed');
        expect(item.error?.code).toBe('SERVER_PERMANENT');
        expect(item.error?.smtp?.code, JSON.stringify(item.error)).toBe(554);
        expect(refused.has(item.messageId)).toBe(true);
        expect(accepted.has(item.messageId)).toBe(false);
      }
    }
    expect(byState('sent').length + byState('failed').length + byState('outcome-unknown').length).toBe(TOTAL);
    expect(accepted.size).toBe(byState('sent').length);
    // The faults really happened, each kind, and the temporary ones were retried to success.
    const faults = servers.reduce((f, s) => ({ temp: f.temp + s.faults.temp, perm: f.perm + s.faults.perm, dropped: f.dropped + s.faults.dropped }), { temp: 0, perm: 0, dropped: 0 });
    expect(faults.temp).toBeGreaterThan(TOTAL / 20);
    expect(faults.dropped).toBeGreaterThan(TOTAL / 20);
    expect(faults.perm).toBe(byState('failed').length);
    expect(byState('outcome-unknown').length).toBeLessThanOrEqual(faults.dropped);
    expect(items.filter((i) => i.state === 'sent' && i.attempts > 1).length).toBeGreaterThan(0);
    // Each account's mail went to its own server only.
    const accountOf = new Map(accounts.map((a, i) => [a.id, i]));
    for (const item of byState('sent')) expect(servers[accountOf.get(item.accountId)!]!.accepted.has(item.messageId)).toBe(true);
    // outbox:list answered while work was in flight, every time with every message.
    expect(listedWhileBusy).toBeGreaterThan(0);

    const growthKb = ((rssMb() - rssBefore) * 1024) / TOTAL;
    const report = {
      messages: TOTAL,
      queueSeconds: queueMs / 1000,
      sendSeconds: sendMs / 1000,
      sent: byState('sent').length,
      failed: byState('failed').length,
      outcomeUnknown: byState('outcome-unknown').length,
      faults,
      transactions: servers.reduce((n, s) => n + s.transactions, 0),
      heapAfterFirstHalfMb: Math.round(heapBefore),
      rssBeforeMb: Math.round(rssBefore),
      rssAfterMb: Math.round(rssMb()),
      rssGrowthKbPerMessage: Math.round(growthKb * 100) / 100,
      heapGrowthKbPerMessage: Math.round(heapGrowthKb * 100) / 100,
      outboxListCalls: lists,
      slowestOutboxListMs: slowestListMs,
    };
    console.log(`[load] ${JSON.stringify(report)}`);
    // Bounded: the outbox keeps its messages on disk, not in memory. What stays on the heap after
    // a full collection must not grow with the messages handled: keeping each message's bytes
    // (about 2 KB here) or its item would exceed this. RSS is reported, not asserted: V8 keeps
    // freed pages, so its growth says more about the allocator than about what is kept.
    expect(heapGrowthKb).toBeLessThan(1);
  }, FULL ? 1_800_000 : 90_000);
});
