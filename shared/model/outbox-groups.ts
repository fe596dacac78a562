import type { OutboxItem } from './outbox';

// The outbox view's sections, and how its list is kept newest first as changes come in. Here
// rather than in the page because main answers `outbox:overview` in the same sections (the first
// rows of each, before the whole list has arrived), and so that the rules are unit-tested.

export type GroupId = 'attention' | 'sending' | 'held' | 'retrying' | 'scheduled' | 'sent' | 'cancelled' | 'undone';

/**
 * The outbox's sections, in the order a user needs them: what needs a decision first. Titles are
 * outbox.group.<id>; `note` has outbox.group.<id>.note; `folded` ones start closed (messages
 * taken back to the composer are there only as a record: their text is in the composer).
 */
export const GROUPS: Array<{ id: GroupId; note?: boolean; folded?: boolean }> = [
  { id: 'attention' },
  { id: 'sending' },
  { id: 'held' },
  { id: 'retrying' },
  { id: 'scheduled', note: true },
  { id: 'sent' },
  { id: 'cancelled' },
  { id: 'undone', folded: true },
];

/** What a section is chosen by. */
export type GroupKey = Pick<OutboxItem, 'state' | 'overdue' | 'takenBack'>;

export function groupOf(item: GroupKey): GroupId {
  if (item.overdue && (item.state === 'held' || item.state === 'scheduled')) return 'attention';
  if (item.state === 'cancelled' && item.takenBack) return 'undone';
  switch (item.state) {
    case 'failed':
    case 'outcome-unknown':
    case 'partially-delivered':
    case 'needs-sign-in':
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

/** `items` (newest first) as an overview: each section's first `perGroup` items and its size (of whole items, or of their keys only). */
export function overviewOf<T extends GroupKey = OutboxItem>(items: readonly T[], perGroup: number): { items: T[]; counts: Record<GroupId, number> } {
  const counts = Object.fromEntries(GROUPS.map((g) => [g.id, 0])) as Record<GroupId, number>;
  const first: T[] = [];
  for (const item of items) {
    const group = groupOf(item);
    if (counts[group]++ < perGroup) first.push(item);
  }
  return { items: first, counts };
}

/**
 * The outbox's one order: newest first, and by id between messages made in the same millisecond,
 * so that a page of the list ends at the same place every time (see pageOf). ISO timestamps of one
 * format compare as strings; localeCompare is ~10× slower over 10,000 items.
 */
export const byNewest = (a: Pick<OutboxItem, 'createdAt' | 'id'>, b: Pick<OutboxItem, 'createdAt' | 'id'>) =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/** Where a page of the list begins: after this item (by its place in byNewest's order, so also after an item that is gone). */
export interface ListPage {
  after?: { createdAt: string; id: string };
  limit: number;
}

/** `items` (in byNewest's order) from just after `page.after`, at most `page.limit`; all of them without a page. */
export function pageOf(items: readonly OutboxItem[], page?: ListPage): OutboxItem[] {
  if (!page) return [...items];
  const after = page.after;
  const start = after ? items.findIndex((i) => byNewest(i, after) > 0) : 0;
  return start < 0 ? [] : items.slice(start, start + page.limit);
}

/**
 * Of two versions of one message, the later (by updatedAt; the incoming one on a tie). Versions
 * come from two roads that keep no order between them: a reply read from disk, and events. In
 * browser mode an event can arrive after a reply that is newer than it, and a change made by
 * another process (the CLI) sends no event at all, so the older version must not win (found in
 * review: a message cancelled from the CLI showed "scheduled" until the view was reopened).
 */
export function laterOf(known: OutboxItem | undefined, incoming: OutboxItem): OutboxItem {
  return known && known.updatedAt > incoming.updatedAt ? known : incoming;
}

/** `list` (newest first) with `item` in its place, replacing the item of the same id unless that one is later (then `list` itself). */
export function upsert(list: OutboxItem[] | undefined, item: OutboxItem): OutboxItem[] {
  const known = list?.find((i) => i.id === item.id);
  if (known && laterOf(known, item) === known) return list!;
  const next = (list ?? []).filter((i) => i.id !== item.id);
  // Newest first: the place of the new or changed item by binary search, not a sort of the whole list.
  let lo = 0;
  let hi = next.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byNewest(next[mid]!, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  next.splice(lo, 0, item);
  return next;
}

/**
 * A live change while only the overview is in. A row it shows changes in place, and its section's
 * size moves with it — unless the overview already has this change (its reply was made after it).
 * A message newer than every row is new since: its section grows. Any other message is an older
 * one beyond the rows shown, whose former section is not known here: it is left to the whole list,
 * rather than counted twice (found in review).
 */
export function upsertOverview(o: OutboxOverview, item: OutboxItem): OutboxOverview {
  const old = o.items.find((i) => i.id === item.id);
  if (old ? old.updatedAt > item.updatedAt : o.items.length > 0 && item.createdAt <= o.items[0]!.createdAt) return o;
  const counts = { ...o.counts };
  if (old) counts[groupOf(old)]--;
  counts[groupOf(item)]++;
  return { items: upsert(o.items, item), counts };
}
