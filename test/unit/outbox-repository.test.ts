import { describe, expect, it } from 'vitest';
import { OUTBOX_STATES, type OutboxItem, type OutboxState } from '../../shared/model/outbox';
import { openDatabase } from '../../electron/core/db/open-database';
import { OutboxRepository, type Lease } from '../../electron/core/outbox/outbox-repository';
import { TRANSITIONS, type Transition } from '../../electron/core/outbox/transitions';
import { tempDir } from '../helpers/temp-dir';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const mine: Lease = { owner: 'app:1', until: T0 + 60_000 };
const theirs: Lease = { owner: 'cli:2', until: T0 + 60_000 };

function item(id: string, state: OutboxState, extra: Partial<OutboxItem> = {}): OutboxItem {
  return { id, accountId: 'acc', messageId: `<${id}@x>`, subject: id, from: 'a@x', sender: 'a@x', recipients: ['b@x'], state, createdAt: iso(T0), updatedAt: iso(T0), attempts: 0, size: 10, ...extra };
}

function repository() {
  const { db } = openDatabase(tempDir());
  return { db, repo: new OutboxRepository(db) };
}

const ACTIONS = Object.keys(TRANSITIONS) as Transition[];

describe('the outbox’s transitions', () => {
  it.each(ACTIONS)('%s: allowed from exactly the states its row of the table names', (action) => {
    const { db, repo } = repository();
    const { from, to } = TRANSITIONS[action] as { from: readonly OutboxState[]; to: readonly OutboxState[] };
    for (const state of OUTBOX_STATES) {
      repo.insert(item(state, state), state === 'sending' ? mine : undefined);
      const result = repo.change(state, action, (current) => ({ ...current, state: to[0]!, updatedAt: iso(T0 + 1) }), mine);
      if (from.includes(state)) {
        expect(result, `${action} from ${state}`).toMatchObject({ state: to[0] });
        expect(repo.get(state)?.state).toBe(to[0]);
        expect(repo.history(state).at(-1)).toMatchObject({ action, from: state, to: to[0] });
      } else {
        expect(result, `${action} from ${state}`).toEqual({ refused: expect.objectContaining({ state }) });
        expect(repo.get(state)?.state).toBe(state);
      }
    }
    db.close();
  });

  it('an action may not end in a state its row does not name', () => {
    const { db, repo } = repository();
    repo.insert(item('h', 'held'));
    expect(() => repo.change('h', 'undo', (c) => ({ ...c, state: 'sent' }))).toThrow(/undo may not make h sent/);
    expect(repo.get('h')?.state).toBe('held');
    db.close();
  });

  it('a message being sent changes only under the lease it is sent under: not another process’s, not a user’s action', () => {
    const { db, repo } = repository();
    repo.insert(item('s', 'sending'), theirs);
    expect(repo.change('s', 'delivered', (c) => ({ ...c, state: 'sent' }), mine)).toMatchObject({ refused: { state: 'sending' } });
    expect(repo.change('s', 'cancel', (c) => ({ ...c, state: 'cancelled' }))).toMatchObject({ refused: { state: 'sending' } });
    expect(repo.change('s', 'delivered', (c) => ({ ...c, state: 'sent' }), theirs)).toMatchObject({ state: 'sent' });
    // Leaving "sending" lets go of the lease: nobody answers for a sent message.
    expect(repo.expiredLeases(Number.MAX_SAFE_INTEGER)).toEqual([]);
    db.close();
  });

  it('the server’s acceptance is recorded even after the lease was taken over as outcome-unknown', () => {
    const { db, repo } = repository();
    repo.insert(item('s', 'sending'), mine);
    expect(repo.change('s', 'leaseExpired', (c) => ({ ...c, state: 'outcome-unknown' }), mine)).toMatchObject({ state: 'outcome-unknown' });
    expect(repo.change('s', 'delivered', (c) => ({ ...c, state: 'sent' }), mine)).toMatchObject({ state: 'sent' });
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
    const taken = repo.claimDue(T0, mine, 10);
    expect(taken.map((i) => i.id).sort()).toEqual(['due-early', 'due-late', 'held-due']);
    expect(taken.every((i) => i.state === 'sending' && i.dueAt === undefined)).toBe(true);
    expect(repo.get('due-early')?.attempts).toBe(3);
    expect(repo.claimDue(T0, theirs, 10)).toEqual([]);
    expect(repo.nextDue()).toBe(T0 + 1);
    expect(repo.claimDue(T0, mine, 10)).toEqual([]);
    db.close();
  });

  it('takes at most the limit, the longest-waiting first', () => {
    const { db, repo } = repository();
    for (let i = 0; i < 5; i++) repo.insert(item(`m${i}`, 'scheduled', { dueAt: iso(T0 - 1000 * (5 - i)) }));
    expect(repo.claimDue(T0, mine, 2).map((i) => i.id).sort()).toEqual(['m0', 'm1']);
    db.close();
  });

  it('a lease not renewed expires, saying whether the bytes may have reached the server', () => {
    const { db, repo } = repository();
    repo.insert(item('a', 'scheduled', { dueAt: iso(T0) }));
    repo.insert(item('b', 'scheduled', { dueAt: iso(T0) }));
    repo.claimDue(T0, { owner: 'cli:9', until: T0 + 10_000 }, 10);
    expect(repo.passedNoReturn('a', { owner: 'cli:9', until: 0 })).toBe(true);
    expect(repo.passedNoReturn('b', mine)).toBe(false); // not its lease
    expect(repo.expiredLeases(T0 + 5_000)).toEqual([]);
    expect(repo.renewLeases('cli:9', T0 + 20_000)).toBe(2);
    expect(repo.expiredLeases(T0 + 15_000)).toEqual([]);
    const expired = repo.expiredLeases(T0 + 25_000);
    expect(expired.map((e) => [e.item.id, e.pastNoReturn]).sort()).toEqual([['a', true], ['b', false]]);
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
