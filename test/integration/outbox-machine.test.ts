import { mkdirSync, promises as fs, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/core';
import { makeOutbox } from '../../bench/outbox-view';
import { OVERVIEW_ROWS, overviewOf } from '../../shared/model/outbox-groups';
import { FakeClock } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';
import { scriptedServer } from '../helpers/tcp-servers';
import { draftText } from '../../shared/model/draft';
import { outboxHarness, reaches, saveAccount, TEST_RETRY, testDraft, until } from '../helpers/outbox-harness';

// The outbox state machine against real SMTP servers, with time under the test's control.
const { setup, smtp, track } = outboxHarness();

describe('undo send', () => {
  it('holds the message for the undo window, and undo gives back the exact draft and sends nothing', async () => {
    const { core, clock } = await setup();
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    const d = testDraft(acc.id, { subject: 'Отменить?', html: '<p>Hola <b>Ana</b></p>', cc: ['c@example.test'], options: { undoSeconds: 10 } });
    const item = await core.outbox.enqueue(d);
    expect(item.state).toBe('held');
    clock.advance(5_000);
    const back = await core.outbox.undo(item.id);
    expect(back).toEqual({ draft: draftText(d), missing: [] });
    clock.advance(60_000);
    await core.outbox.idle();
    // Cancelled, and marked as taken back: the outbox folds it away (its text is in the composer).
    expect((await core.outbox.list())[0]).toMatchObject({ state: 'cancelled', takenBack: true });
    expect(s.sessions).toBe(0);
  });

  it('an undo racing the end of the window: exactly one wins, never both', async () => {
    for (let round = 0; round < 6; round++) {
      const { core, clock } = await setup();
      const s = await smtp();
      const acc = await saveAccount(core, s.port);
      const item = await core.outbox.enqueue(testDraft(acc.id, { options: { undoSeconds: 5 } }));
      clock.advance(5_000); // due now: the scheduler starts the send…
      if (round % 2) await new Promise((r) => setImmediate(r)); // …sometimes a tick before the undo
      const undo = core.outbox.undo(item.id).then(() => 'undone', () => 'too late');
      const outcome = await undo;
      await core.outbox.idle();
      const final = await reaches(core, item.id, ['cancelled', 'sent']);
      if (outcome === 'undone') {
        expect(final.state).toBe('cancelled');
        expect(s.received).toHaveLength(0);
      } else {
        expect(final.state).toBe('sent');
        expect(s.received).toHaveLength(1);
      }
      await core.close();
    }
  });
});

describe('send later', () => {
  it('survives a restart and goes out at its time', async () => {
    const clock = new FakeClock();
    const first = await setup({ clock });
    const s = await smtp();
    const acc = await saveAccount(first.core, s.port);
    const at = new Date(clock.now().getTime() + 3600_000);
    const item = await first.core.outbox.enqueue(testDraft(acc.id, { options: { sendAt: at.toISOString() } }));
    expect(item).toMatchObject({ state: 'scheduled', dueAt: at.toISOString() });
    await first.core.close();

    clock.advance(1800_000);
    const second = await setup({ clock, dir: first.dir });
    const waiting = (await second.core.outbox.list())[0]!;
    expect(waiting.state).toBe('scheduled');
    expect(waiting.overdue).toBeFalsy(); // not yet due: no question to ask
    clock.advance(1800_000 + 1);
    const sent = await reaches(second.core, item.id, ['sent']);
    expect(sent.attempts).toBe(1);
    expect(s.received).toHaveLength(1);
  });

  it('mail that became due while nothing ran waits for the user: send now, reschedule or cancel', async () => {
    const clock = new FakeClock();
    const first = await setup({ clock });
    const s = await smtp();
    const acc = await saveAccount(first.core, s.port);
    const at = new Date(clock.now().getTime() + 60_000).toISOString();
    const a = await first.core.outbox.enqueue(testDraft(acc.id, { subject: 'A', options: { sendAt: at } }));
    const b = await first.core.outbox.enqueue(testDraft(acc.id, { subject: 'B', options: { sendAt: at } }));
    const c = await first.core.outbox.enqueue(testDraft(acc.id, { subject: 'C', options: { sendAt: at } }));
    await first.core.close();

    clock.advance(3600_000);
    const { core } = await setup({ clock, dir: first.dir });
    await core.outbox.idle();
    const items = await core.outbox.list();
    expect(items.map((i) => [i.subject, i.state, i.overdue]).sort()).toEqual([['A', 'scheduled', true], ['B', 'scheduled', true], ['C', 'scheduled', true]]);
    expect(s.sessions).toBe(0); // nothing sent blindly
    await core.outbox.sendNow(a.id);
    await reaches(core, a.id, ['sent']);
    await core.outbox.reschedule(b.id, new Date(clock.now().getTime() + 600_000));
    await core.outbox.cancel(c.id);
    expect((await core.outbox.list()).map((i) => [i.subject, i.state]).sort()).toEqual([['A', 'sent'], ['B', 'scheduled'], ['C', 'cancelled']]);
    expect(s.received.map((m) => m.parsed.subject)).toEqual(['A']);
  });
});

describe('retries', () => {
  it('backs off 30 s then 60 s, and succeeds when the server recovers, with the same Message-ID', async () => {
    const { core, clock } = await setup();
    const s = await smtp({ failFirst: 2 });
    const acc = await saveAccount(core, s.port);
    const item = await core.outbox.enqueue(testDraft(acc.id));
    const first = await reaches(core, item.id, ['retrying']);
    expect(first.error?.code).toBe('SERVER_TEMPORARY');
    expect(Date.parse(first.dueAt!) - clock.now().getTime()).toBe(30_000); // random 0.5 → no jitter
    clock.advance(30_000);
    const second = await until(core, item.id, (i) => i.state === 'retrying' && i.attempts === 2, 'the second attempt to fail');
    expect(Date.parse(second.dueAt!) - clock.now().getTime()).toBe(60_000);
    clock.advance(60_000);
    const sent = await reaches(core, item.id, ['sent']);
    expect(sent.attempts).toBe(3);
    expect(sent.error).toBeUndefined();
    expect(s.received).toHaveLength(1);
    expect(s.received[0]!.parsed.messageId).toBe(item.messageId);
  });

  it('gives up after the lifetime and says so', async () => {
    // A 10-minute lifetime: 30 s, 60 s, 2 min, 4 min, then the next wait would pass it.
    const { core, clock } = await setup({ retry: { ...TEST_RETRY, lifetimeMs: 10 * 60_000 } });
    const s = await smtp({ failFirst: 1000 });
    const acc = await saveAccount(core, s.port);
    const item = await core.outbox.enqueue(testDraft(acc.id));
    let now = await until(core, item.id, (i) => i.state === 'retrying' || i.state === 'failed', 'a first outcome');
    while (now.state === 'retrying') {
      const attempts = now.attempts;
      clock.advance(Date.parse(now.dueAt!) - clock.now().getTime());
      now = await until(core, item.id, (i) => i.attempts > attempts && (i.state === 'retrying' || i.state === 'failed'), `attempt ${attempts + 1} to end`);
    }
    expect(now.state).toBe('failed');
    expect(now.attempts).toBe(5);
    expect(now.error).toMatchObject({ code: 'SERVER_TEMPORARY', hint: expect.stringMatching(/gave up retrying after 5 attempts/) });
  });

  it('a permanent failure fails at once; a poison message never blocks another account', async () => {
    const { core } = await setup();
    const bad = await smtp({ refuseRcpt: { 'bob@example.test': [550, '5.1.1 No such user'] } });
    const good = await smtp();
    const a = await saveAccount(core, bad.port, 'Bad');
    const b = await saveAccount(core, good.port, 'Good');
    const poison = await core.outbox.enqueue(testDraft(a.id));
    const fine = await core.outbox.enqueue(testDraft(b.id));
    expect((await reaches(core, poison.id, ['failed'])).attempts).toBe(1);
    expect((await reaches(core, fine.id, ['sent'])).attempts).toBe(1);
  });
});

describe('a process that does not run the queue (the CLI)', () => {
  it('sends all of many messages due now, more than its slots, as slots free up', async () => {
    const { core } = await setup({ autoRun: false });
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    const items = await Promise.all(Array.from({ length: 24 }, (_, i) => core.outbox.enqueue(testDraft(acc.id, { subject: `m${i}` }))));
    expect(items.filter((i) => i.state === 'scheduled').length).toBe(8); // 16 went at once
    for (const item of items) await reaches(core, item.id, ['sent']);
    expect(s.received).toHaveLength(24);
  });
});

describe('work queued by another process', () => {
  it('a message the CLI leaves for later is found by the running app within its periodic look, and sent when due', async () => {
    const { core, clock, dir } = await setup(); // the app, sending by itself
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    await core.outbox.idle();
    const { core: cli } = await setup({ dir, clock, autoRun: false }); // `mailwright send --at …` beside it
    const item = await cli.outbox.enqueue(testDraft(acc.id, { options: { sendAt: new Date(clock.now().getTime() + 45_000).toISOString() } }));
    // Nothing tells the app about it but the disk: the look every 30 s reads the outbox again.
    clock.advance(30_000);
    await until(core, item.id, () => true, 'the item to be listed');
    await new Promise((r) => setTimeout(r, 200)); // the look runs on the real event loop
    clock.advance(20_000); // now due
    const sent = await reaches(core, item.id, ['sent']);
    expect(sent.attempts).toBe(1);
    expect(s.received).toHaveLength(1);
  });
});

/** The disk is full exactly when an item's "sending" state is written. */
/**
 * The disk fails whenever a message would become "sending" (the write that starts an attempt, or
 * the commit of one built to go at once): a trigger of this connection only, gone when it closes.
 */
function failWritingSending(core: Core) {
  core.database.db.exec(`
    CREATE TEMP TRIGGER fail_starting BEFORE UPDATE OF state ON outbox_items WHEN NEW.state = 'sending' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;
    CREATE TEMP TRIGGER fail_queueing_sending BEFORE INSERT ON outbox_items WHEN NEW.state = 'sending' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;
  `);
}

describe('storage faults', () => {
  it('a disk that fails when an attempt starts is logged, sends nothing, and does not take the process down', async () => {
    const logged: string[] = [];
    const { core, clock } = await setup({ log: (m) => logged.push(m) });
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    failWritingSending(core);
    // Queued for later, then sent now: the attempt, not the commit, is what meets the failing disk.
    const item = await core.outbox.enqueue(testDraft(acc.id, { options: { sendAt: new Date(clock.now().getTime() + 3600_000).toISOString() } }));
    await core.outbox.sendNow(item.id);
    await until(core, item.id, () => logged.some((m) => m.includes('outbox scheduling failed')), 'the failure to be logged');
    await core.outbox.idle();
    expect((await core.outbox.list())[0]).toMatchObject({ state: 'scheduled' }); // never marked sending, never sent
    expect(s.sessions).toBe(0);
  });

  it('a message file that cannot be read when sending fails the attempt, never the process', async () => {
    // Found in review: the .eml's read stream had no error listener, so EMFILE or EIO there was an
    // uncaught exception. Here the file becomes a folder just as sending starts (EISDIR on read).
    // (A message with a file attached: its bytes are a file; a small one's are in the database.)
    let messages = '';
    const { core, dir } = await setup({
      checkpoint: (step) => {
        if (step !== 'sending') return;
        for (const name of readdirSync(messages)) {
          if (!name.endsWith('.eml')) continue;
          rmSync(join(messages, name));
          mkdirSync(join(messages, name));
        }
      },
    });
    messages = join(dir, 'messages');
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    const file = join(dir, 'note.txt');
    await fs.writeFile(file, 'attached');
    const picked = await core.attachments.register(file);
    const item = await core.outbox.enqueue(testDraft(acc.id, { attachments: [{ handle: picked.handle }] }));
    const after = await reaches(core, item.id, ['retrying', 'failed']);
    expect(after).toMatchObject({ state: 'failed', error: { code: 'STORAGE_FAILED', message: expect.stringContaining('EISDIR') } });
    expect(s.received).toHaveLength(0);
  });

  it('a message due now whose "sending" record cannot be written is not queued: the caller is told, nothing is left behind', async () => {
    // Due now with a slot free, a message is committed straight as "sending" (outbox-service.ts):
    // the failing write is the commit itself, so the draft stays with the caller.
    const { core, dir } = await setup();
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    failWritingSending(core);
    await expect(core.outbox.enqueue(testDraft(acc.id))).rejects.toMatchObject({ info: { code: 'STORAGE_FAILED' } });
    await core.outbox.idle();
    expect(await core.outbox.list()).toEqual([]);
    expect(await fs.readdir(join(dir, 'messages')).catch(() => [])).toEqual([]);
    expect(s.sessions).toBe(0);
  });
});

describe('partial delivery and the duplicate window', () => {
  it('retry after a partial delivery goes only to the refused recipients', async () => {
    const { core } = await setup();
    const server = await smtp(); // accepts everyone
    const flaky = await smtp({ refuseRcpt: { 'carol@example.test': [550, '5.2.1 Mailbox disabled'] } });
    const acc2 = await saveAccount(core, flaky.port, 'Flaky');
    const item = await core.outbox.enqueue(testDraft(acc2.id, { to: ['bob@example.test', 'carol@example.test'] }));
    const partial = await reaches(core, item.id, ['partially-delivered']);
    expect(partial.accepted).toEqual(['bob@example.test']);
    expect(partial.rejected).toEqual([{ address: 'carol@example.test', code: 550, response: expect.stringContaining('Mailbox disabled') }]);
    // The admin re-enables carol's mailbox: point the account at a server that accepts, then retry.
    await core.handlers['accounts:save']({ id: acc2.id, name: 'Flaky', email: 'ana@example.test', displayName: '', host: '127.0.0.1', port: server.port, security: 'none' });
    core.transports.invalidate(acc2.id);
    await core.outbox.retry(item.id);
    const done = await reaches(core, item.id, ['sent']);
    expect(server.received.map((m) => m.to)).toEqual([['carol@example.test']]);
    expect(done.accepted?.sort()).toEqual(['bob@example.test', 'carol@example.test']);
  });

  it('a connection lost after the final dot is outcome-unknown, never resent by itself; resend keeps the Message-ID', async () => {
    const { core, clock } = await setup();
    let datas = 0;
    const dropper = await scriptedServer((socket) => {
      socket.write('220 dropper ESMTP\r\n');
      let inData = false;
      let buffer = '';
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        if (inData) {
          if (buffer.includes('\r\n.\r\n')) {
            datas++;
            socket.destroy(); // the message is in, the reply never comes
          }
          return;
        }
        let i;
        while ((i = buffer.indexOf('\r\n')) >= 0) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (/^EHLO/i.test(line)) socket.write('250-dropper\r\n250 8BITMIME\r\n');
          else if (/^(MAIL|RCPT)/i.test(line)) socket.write('250 OK\r\n');
          else if (/^DATA/i.test(line)) {
            socket.write('354 go ahead\r\n');
            inData = true;
            return;
          } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
          else socket.write('250 OK\r\n');
        }
      });
    });
    track(dropper);
    const acc = await saveAccount(core, dropper.port);
    const item = await core.outbox.enqueue(testDraft(acc.id));
    const unknown = await reaches(core, item.id, ['outcome-unknown', 'retrying', 'failed']);
    expect(unknown.state).toBe('outcome-unknown');
    expect(unknown.error?.code).toBe('OUTCOME_UNKNOWN');
    clock.advance(3600_000);
    await core.outbox.idle();
    expect(datas).toBe(1); // never resent by itself

    const good = await smtp();
    await core.handlers['accounts:save']({ id: acc.id, name: 'Plain', email: 'ana@example.test', displayName: '', host: '127.0.0.1', port: good.port, security: 'none' });
    core.transports.invalidate(acc.id);
    await core.outbox.resend(item.id);
    await reaches(core, item.id, ['sent']);
    expect(good.received[0]!.parsed.messageId).toBe(item.messageId);
  });

});

