import { useEffect, useState } from 'react';
import type { OutboxItem } from '../../../../shared/model/outbox';
import { api } from '../../lib/api';

// ISO timestamps of one format compare as strings; localeCompare is ~10× slower over 10,000 items.
const byNewest = (a: OutboxItem, b: OutboxItem) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

/**
 * The outbox as the renderer knows it, kept for the whole session: loaded from main once, then
 * changed in place by main's `outbox:changed` events, so opening the view again shows it at once
 * (and reloads in the background). Undefined until something is known.
 */
let items: OutboxItem[] | undefined;
let error: string | undefined;
let live = false;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

function upsert(list: OutboxItem[] | undefined, item: OutboxItem): OutboxItem[] {
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

/** The list from disk (main sends it newest first), with any live updates that arrived while it loaded taking precedence. */
function merge(fromDisk: OutboxItem[], liveSince: Map<string, OutboxItem>): OutboxItem[] {
  if (!liveSince.size) return fromDisk;
  const byId = new Map(fromDisk.map((i) => [i.id, i]));
  for (const [id, i] of liveSince) byId.set(id, i);
  return [...byId.values()].sort(byNewest);
}

let loading: Promise<void> | undefined;
function reload(): Promise<void> {
  if (loading) return loading;
  const changedMeanwhile = new Map<string, OutboxItem>();
  const record = (item: OutboxItem) => changedMeanwhile.set(item.id, item);
  const off = api().on('outbox:changed', record);
  const list = api()['outbox:list'];
  loading = list()
    .then((r) => {
      if (r.ok) {
        items = merge(r.value, changedMeanwhile);
        error = undefined;
      } else error = r.error.message;
      notify();
    })
    .finally(() => {
      off();
      loading = undefined;
    });
  return loading;
}

function goLive() {
  if (live) return;
  live = true;
  api().on('outbox:changed', (item) => {
    items = upsert(items, item);
    notify();
  });
}

export function useOutboxItems(): { items: OutboxItem[] | undefined; error: string | undefined } {
  const [, rerender] = useState(0);
  useEffect(() => {
    const listener = () => rerender((n) => n + 1);
    listeners.add(listener);
    goLive();
    void reload();
    return () => void listeners.delete(listener);
  }, []);
  return { items, error };
}
