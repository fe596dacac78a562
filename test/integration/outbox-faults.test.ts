import { promises as fs } from 'node:fs';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core';
import { backoffMs } from '../../electron/core/outbox/retry-policy';
import type { ErrorCode } from '../../shared/errors';
import type { OutboxState } from '../../shared/model/outbox';
import { noJitter, outboxHarness, saveAccount, TEST_RETRY, testDraft, until } from '../helpers/outbox-harness';
import { hangUpServer, type HangUpWhen, scriptedServer, type Listening } from '../helpers/tcp-servers';

// The fault matrix: one delivery attempt against a real loopback server that misbehaves in one
// particular way, and the outbox state, attempt count and error it must end with.
const { setup, smtp, track } = outboxHarness();
const backoff = (attempt: number) => backoffMs(attempt, TEST_RETRY, noJitter);

async function scripted(script: (socket: Socket) => void): Promise<Listening> {
  return track(await scriptedServer(script));
}

const BUSY: readonly OutboxState[] = ['scheduled', 'sending'];
/** The outcome of attempt number `n`, whatever it is. */
const attemptEnded = (core: Core, id: string, n: number) => until(core, id, (i) => i.attempts >= n && !BUSY.includes(i.state), `attempt ${n} to end`);
/** Give a timer that just fired the chance to start an attempt, then wait for whatever started. */
async function settle(core: Core) {
  await new Promise((r) => setTimeout(r, 150));
  await core.outbox.idle();
}

const hangUp = async (when: HangUpWhen) => track(await hangUpServer(when));

interface Row {
  fault: string;
  server: () => Promise<{ port: number }>;
  state: OutboxState;
  code: ErrorCode;
  /** the server's reply, as the error must carry it */
  reply?: [number, RegExp];
}

const BOB = 'bob@example.test';
const rows: Row[] = [
  {
    fault: '421 greeting',
    server: () => scripted((socket) => socket.end('421 4.3.2 Too busy, closing channel\r\n')),
    state: 'retrying',
    code: 'SERVER_TEMPORARY',
    reply: [421, /Too busy/],
  },
  { fault: '451 at RCPT', server: () => smtp({ refuseRcpt: { [BOB]: [451, '4.7.1 Greylisted, come back later'] } }), state: 'retrying', code: 'SERVER_TEMPORARY', reply: [451, /Greylisted/] },
  { fault: '452 at RCPT', server: () => smtp({ refuseRcpt: { [BOB]: [452, '4.2.2 Mailbox full'] } }), state: 'retrying', code: 'SERVER_TEMPORARY', reply: [452, /Mailbox full/] },
  { fault: '552 after the final dot', server: () => smtp({ dataReply: [552, '5.3.4 Message size exceeds fixed limit'] }), state: 'failed', code: 'MESSAGE_TOO_LARGE', reply: [552, /size exceeds/] },
  { fault: '554 after the final dot', server: () => smtp({ dataReply: [554, '5.7.1 Message rejected as spam'] }), state: 'failed', code: 'SERVER_PERMANENT', reply: [554, /rejected as spam/] },
  // Accepts the connection and never says a word: only the greeting timeout (10 s, not injectable) ends it.
  { fault: 'silent server', server: () => scripted(() => undefined), state: 'retrying', code: 'TIMEOUT' },
];

describe('one attempt against a faulty server', () => {
  it.each(rows)('$fault → $state ($code)', async ({ server, state, code, reply }) => {
    const { core, clock } = await setup();
    const s = await server();
    const acc = await saveAccount(core, s.port);
    const item = await core.outbox.enqueue(testDraft(acc.id));
    const done = await attemptEnded(core, item.id, 1);
    expect(done).toMatchObject({ state, attempts: 1, error: { code } });
    if (reply) expect(done.error?.smtp).toMatchObject({ code: reply[0], response: expect.stringMatching(reply[1]) });
    if (state === 'retrying') expect(Date.parse(done.dueAt!)).toBe(clock.now().getTime() + backoff(1));
    else expect(done.dueAt).toBeUndefined();
    // Nothing more happens by itself: not before the retry is due, and never after a permanent failure.
    clock.advance(state === 'retrying' ? backoff(1) - 1 : TEST_RETRY.lifetimeMs);
    await settle(core);
    expect((await core.outbox.list())[0]).toMatchObject({ state, attempts: 1 });
  });
});

/** This process's open files (Linux /proc) whose path ends so. */
async function openFilesEndingWith(suffix: string): Promise<string[]> {
  const fds = await fs.readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((t) => t.endsWith(suffix));
}

