import { describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../shared/errors';
import { OUTBOX_STATES, type OutboxItem, type OutboxState } from '../../shared/model/outbox';
import { openDatabase } from '../../electron/core/db/open-database';
import { OutboxRepository, type Lease } from '../../electron/core/outbox/outbox-repository';
import { TRANSITIONS, type Transition } from '../../electron/core/outbox/transitions';
import { tempDir } from '../helpers/temp-dir';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const UNKNOWN: ErrorInfo = { code: 'OUTCOME_UNKNOWN', message: 'interrupted', hint: 'check' };

function item(id: string, state: OutboxState, extra: Partial<OutboxItem> = {}): OutboxItem {
  const waiting = state === 'held' || state === 'scheduled' || state === 'retrying';
  return { id, accountId: 'acc', messageId: `<${id}@x>`, subject: id, from: 'a@x', sender: 'a@x', recipients: ['b@x'], state, createdAt: iso(T0), updatedAt: iso(T0), attempts: 0, size: 10, ...(waiting ? { dueAt: iso(T0) } : {}), ...extra };
}

function repository() {
  const { db } = openDatabase(tempDir());
  return { db, repo: new OutboxRepository(db) };
}

/** An item in "sending", taken the only way there is: as due work, under `owner`'s lease. */
function sending(repo: OutboxRepository, id: string, owner = 'app:1', until = T0 + 60_000): Lease {
  repo.insert(item(id, 'scheduled', { dueAt: iso(T0 - 1) }));
  const taken = repo.claimDue(T0, owner, until, 1000).find((t) => t.item.id === id);
  return taken!.lease;
}

const ACTIONS = (Object.keys(TRANSITIONS) as Transition[]).filter((a) => a !== 'start');

describe('the outbox’s transitions', () => {
  it.each(ACTIONS)('%s: allowed from exactly the states its row of the table names', (action) => {
    const { db, repo } = repository();
    const { from, to } = TRANSITIONS[action] as { from: readonly OutboxState[]; to: readonly OutboxState[] | 'same' };
    for (const state of OUTBOX_STATES) {
      const lease = state === 'sending' ? sending(repo, state) : (repo.insert(item(state, state)), undefined);
      const target = to === 'same' ? state : to[0]!;
      const result = repo.change(state, action, (current) => ({ ...current, state: target, ...(target === 'scheduled' || target === 'retrying' ? { dueAt: iso(T0) } : {}), updatedAt: iso(T0 + 1) }), lease);
      if (from.includes(state)) {
        expect(result, `${action} from ${state}`).toMatchObject({ state: target });
        expect(repo.get(state)?.state).toBe(target);
        expect(repo.history(state).at(-1)).toMatchObject({ action, from: state, to: target });
      } else {
        expect(result, `${action} from ${state}`).toEqual({ refused: expect.objectContaining({ state }), busy: false });
        expect(repo.get(state)?.state).toBe(state);
      }
    }
    db.close();
  });

  it('an action may not end in a state its row does not name, nor start a message sending', () => {
    const { db, repo } = repository();
    repo.insert(item('h', 'held'));
    expect(() => repo.change('h', 'undo', (c) => ({ ...c, state: 'sent' }))).toThrow(/undo may not make h sent/);
    expect(() => repo.change('h', 'markOverdue', (c) => ({ ...c, state: 'scheduled' }))).toThrow(/markOverdue may not make h scheduled/);
    expect(() => repo.change('h', 'start', (c) => ({ ...c, state: 'sending' }))).toThrow(/only under a lease of its own/);
    expect(repo.get('h')?.state).toBe('held');
    db.close();
  });

  it('a message being sent changes only under its own attempt’s lease: not another process’s, not an earlier attempt’s, not a user’s action', () => {
    const { db, repo } = repository();
    const first = sending(repo, 's', 'app:1', T0 + 10);
    expect(repo.passNoReturn('s', first)).toBe(true);
    // The lease runs out; the same process takes the message again for a new attempt.
    expect(repo.expireLeases(T0 + 20, UNKNOWN).map((i) => i.state)).toEqual(['outcome-unknown']);
    // The user checked and asked for it again.
    repo.change('s', 'resend', (c) => ({ ...c, state: 'scheduled', dueAt: iso(T0 + 25) }));
    const [second] = repo.claimDue(T0 + 30, 'app:1', T0 + 60_000, 10);
    expect(second!.lease.attempt).not.toBe(first.attempt);
    const sent = (c: OutboxItem): OutboxItem => ({ ...c, state: 'sent', updatedAt: iso(T0 + 40) });
    expect(repo.change('s', 'delivered', sent, first)).toMatchObject({ busy: true, refused: { state: 'sending' } });
    expect(repo.change('s', 'delivered', sent, { ...second!.lease, owner: 'cli:2' })).toMatchObject({ busy: true });
    expect(repo.change('s', 'cancel', (c) => ({ ...c, state: 'cancelled' }))).toMatchObject({ busy: true });
    expect(repo.change('s', 'delivered', sent, second!.lease)).toMatchObject({ state: 'sent' });
    db.close();
  });

  it('the server’s acceptance is recorded even after the lease was taken over as outcome-unknown', () => {
    const { db, repo } = repository();
    const lease = sending(repo, 's', 'app:1', T0 + 10);
    repo.passNoReturn('s', lease);
    expect(repo.expireLeases(T0 + 20, UNKNOWN)).toMatchObject([{ state: 'outcome-unknown', error: UNKNOWN }]);
    expect(repo.change('s', 'delivered', (c) => ({ ...c, state: 'sent', updatedAt: iso(T0 + 30) }), lease)).toMatchObject({ state: 'sent' });
    db.close();
  });

  it('refuses rows that could never be taken: "sending" without a lease, waiting without a due time', () => {
    const { db, repo } = repository();
    expect(() => repo.insert(item('a', 'sending'))).toThrow(/CHECK constraint failed/);
    expect(() => repo.insert(item('b', 'scheduled', { dueAt: undefined }))).toThrow(/CHECK constraint failed/);
    db.close();
  });

  it('a cancelled message lets go of its kept draft; one rescheduled keeps it', () => {
    const { db, repo } = repository();
    repo.insert(item('c', 'held', { dueAt: iso(T0 + 10_000) }), undefined, { keptDraft: '{"draft":{}}' });
    repo.insert(item('r', 'scheduled', { dueAt: iso(T0 + 10_000) }), undefined, { keptDraft: '{"draft":{}}' });
    repo.change('r', 'reschedule', (c) => ({ ...c, dueAt: iso(T0 + 20_000) }));
    repo.change('c', 'cancel', (c) => ({ ...c, state: 'cancelled' }));
    expect(repo.keptDraft('c')).toBeUndefined();
    expect(repo.keptDraft('r')).toBe('{"draft":{}}');
    expect(repo.keptDrafts()).toEqual(['{"draft":{}}']);
    db.close();
  });

  it('an unknown id is undefined, not a refusal', () => {
    const { db, repo } = repository();
    expect(repo.change('nope', 'cancel', (c) => c)).toBeUndefined();
    db.close();
  });
});

describe('taking due work', () => {
  it('takes only what is due, not overdue and waiting to start, oldest due first, each once; counts the attempt', () => {
    const { db, repo } = repository();
    repo.insert(item('due-late', 'scheduled', { dueAt: iso(T0 - 1_000) }));
    repo.insert(item('due-early', 'retrying', { dueAt: iso(T0 - 5_000), attempts: 2 }));
    repo.insert(item('held-due', 'held', { dueAt: iso(T0) }));
    repo.insert(item('future', 'scheduled', { dueAt: iso(T0 + 1) }));
    repo.insert(item('overdue', 'scheduled', { dueAt: iso(T0 - 9_000), overdue: true }));
    repo.insert(item('failed', 'failed'));
    const taken = repo.claimDue(T0, 'app:1', T0 + 60_000, 10);
    expect(taken.map((t) => t.item.id)).toEqual(['due-early', 'due-late', 'held-due']);
    expect(taken.every((t) => t.item.state === 'sending' && t.item.dueAt === undefined)).toBe(true);
    expect(new Set(taken.map((t) => t.lease.attempt)).size).toBe(3);
    expect(repo.get('due-early')?.attempts).toBe(3);
    expect(repo.history('due-early').at(-1)).toMatchObject({ action: 'start', from: 'retrying', to: 'sending' });
    expect(repo.claimDue(T0, 'cli:2', T0 + 60_000, 10)).toEqual([]);
    expect(repo.nextDue()).toBe(T0 + 1);
    db.close();
  });

  it('reads waiting messages through an index of exactly the states a message starts from (a take does not read the whole queue)', () => {
    const { db, repo } = repository();
    const { sql } = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'outbox_items_waiting'`).get() as { sql: string };
    const states = [...(/state IN \(([^)]*)\)/.exec(sql)?.[1] ?? '').matchAll(/'([a-z-]+)'/g)].map((m) => m[1]);
    expect(states).toEqual([...TRANSITIONS.start.from]); // in the same order: SQLite matches the terms as written
    expect(sql).toMatch(/AND overdue = 0$/);
    // The statements name that index: one it could not use would fail as they are prepared.
    // The oldest is overdue (it waits for the user): neither due next nor taken.
    for (let i = 0; i < 300; i++) repo.insert(item(`q${i}`, i % 3 ? 'scheduled' : 'held', { dueAt: iso(T0 - i), ...(i % 7 && i !== 299 ? {} : { overdue: true }) }));
    expect(repo.nextDue()).toBe(T0 - 298);
    expect(repo.claimDue(T0, 'app:1', T0 + 1, 3).map((t) => t.item.id)).toEqual(['q298', 'q297', 'q296']);
    db.close();
  });

  it('takes at most the limit, the longest-waiting first', () => {
    const { db, repo } = repository();
    for (let i = 0; i < 5; i++) repo.insert(item(`m${i}`, 'scheduled', { dueAt: iso(T0 - 1000 * (5 - i)) }));
    expect(repo.claimDue(T0, 'app:1', T0 + 1, 2).map((t) => t.item.id)).toEqual(['m0', 'm1']);
    db.close();
  });

  it('a lease renewed in time holds; one not renewed expires: outcome-unknown past the point of no return, never resent by itself; before it, due again', () => {
    const { db, repo } = repository();
    const a = sending(repo, 'a', 'cli:9', T0 + 10_000);
    const b = sending(repo, 'b', 'cli:9', T0 + 10_000);
    // `a` may have sent its final dot; `b` never came near it.
    expect(repo.passNoReturn('a', a)).toBe(true);
    expect(repo.expireLeases(T0 + 5_000, UNKNOWN)).toEqual([]);
    expect(repo.renewLeases('cli:9', [a.attempt, b.attempt], T0 + 20_000)).toBe(2);
    expect(repo.expireLeases(T0 + 15_000, UNKNOWN)).toEqual([]);
    // Not renewed in time; another process's look takes them over, and then they are no longer the owner's.
    const expired = repo.expireLeases(T0 + 25_000, UNKNOWN);
    expect(repo.renewLeases('cli:9', [a.attempt, b.attempt], T0 + 40_000)).toBe(0);
    expect(expired.map((i) => [i.id, i.state]).sort()).toEqual([['a', 'outcome-unknown'], ['b', 'retrying']]);
    expect(repo.get('a')?.dueAt).toBeUndefined();
    expect(repo.get('a')?.error).toEqual(UNKNOWN);
    expect(repo.get('b')).toMatchObject({ dueAt: iso(T0 + 25_000), sendAtNextRun: true });
    expect(repo.get('b')?.error).toBeUndefined();
    expect(repo.history('b').at(-1)).toMatchObject({ action: 'leaseExpired', from: 'sending', to: 'retrying' });
    // The attempt that lost its lease may not pass the point of no return any more.
    expect(repo.passNoReturn('b', b)).toBe(false);
    // Only `b` is taken again, by a new attempt that starts before the point of no return.
    const again = repo.claimDue(T0 + 30_000, 'app:1', T0 + 90_000, 10);
    expect(again.map((t) => t.item.id)).toEqual(['b']);
    expect(repo.expireLeases(T0 + 100_000, UNKNOWN).map((i) => [i.id, i.state])).toEqual([['b', 'retrying']]);
    db.close();
  });

  it('a row no attempt vouched for (an older version took it) is outcome-unknown when its lease runs out, never retried', () => {
    const { db, repo } = repository();
    const lease = sending(repo, 'old', 'app:1', T0 + 10);
    // What an older version's claim leaves: the column at its default.
    db.prepare(`UPDATE outbox_items SET retry_safe = 0 WHERE id = 'old'`).run();
    expect(repo.expireLeases(T0 + 20, UNKNOWN).map((i) => i.state)).toEqual(['outcome-unknown']);
    expect(repo.passNoReturn('old', lease)).toBe(false);
    db.close();
  });

  it('a message whose senders died before its final dot five times, or past its deadline, failed: never sent, left to the user', () => {
    const { db, repo } = repository();
    repo.insert(item('often', 'scheduled', { dueAt: iso(T0), silentRetries: 5 }));
    repo.insert(item('late', 'scheduled', { dueAt: iso(T0), giveUpAt: iso(T0 + 5) }));
    // Attempts that failed in the ordinary way (4xx, backoff) do not count.
    repo.insert(item('tried', 'scheduled', { dueAt: iso(T0), attempts: 9, silentRetries: 4 }));
    repo.claimDue(T0, 'app:1', T0 + 10, 10);
    const expired = repo.expireLeases(T0 + 20, UNKNOWN);
    expect(expired.map((i) => [i.id, i.state]).sort()).toEqual([
      ['late', 'failed'],
      ['often', 'failed'],
      ['tried', 'retrying'],
    ]);
    expect(repo.get('often')?.error).toMatchObject({ code: 'INTERNAL_ERROR', message: expect.stringMatching(/stopped while getting this message ready to send, 5 times; it was never sent/) });
    expect(repo.get('tried')?.silentRetries).toBe(5);
    db.close();
  });

  it('a lease that ran out while its machine slept is renewed by its attempt, if no other process took the message over', () => {
    const { db, repo } = repository();
    const late = sending(repo, 'late', 'app:1', T0 + 10);
    expect(repo.renewLeases('app:1', [late.attempt], T0 + 3_600_000)).toBe(1);
    expect(repo.expireLeases(T0 + 3_000_000, UNKNOWN)).toEqual([]);
    db.close();
  });

  it('a process never expires the attempts it is running (its clock jumped after a sleep), and renews only those', () => {
    const { db, repo } = repository();
    const mine = sending(repo, 'mine', 'app:1', T0 + 10);
    // An attempt of the same process that ended without recording its outcome (a full disk): not renewed, so it runs out.
    const ended = sending(repo, 'ended', 'app:1', T0 + 10);
    repo.passNoReturn('ended', ended);
    sending(repo, 'theirs', 'cli:2', T0 + 10);
    expect(repo.renewLeases('app:1', [mine.attempt], T0 + 20)).toBe(1);
    expect(repo.expireLeases(T0 + 3_600_000, UNKNOWN, [mine.attempt]).map((i) => i.id).sort()).toEqual(['ended', 'theirs']);
    expect(repo.get('mine')?.state).toBe('sending');
    expect(repo.get('ended')?.state).toBe('outcome-unknown');
    expect(ended.attempt).not.toBe(mine.attempt);
    expect(repo.expireLeases(T0 + 3_600_000, UNKNOWN).map((i) => i.id)).toEqual(['mine']);
    db.close();
  });
});

describe('listing', () => {
  it('pages newest first with a cursor, each item once', () => {
    const { db, repo } = repository();
    for (let i = 0; i < 7; i++) repo.insert(item(`m${i}`, 'sent', { createdAt: iso(T0 + (i % 3) * 1000) }));
    const seen: string[] = [];
    let after: OutboxItem | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = repo.page(3, after);
      seen.push(...page.map((i) => i.id));
      if (page.length < 3) break;
      after = page.at(-1);
    }
    expect(seen.length).toBe(7);
    expect(new Set(seen).size).toBe(7);
    const created = seen.map((id) => repo.get(id)!.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    db.close();
  });
});
