// Esc closes the dialog or pop-up on top, wherever the focus is, and the focus goes back to
// where it was when that dialog opened (the button that opened it), so the keyboard is never lost.
import { useEffect, useState } from 'react';
import { useLatest } from './useLatest';

/** Open dialogs, the newest last: Esc closes only the one on top. */
const open: Array<{ current: () => void }> = [];

function onKeyDown(e: KeyboardEvent) {
  // A field that used Esc itself (a link editor, an open <select>) keeps it.
  if (e.key !== 'Escape' || e.defaultPrevented || !open.length) return;
  e.preventDefault();
  open.at(-1)!.current();
}

export function useEscapeToClose(onClose: () => void): void {
  // Read during the first render, before any effect (the dialog's own autofocus) moves the focus.
  const [opener] = useState(() => document.activeElement);
  const close = useLatest(onClose);
  useEffect(() => {
    if (!open.length) document.addEventListener('keydown', onKeyDown);
    open.push(close);
    return () => {
      open.splice(open.indexOf(close), 1);
      if (!open.length) document.removeEventListener('keydown', onKeyDown);
      // Only when the focus went down with the dialog: a fix that focused a field keeps it there.
      if ((!document.activeElement || document.activeElement === document.body) && opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, [opener, close]);
}
