import { useCallback, useRef, useState } from 'react';
import { useLatest } from '../../lib/useLatest';
import type { ComposerInfo, Incoming } from './Composer';

export interface ComposerTab extends ComposerInfo {
  key: number;
  /** A message handed back (undo, edit, re-open) for this composer to show. */
  incoming?: Incoming;
  /** A saved draft this composer opens when it starts. */
  openDraftId?: string;
}

const blank = (key: number): ComposerTab => ({ key, title: '', empty: true });

/** Which composer has which draft open: one draft is never open in two. */
class DraftOwners {
  private readonly byDraft = new Map<string, number>();

  /** A composer has one draft at a time: claiming another releases the one it had. */
  claim(draftId: string, key: number) {
    this.release(key);
    this.byDraft.set(draftId, key);
  }

  release(key: number) {
    for (const [id, owner] of this.byDraft) if (owner === key) this.byDraft.delete(id);
  }

  /** The open composer that has this draft, if any. */
  of(draftId: string, open: ComposerTab[]) {
    const owner = this.byDraft.get(draftId);
    return owner !== undefined && open.some((t) => t.key === owner) ? owner : undefined;
  }
}

/**
 * The messages open at once, each its own composer and draft. The first one reopens the newest
 * unsent draft at start. One draft is never open in two composers (their autosaves would
 * overwrite each other): a composer claims a draft before it opens it, and asking for a claimed
 * one shows the composer that has it.
 */
export function useComposerTabs(onShow: () => void) {
  const nextKey = useRef(1);
  const [tabs, setTabs] = useState<ComposerTab[]>([blank(0)]);
  const [chosen, setChosen] = useState(0);
  // The one in front; when it was closed, the last one left.
  const active = tabs.some((t) => t.key === chosen) ? chosen : tabs.at(-1)!.key;
  // Read when called, not when rendered: the callbacks stay stable, and a send that ends seconds
  // later acts on the composers as they are then.
  const current = useLatest({ tabs, active });
  const [owners] = useState(() => new DraftOwners());

  const show = useCallback(
    (key: number) => {
      setChosen(key);
      onShow();
    },
    [onShow],
  );

  const open = useCallback(
    (init: Pick<ComposerTab, 'incoming' | 'openDraftId'> = {}) => {
      const key = nextKey.current++;
      if (init.openDraftId) owners.claim(init.openDraftId, key);
      setTabs((list) => [...list, { ...blank(key), ...init }]);
      show(key);
    },
    [show, owners],
  );

  const close = useCallback((key: number) => {
    owners.release(key);
    const fresh = blank(nextKey.current++);
    // Closing the last one leaves a fresh message.
    setTabs((list) => (list.length > 1 ? list.filter((t) => t.key !== key) : [fresh]));
  }, [owners]);

  /** What a composer reports about itself: its subject for the list, whether it is empty, its draft. */
  const report = useCallback((key: number, info: ComposerInfo) => {
    if (info.draftId) owners.claim(info.draftId, key);
    setTabs((list) => {
      const tab = list.find((t) => t.key === key);
      if (!tab || (tab.title === info.title && tab.empty === info.empty && tab.draftId === info.draftId)) return list;
      return list.map((t) => (t.key === key ? { ...t, ...info } : t));
    });
  }, [owners]);

  /** A composer is about to open a draft: true when another one has it (and is now shown); else it is claimed for this one. */
  const showOpenDraft = useCallback(
    (draftId: string, from: number) => {
      const owner = owners.of(draftId, current.current.tabs);
      if (owner !== undefined && owner !== from) {
        show(owner);
        return true;
      }
      owners.claim(draftId, from);
      return false;
    },
    [show, owners, current],
  );

  /** A saved draft to open (a mailto: link): where it is already open, or in a new composer. */
  const openDraft = useCallback(
    (draftId: string) => {
      const owner = owners.of(draftId, current.current.tabs);
      if (owner !== undefined) show(owner);
      else open({ openDraftId: draftId });
    },
    [show, open, owners, current],
  );

  /** A message handed back: into the composer in front if it is empty, else into a new one. */
  const deliver = useCallback(
    (incoming: Incoming) => {
      const front = current.current.tabs.find((t) => t.key === current.current.active);
      if (!front?.empty) return open({ incoming });
      setTabs((list) => list.map((t) => (t.key === front.key ? { ...t, incoming } : t)));
      show(front.key);
    },
    [open, show, current],
  );

  /** The composer in front now (for a command that arrives between renders). */
  const activeNow = useCallback(() => current.current.active, [current]);

  /** A composer whose message was queued is done with, unless it is the only one. */
  const sent = useCallback((key: number) => current.current.tabs.length > 1 && close(key), [close, current]);

  return { tabs, active, activeNow, show, open, close, sent, report, showOpenDraft, openDraft, deliver };
}