describe('telling about changes', () => {
  it('a listener that throws is logged; the enqueue it heard about still succeeds, the message is sent, and the other listeners hear every change', async () => {
    const said: string[] = [];
    const { core } = await setup({ log: (m) => said.push(m) });
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    core.events.on('outbox:changed', () => {
      throw new Error('a broken window');
    });
    const heard: string[] = [];
    core.events.on('outbox:changed', (item) => heard.push(item.state));
    const item = await core.outbox.enqueue(testDraft(acc.id));
    await reaches(core, item.id, ['sent']);
    await expect.poll(() => heard).toContain('sent');
    expect(said.some((m) => m.includes('a listener of outbox:changed failed'))).toBe(true);
  });
});

describe('the overview', () => {
  it('each section\'s first rows and its size, chosen by three columns, are what the whole list gives', async () => {
    const dir = tempDir();
    await makeOutbox(dir, 300); // sent, scheduled, failed, partially delivered, outcome unknown, cancelled
    const { core } = await setup({ dir, autoRun: false });
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    // Taken back to the composer (its own section), and one that came due while nothing ran (attention).
    const undone = await core.outbox.enqueue(testDraft(acc.id, { options: { undoSeconds: 30 } }));
    await core.outbox.undo(undone.id);
    const overdue = await core.outbox.enqueue(testDraft(acc.id, { subject: 'overdue', options: { undoSeconds: 30 } }));
    await core.database.write((db) => db.prepare('UPDATE outbox_items SET overdue = 1 WHERE id = ?').run(overdue.id));
    const overview = await core.handlers['outbox:overview'](undefined);
    expect(overview).toEqual(overviewOf(await core.outbox.list(), OVERVIEW_ROWS));
    expect(overview.counts).toMatchObject({ undone: 1, sent: 180, scheduled: 60 });
    expect(overview.items.find((i) => i.id === overdue.id)?.overdue).toBe(true);
  });
});

