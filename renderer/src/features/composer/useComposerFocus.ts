import type { Editor } from '@tiptap/react';
import { useEffect, useEffectEvent, useRef } from 'react';
import type { FieldIds } from './ComposerFields';
import type { Fields } from './fields';

/**
 * Where the keyboard goes in a composer: to what is still to write (To, else Subject, else the end
 * of the text) when the app asks (`focusRequest` changes: the page opened, New message, Compose),
 * and again once a message that arrived afterwards (handed back, restored at start) shows its
 * fields, unless the person took the keyboard elsewhere meanwhile.
 */
export function useComposerFocus({ ids, fields: f, editor, focusRequest }: { ids: FieldIds; fields: Fields; editor: Editor | null; focusRequest?: number }) {
  const section = useRef<HTMLElement>(null);
  const refocusAfterLoad = useRef(false);

  const focusFirstToFill = useEffectEvent(() => {
    if (!f.to.trim() && !f.cc.trim() && !f.bcc.trim()) return document.getElementById(ids.to)?.focus();
    if (!f.subject.trim()) return document.getElementById(ids.subject)?.focus();
    if (f.format === 'html') editor?.commands.focus('end');
    else section.current?.querySelector<HTMLTextAreaElement>('.plain-body')?.focus();
  });
  useEffect(() => {
    if (focusRequest !== undefined) focusFirstToFill();
  }, [focusRequest]);
  useEffect(() => {
    if (!refocusAfterLoad.current) return;
    refocusAfterLoad.current = false;
    const at = document.activeElement;
    if (!at || at === document.body || section.current?.contains(at)) focusFirstToFill();
  });

  return {
    /** The composer's element. */
    section,
    /** A message was just put in the fields: focus again once they show. */
    afterLoad: () => void (refocusAfterLoad.current = true),
  };
}
