import type { ErrorInfo } from '../../../../shared/errors';
import { useEffect, useState } from 'react';
import type { OutboxItem } from '../../../../shared/model/outbox';
import { byNewest, laterOf, overviewOf, upsert, upsertOverview, type GroupId, type OutboxOverview } from '../../../../shared/model/outbox-groups';
import { api } from '../../lib/api';

/**
 * The outbox as the renderer knows it, kept for the whole session: loaded from main once, then
 * changed in place by main's `outbox:changed` events, so opening the view again shows it at once
 * (and reloads in the background). Undefined until something is known.
 */
let items: OutboxItem[] | undefined;
/**
 * Until the whole list has come once: each section's first rows and sizes (`outbox:overview`, a
 * small reply), so the view draws at once while the whole list — 6 MB for 10,000 messages — is on
 * its way (bench/outbox-view.ts).
 */
let overview: OutboxOverview | undefined;
let error: ErrorInfo | undefined;
let live = false;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

/** The list from disk (main sends it newest first), with the live updates that arrived while it loaded, of each message the later version. */
function merge(fromDisk: OutboxItem[], liveSince: Map<string, OutboxItem>): OutboxItem[] {
  if (!liveSince.size) return fromDisk;
  const byId = new Map(fromDisk.map((i) => [i.id, i]));
  for (const [id, i] of liveSince) byId.set(id, laterOf(byId.get(id), i));
  return [...byId.values()].sort(byNewest);
}

const LIST_PAGE = 5_000;

let loading: Promise<void> | undefined;
function reload(): Promise<void> {
  if (loading) return loading;
  const changedMeanwhile = new Map<string, OutboxItem>();
  const record = (item: OutboxItem) => changedMeanwhile.set(item.id, item);
  const off = api().on('outbox:changed', record);
  loading = (async () => {
    // The first time, the overview first and alone: sent beside the whole list, its small reply
    // waited behind the 6 MB one as often as not (main writes one, then the other).
    if (!items && !overview) {
      const first = await api()['outbox:overview']();
      // Only while nothing better is known; a failure here is told by the whole list's reply.
      if (first.ok && !items) {
        overview = [...changedMeanwhile.values()].reduce(upsertOverview, first.value);
        notify();
      }
    }
    // In pages: one 6 MB reply (10,000 messages) was taken in as one task of ~60 ms while the user
    // already saw the first rows; pages of LIST_PAGE leave no task over 50 ms (bench/outbox-view.ts).
    const all: OutboxItem[] = [];
    for (;;) {
      const last = all.at(-1);
      const r = await api()['outbox:list']({ limit: LIST_PAGE, ...(last ? { after: { createdAt: last.createdAt, id: last.id } } : {}) });
      if (!r.ok) {
        error = r.error;
        return notify();
      }
      all.push(...r.value);
      if (r.value.length < LIST_PAGE) break;
    }
    items = merge(all, changedMeanwhile);
    overview = undefined;
    error = undefined;
    notify();
  })().finally(() => {
    off();
    loading = undefined;
  });
  return loading;
}

function goLive() {
  if (live) return;
  live = true;
  api().on('outbox:changed', (item) => {
    const before = items ?? overview;
    if (items) items = upsert(items, item);
    else if (overview) {
      const was = overview;
      overview = upsertOverview(was, item);
      if (overview === was && !was.items.some((i) => i.id === item.id)) refreshOverviewSoon();
    } else return; // the first reply will have it (reload() records changes while it waits)
    if ((items ?? overview) !== before) notify(); // unchanged: an event older than what is shown
  });
}

/**
 * Start knowing the outbox without the view: each section's size (the navigation's count of what
 * needs attention) and first rows, kept up to date by main's events. Opening the view then draws
 * those rows at once (bench/outbox-view.ts) while the whole list comes.
 */
export async function watchOutbox(): Promise<void> {
  goLive();
  if (!items && !overview && !loading) await fetchOverview();
}

/** The overview from main, with the changes heard while it came; kept only while the whole list is not known. */
async function fetchOverview(): Promise<void> {
  const changedMeanwhile = new Map<string, OutboxItem>();
  const off = api().on('outbox:changed', (item) => changedMeanwhile.set(item.id, item));
  try {
    const fresh = await api()['outbox:overview']();
    if (fresh.ok && !items) {
      overview = [...changedMeanwhile.values()].reduce(upsertOverview, fresh.value);
      notify();
    }
  } finally {
    off();
  }
}

/**
 * A change of a message the overview does not hold (older than its rows) moves the section sizes
 * in ways only main can count: the overview is asked for again, once for a burst of such changes.
 */
let refreshing: ReturnType<typeof setTimeout> | undefined;
function refreshOverviewSoon(): void {
  refreshing ??= setTimeout(() => {
    refreshing = undefined;
    if (!items && !loading) void fetchOverview();
  }, 300);
}

/** The whole list's section sizes, counted once per version of the list. */
let counted: { of: OutboxItem[]; counts: Record<GroupId, number> } | undefined;
const countsOf = (all: OutboxItem[]) => (counted?.of === all ? counted : (counted = { of: all, counts: overviewOf(all, 0).counts })).counts;

/** How many messages each section of the outbox has, as far as known (watchOutbox). */
export function useOutboxCounts(): Record<GroupId, number> | undefined {
  const [, rerender] = useState(0);
  useEffect(() => {
    const listener = () => rerender((n) => n + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return items ? countsOf(items) : overview?.counts;
}

/** `items`: the whole outbox once loaded; until then `overview` may hold each section's first rows. */
export function useOutboxItems(): { items: OutboxItem[] | undefined; overview: OutboxOverview | undefined; error: ErrorInfo | undefined } {
  const [, rerender] = useState(0);
  useEffect(() => {
    const listener = () => rerender((n) => n + 1);
    listeners.add(listener);
    goLive();
    void reload();
    return () => void listeners.delete(listener);
  }, []);
  return { items, overview, error };
}