describe('the list in pages', () => {
  it('walks newest first from a cursor, each message once, whatever is queued during the walk', async () => {
    const { core, clock } = await setup({ autoRun: false });
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    const later = { options: { sendAt: new Date(clock.now().getTime() + 3_600_000).toISOString() } };
    for (let i = 0; i < 5; i++) {
      await core.outbox.enqueue(testDraft(acc.id, { subject: `m${i}`, ...later }));
      clock.advance(1); // distinct creation times
    }
    const first = await core.outbox.listPage({ limit: 2 });
    expect(first.map((i) => i.subject)).toEqual(['m4', 'm3']);
    await core.outbox.enqueue(testDraft(acc.id, { subject: 'newer', ...later }));
    const cursor = (page: typeof first) => ({ createdAt: page.at(-1)!.createdAt, id: page.at(-1)!.id });
    const second = await core.outbox.listPage({ limit: 2, after: cursor(first) });
    expect(second.map((i) => i.subject)).toEqual(['m2', 'm1']);
    expect((await core.outbox.listPage({ limit: 2, after: cursor(second) })).map((i) => i.subject)).toEqual(['m0']);
    expect((await core.outbox.listPage()).map((i) => i.subject)).toEqual(['newer', 'm4', 'm3', 'm2', 'm1', 'm0']);
  });
});
