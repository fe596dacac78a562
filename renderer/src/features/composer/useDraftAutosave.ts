import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useLatest } from '../../lib/useLatest';
import type { SavedDraftInput } from '../../../../shared/model/draft';
import { api } from '../../lib/api';

/** How long after the last change the draft is written. */
export const AUTOSAVE_DELAY_MS = 1500;

type Fields = Omit<SavedDraftInput, 'id'>;
/** What identifies the content; '' is the empty composer. */
const keyOf = (fields: Fields | undefined) => (fields ? JSON.stringify(fields) : '');

/**
 * Keeps the composer's work on disk: a moment after the last change, when the window is hidden
 * or closed, when the composer is closed, and before it is replaced. Saves run one at a time, so the first save's id is known
 * to the next and one draft never becomes two. Content equal to what was last saved is not saved again.
 * `content` is a value that is new whenever what `snapshot` would return has changed (and only then).
 */
export function useDraftAutosave(snapshot: () => Fields | undefined, content: unknown, onSaved: (at: string) => void) {
  const id = useRef<string | undefined>(undefined);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const lastSaved = useRef('');
  const latest = useLatest(snapshot);

  const saveNow = useCallback(() => {
    const fields = latest.current();
    const key = keyOf(fields);
    if (key === lastSaved.current) return chain.current;
    lastSaved.current = key;
    chain.current = chain.current.then(async () => {
      if (!fields) {
        // Everything was cleared: an empty draft is no draft.
        if (id.current) await api()['drafts:remove']({ id: id.current });
        id.current = undefined;
        return;
      }
      const r = await api()['drafts:save']({ ...fields, id: id.current });
      if (r.ok) {
        id.current = r.value.id;
        onSaved(r.value.updatedAt);
      } else lastSaved.current = ''; // not saved: the next change tries again
    });
    return chain.current;
  }, [onSaved, latest]);

  useEffect(() => {
    // Only a timer here: whether anything differs from what was saved is asked when it fires. Asking
    // at each change would serialise the whole body at every keystroke (a 1 MB body: tens of ms each).
    const timer = setTimeout(() => void saveNow(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [content, saveNow]);

  useEffect(() => {
    const flush = () => void saveNow();
    const onHidden = () => document.visibilityState === 'hidden' && flush();
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', flush);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', flush);
      document.removeEventListener('visibilitychange', onHidden);
      flush(); // the composer was closed: what it held stays a draft
    };
  }, [saveNow]);

  return useMemo(
    () => ({
      saveNow,
      /** The id of the draft being edited, if it was saved. */
      currentId: () => id.current,
      /** Switch to another draft (or a new one): what was typed is saved first. */
      async adopt(nextId: string | undefined) {
        await saveNow();
        id.current = nextId;
      },
      /** The message was queued: its draft is done with, and the composer is empty again. */
      async discard() {
        // What the composer holds right now was sent: no later flush (the composer closing before
        // it shows its empty fields) may save it again as a new draft.
        lastSaved.current = keyOf(latest.current());
        await chain.current;
        if (id.current) await api()['drafts:remove']({ id: id.current });
        id.current = undefined;
      },
    }),
    [saveNow, latest],
  );
}
