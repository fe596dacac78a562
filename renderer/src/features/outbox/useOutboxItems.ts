import type { ErrorInfo } from '../../../../shared/errors';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { OutboxItem } from '../../../../shared/model/outbox';
import { byNewest, groupOf, laterOf, OVERVIEW_ROWS, overviewOf, upsert, upsertOverview, type GroupId, type OutboxOverview } from '../../../../shared/model/outbox-groups';
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
    if (!items && !overview) await fetchOverview();
    // In pages: one 6 MB reply (10,000 messages) was taken in as one task of ~60 ms while the user
    // already saw the first rows; pages of LIST_PAGE leave no task over 50 ms (bench/outbox-view.ts).
    const all: OutboxItem[] = [];
    for (;;) {
      const last = all.at(-1);
      const r = await api()['outbox:list']({ limit: LIST_PAGE, ...(last ? { after: { createdAt: last.createdAt, id: last.id } } : {}) });
      if (!r.ok) {
        error = r.error;
        if (watching) refreshOverviewSoon(); // the counts, at least, stay right
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

/** An overview holds each section's newest rows only: kept to that size as messages come and go (the same object when nothing went). */
function trimmed(o: OutboxOverview): OutboxOverview {
  const seen = new Map<GroupId, number>();
  const kept = o.items.filter((i) => {
    const group = groupOf(i);
    const n = (seen.get(group) ?? 0) + 1;
    seen.set(group, n);
    return n <= OVERVIEW_ROWS;
  });
  return kept.length === o.items.length ? o : { ...o, items: kept };
}

/** `item` applied to the overview; false when it could not be (a message older than its rows: how its section sizes move, only main can count). */
function applied(item: OutboxItem): boolean {
  const was = overview!;
  overview = trimmed(upsertOverview(was, item));
  return overview !== was || was.items.some((i) => i.id === item.id);
}

function goLive() {
  if (live) return;
  live = true;
  api().on('outbox:changed', (item) => {
    const before = items ?? overview;
    if (items) items = upsert(items, item);
    else if (overview) {
      if (!applied(item)) refreshOverviewSoon();
    } else {
      // Nothing known yet: the reply on its way has it (it records changes meanwhile), or it failed.
      if (watching && !overviewComing && !loading) refreshOverviewSoon();
      return;
    }
    if ((items ?? overview) !== before) notify(); // unchanged: an event older than what is shown
  });
}

/** Whether the app watches the outbox from the start (watchOutbox): then the overview is kept right while the list is not known. */
let watching = false;

/**
 * Start knowing the outbox without the view: each section's size (the navigation's count of what
 * needs attention) and first rows, kept up to date by this app's events. Opening the view then
 * draws those rows at once (bench/outbox-view.ts) while the whole list comes.
 */
export async function watchOutbox(): Promise<void> {
  watching = true;
  goLive();
  if (!items && !overview && !loading) await fetchOverview();
}

/**
 * The overview from main, with the changes heard while it came; kept only while the whole list is
 * not known. One request at a time: a caller while one is on its way shares it (the changes it
 * hears meanwhile are in that reply, or are applied after it).
 */
let overviewComing: Promise<void> | undefined;
function fetchOverview(): Promise<void> {
  if (overviewComing) return overviewComing;
  const changedMeanwhile = new Map<string, OutboxItem>();
  const off = api().on('outbox:changed', (item) => changedMeanwhile.set(item.id, item));
  overviewComing = (async () => {
    const fresh = await api()['outbox:overview']();
    // Only while nothing better is known; a failure here is told by the whole list's reply.
    if (!fresh.ok || items) return;
    overview = trimmed(fresh.value);
    let missed = false;
    for (const item of changedMeanwhile.values()) missed = !applied(item) || missed;
    notify();
    if (missed) refreshOverviewSoon();
  })().finally(() => {
    off();
    overviewComing = undefined;
  });
  return overviewComing;
}

/**
 * Ask for the overview again, for changes it could not take in: at most every REFRESH_EVERY_MS
 * (a bulk send changes old messages many times a second; each overview reads every row's state).
 */
const REFRESH_EVERY_MS = 2_000;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let lastRefresh = -Infinity;
function refreshOverviewSoon(): void {
  if (refreshTimer) return;
  refreshTimer = setTimeout(
    () => {
      refreshTimer = undefined;
      lastRefresh = Date.now();
      if (!items && !loading) void fetchOverview();
    },
    Math.max(300, lastRefresh + REFRESH_EVERY_MS - Date.now()),
  );
}

/** The whole list's section sizes, counted once per version of the list. */
let counted: { of: OutboxItem[]; attention: number } | undefined;
/** How many messages need attention, as far as known (0 before anything is). */
function attentionNow(): number {
  if (!items) return overview?.counts.attention ?? 0;
  if (counted?.of !== items) counted = { of: items, attention: overviewOf(items, 0).counts.attention };
  return counted.attention;
}

const subscribe = (listener: () => void) => (listeners.add(listener), () => void listeners.delete(listener));

/** How many messages need attention (watchOutbox): a component using it renders again only when the number changes. */
export const useOutboxAttention = (): number => useSyncExternalStore(subscribe, attentionNow);

/** `items`: the whole outbox once loaded; until then `overview` may hold each section's first rows. */
export function useOutboxItems(): { items: OutboxItem[] | undefined; overview: OutboxOverview | undefined; error: ErrorInfo | undefined } {
  const [, rerender] = useState(0);
  useEffect(() => {
    const off = subscribe(() => rerender((n) => n + 1));
    goLive();
    void reload();
    return off;
  }, []);
  return { items, overview, error };
}
