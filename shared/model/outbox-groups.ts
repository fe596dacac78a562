import type { OutboxItem } from './outbox';

// The outbox view's sections. Here rather than in the page because main answers `outbox:overview`
// in the same order: the first rows of each section, before the whole list has arrived.

export type GroupId = 'attention' | 'sending' | 'held' | 'retrying' | 'scheduled' | 'sent' | 'cancelled';

/** The outbox's sections, in the order a user needs them: what needs a decision first. Titles are outbox.group.<id>; `note` has outbox.group.<id>.note. */
export const GROUPS: Array<{ id: GroupId; note?: boolean }> = [
  { id: 'attention' },
  { id: 'sending' },
  { id: 'held' },
  { id: 'retrying' },
  { id: 'scheduled', note: true },
  { id: 'sent' },
  { id: 'cancelled' },
];

export function groupOf(item: OutboxItem): GroupId {
  if (item.overdue && (item.state === 'held' || item.state === 'scheduled')) return 'attention';
  switch (item.state) {
    case 'failed':
    case 'outcome-unknown':
    case 'partially-delivered':
      return 'attention';
    default:
      return item.state;
  }
}

/** Rows of each section in an overview: more than a window shows before the whole list is in. */
export const OVERVIEW_ROWS = 20;

/** The first rows of every section and how many each has: enough to draw the outbox at once. */
export interface OutboxOverview {
  /** Up to `perGroup` of each section's newest items, newest first. */
  items: OutboxItem[];
  counts: Record<GroupId, number>;
}

/** `items` (newest first) as an overview: each section's first `perGroup` items and its size. */
export function overviewOf(items: readonly OutboxItem[], perGroup: number): OutboxOverview {
  const counts = Object.fromEntries(GROUPS.map((g) => [g.id, 0])) as Record<GroupId, number>;
  const first: OutboxItem[] = [];
  for (const item of items) {
    const group = groupOf(item);
    if (counts[group]++ < perGroup) first.push(item);
  }
  return { items: first, counts };
}
