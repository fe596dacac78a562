import { describe, expect, it } from 'vitest';
import type { OutboxItem, OutboxState } from '../../shared/model/outbox';
import { overviewOf } from '../../shared/model/outbox-groups';

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
    expect(o.counts).toEqual({ attention: 3, sending: 0, held: 0, retrying: 0, scheduled: 1, sent: 3, cancelled: 0 });
  });

  it('an empty outbox: no rows, every section empty', () => {
    const o = overviewOf([], 20);
    expect(o.items).toEqual([]);
    expect(Object.values(o.counts).every((c) => c === 0)).toBe(true);
  });
});