describe('a connection lost inside DATA', () => {
  // Large enough that the client is still writing the body when the server hangs up mid-way.
  const big = 'The quick brown fox jumps over the lazy dog, again and again.\n'.repeat(200_000);
  it.each([
    { when: 'mid-data' as const, state: 'retrying' as const, code: 'SERVER_TEMPORARY' as const, dotsSeen: 0, attemptsAnHourLater: 2 },
    { when: 'after-dot' as const, state: 'outcome-unknown' as const, code: 'OUTCOME_UNKNOWN' as const, dotsSeen: 1, attemptsAnHourLater: 1 },
  ])('$when → $state', async ({ when, state, code, dotsSeen, attemptsAnHourLater }) => {
    const { core, clock } = await setup();
    const server = await hangUp(when);
    const acc = await saveAccount(core, server.port);
    const item = await core.outbox.enqueue(testDraft(acc.id, { text: big }));
    const done = await attemptEnded(core, item.id, 1);
    expect(server).toMatchObject({ datas: 1, dots: dotsSeen });
    if (when === 'mid-data') expect(server.bodyBytes).toBeLessThan(item.size);
    expect(done).toMatchObject({ state, attempts: 1, error: { code } });
    expect(await openFilesEndingWith(`${item.id}.eml`)).toEqual([]); // the broken attempt closed its file (Windows would keep it locked)
    if (state === 'retrying') expect(Date.parse(done.dueAt!)).toBe(clock.now().getTime() + backoff(1));
    // An hour later: the message that did not go out was tried again; the one that may have arrived never is.
    clock.advance(3600_000);
    const later = await attemptEnded(core, item.id, attemptsAnHourLater);
    await settle(core);
    expect(later.attempts).toBe(attemptsAnHourLater);
    expect(server.datas).toBe(attemptsAnHourLater);
    expect((await core.outbox.list())[0]).toMatchObject({ state, attempts: attemptsAnHourLater });
  });
});

describe('recipients and recovery', () => {
  it('half the recipients refused → partially-delivered; retry goes only to the refused ones', async () => {
    const { core } = await setup();
    const everyone = ['a@example.test', 'b@example.test', 'c@example.test', 'd@example.test'];
    const refusals: Record<string, [number, string]> = { 'b@example.test': [550, '5.1.1 No such user'], 'd@example.test': [550, '5.2.1 Mailbox disabled'] };
    const s = await smtp({ refuseRcpt: refusals }); // read at each RCPT: emptied below, the mailboxes come back
    const acc = await saveAccount(core, s.port);
    const item = await core.outbox.enqueue(testDraft(acc.id, { to: everyone }));
    const partial = await attemptEnded(core, item.id, 1);
    expect(partial).toMatchObject({ state: 'partially-delivered', attempts: 1 });
    expect(partial.accepted?.sort()).toEqual(['a@example.test', 'c@example.test']);
    expect(partial.rejected?.sort((x, y) => x.address.localeCompare(y.address))).toEqual([
      { address: 'b@example.test', code: 550, response: expect.stringContaining('No such user') },
      { address: 'd@example.test', code: 550, response: expect.stringContaining('Mailbox disabled') },
    ]);
    expect(s.received.map((m) => m.to.sort())).toEqual([['a@example.test', 'c@example.test']]);

    for (const address of Object.keys(refusals)) delete refusals[address];
    await core.outbox.retry(item.id);
    const sent = await attemptEnded(core, item.id, 2);
    expect(sent).toMatchObject({ state: 'sent', attempts: 2 });
    expect(sent.accepted?.sort()).toEqual(everyone);
    expect(s.received.map((m) => m.to.sort())).toEqual([['a@example.test', 'c@example.test'], ['b@example.test', 'd@example.test']]);
  });

  it('two temporary failures, then the server recovers → sent on attempt 3, the same message every time', async () => {
    const { core, clock } = await setup();
    const s = await smtp({ dataReplies: [[451, '4.3.0 Queue full, try later'], [451, '4.3.0 Queue full, try later']] });
    const acc = await saveAccount(core, s.port);
    const item = await core.outbox.enqueue(testDraft(acc.id));
    for (const attempt of [1, 2]) {
      const failed = await attemptEnded(core, item.id, attempt);
      expect(failed).toMatchObject({ state: 'retrying', attempts: attempt, error: { code: 'SERVER_TEMPORARY', smtp: { code: 451 } } });
      expect(Date.parse(failed.dueAt!) - clock.now().getTime()).toBe(backoff(attempt));
      clock.advance(backoff(attempt) - 1);
      await settle(core);
      expect((await core.outbox.list())[0]!.attempts).toBe(attempt); // not a moment early
      clock.advance(1);
    }
    const sent = await attemptEnded(core, item.id, 3);
    expect(sent).toMatchObject({ state: 'sent', attempts: 3 });
    expect(sent.error).toBeUndefined();
    expect(s.bodies.map((m) => m.parsed.messageId)).toEqual([item.messageId, item.messageId, item.messageId]);
    expect(new Set(s.bodies.map((m) => m.raw.toString('latin1'))).size).toBe(1); // the very same bytes
    expect(s.received).toHaveLength(1);
  });
});
