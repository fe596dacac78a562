import { describe, expect, it } from 'vitest';
import type { OutboxItem, OutboxState } from '../../shared/model/outbox';
import { byNewest, groupOf, GROUPS, laterOf, overviewOf, pageOf, upsert, upsertOverview } from '../../shared/model/outbox-groups';

const item = (n: number, state: OutboxState, extra: Partial<OutboxItem> = {}): OutboxItem => ({
  id: `id${n}`,
  accountId: 'a',
  messageId: `<${n}@x>`,
  subject: `m${n}`,
  from: 'a@x',
  sender: 'a@x',
  recipients: ['b@x'],
  state,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 100 - n)).toISOString(), // newest first
  updatedAt: '2026-01-01T00:00:00.000Z',
  attempts: 0,
  size: 1,
  ...extra,
});

describe('overviewOf', () => {
  it('keeps each section\'s first rows in the list\'s order and counts every item in its section', () => {
    const items = [
      item(1, 'sent'),
      item(2, 'failed'),
      item(3, 'sent'),
      item(4, 'scheduled', { overdue: true }), // overdue: needs a decision
      item(5, 'sent'),
      item(6, 'scheduled'),
      item(7, 'outcome-unknown'),
    ];
    const o = overviewOf(items, 2);
    expect(o.items.map((i) => i.id)).toEqual(['id1', 'id2', 'id3', 'id4', 'id6']);
    expect(o.counts).toEqual({ attention: 3, sending: 0, held: 0, retrying: 0, scheduled: 1, sent: 3, cancelled: 0, undone: 0 });
  });

  it('an empty outbox: no rows, every section empty', () => {
    const o = overviewOf([], 20);
    expect(o.items).toEqual([]);
    expect(Object.values(o.counts).every((c) => c === 0)).toBe(true);
  });
});

describe('a live change while only the overview is in (upsertOverview)', () => {
  // Three scheduled (two shown), two sent (one shown): newest first.
  const all = [item(1, 'scheduled'), item(2, 'sent'), item(3, 'scheduled'), item(4, 'sent'), item(5, 'scheduled')];
  const base = overviewOf(all, 1);
  const later = (i: OutboxItem, extra: Partial<OutboxItem>) => ({ ...i, updatedAt: '2026-01-01T00:05:00.000Z', ...extra });

  it('a row shown that changes section moves with its count', () => {
    const o = upsertOverview(base, later(all[0]!, { state: 'sending' }));
    expect(o.items.map((i) => [i.id, i.state])).toEqual([['id1', 'sending'], ['id2', 'sent']]);
    expect(o.counts).toMatchObject({ scheduled: 2, sending: 1, sent: 2 });
  });

  it('a change the overview already has (its reply was made after it) changes nothing', () => {
    const stale = { ...all[0]!, state: 'held' as const, updatedAt: '2025-12-31T00:00:00.000Z' };
    expect(upsertOverview(base, stale)).toBe(base);
  });

  it('an older message beyond the rows shown is left to the whole list: no count moves twice', () => {
    expect(upsertOverview(base, later(all[4]!, { state: 'sending' }))).toBe(base);
    expect(upsertOverview(base, later(all[3]!, { attempts: 2 }))).toBe(base);
  });

  it('a message newer than every row is new since the overview: its section grows', () => {
    const o = upsertOverview(base, item(0, 'held'));
    expect(o.items[0]!.id).toBe('id0');
    expect(o.counts).toMatchObject({ held: 1, scheduled: 3, sent: 2 });
  });
});

describe('pages of the list (pageOf)', () => {
  // Newest first; three messages made in the same millisecond, ordered by id among themselves.
  const same = '2026-01-01T00:01:00.000Z';
  const list = [item(1, 'sent'), { ...item(2, 'sent'), createdAt: same, id: 'c' }, { ...item(3, 'sent'), createdAt: same, id: 'b' }, { ...item(4, 'sent'), createdAt: same, id: 'a' }, item(60, 'sent')].sort(byNewest);
  const walk = (limit: number) => {
    const seen: string[] = [];
    for (;;) {
      const last = list.find((i) => i.id === seen.at(-1));
      const page = pageOf(list, { limit, ...(last ? { after: { createdAt: last.createdAt, id: last.id } } : {}) });
      seen.push(...page.map((i) => i.id));
      if (page.length < limit) return seen;
    }
  };

  it('walks the whole list once, in order, whatever the page size, ties included', () => {
    for (const limit of [1, 2, 3, 5, 10]) expect(walk(limit)).toEqual(list.map((i) => i.id));
    expect(list.map((i) => i.id)).toEqual(['id1', 'c', 'b', 'a', 'id60']);
  });

  it('a page after a message that is gone begins where it stood; without a page, everything', () => {
    expect(pageOf(list, { after: { createdAt: same, id: 'bb' }, limit: 10 }).map((i) => i.id)).toEqual(['b', 'a', 'id60']);
    expect(pageOf(list, { after: { createdAt: '2000-01-01T00:00:00.000Z', id: 'z' }, limit: 10 })).toEqual([]);
    expect(pageOf(list)).toEqual(list);
  });
});

describe('upsert', () => {
  it('puts a new or changed message in its place, and keeps a later version over an older one', () => {
    const list = [item(1, 'sent'), item(3, 'sent')];
    const added = upsert(list, item(2, 'scheduled'));
    expect(added.map((i) => i.id)).toEqual(['id1', 'id2', 'id3']);
    const changed = upsert(added, item(2, 'sending', { updatedAt: '2026-01-01T00:00:05.000Z' }));
    expect(changed.map((i) => i.state)).toEqual(['sent', 'sending', 'sent']);
    // An older version of id2 (a late event) changes nothing: the same list comes back.
    expect(upsert(changed, item(2, 'scheduled', { updatedAt: '2026-01-01T00:00:01.000Z' }))).toBe(changed);
    // On a tie the incoming version wins: one road's events come in order.
    expect(upsert(changed, item(2, 'sent', { updatedAt: '2026-01-01T00:00:05.000Z' }))[1]!.state).toBe('sent');
    expect(laterOf(undefined, item(4, 'held')).id).toBe('id4');
  });
});

describe('groupOf', () => {
  it('puts a message taken back to the composer in its own folded section, apart from those cancelled', () => {
    expect(groupOf(item(1, 'cancelled', { takenBack: true }))).toBe('undone');
    expect(groupOf(item(2, 'cancelled'))).toBe('cancelled');
    expect(GROUPS.find((g) => g.id === 'undone')?.folded).toBe(true);
  });
});
