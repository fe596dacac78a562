import { useLayoutEffect, useRef, type FocusEvent, type KeyboardEvent } from 'react';

const controlsOf = (bar: HTMLElement) => [...bar.querySelectorAll<HTMLElement>('button:not(:disabled), select:not(:disabled), input:not(:disabled)')];

/**
 * The WAI-ARIA toolbar pattern: the whole toolbar is one Tab stop, the control used last (else
 * the first); the arrow keys, Home and End move between its controls. So the dozen formatting
 * controls cost one Tab on the way from the subject to the text.
 */
export function useToolbarKeys<T extends HTMLElement>() {
  const bar = useRef<T>(null);
  const last = useRef<HTMLElement | null>(null);

  // After every render: controls come and go (a link's Remove), and one may have been disabled.
  useLayoutEffect(() => {
    if (!bar.current) return;
    const controls = controlsOf(bar.current);
    const stop = controls.find((c) => c === last.current) ?? controls[0];
    for (const c of controls) c.tabIndex = c === stop ? 0 : -1;
  });

  const onFocus = (e: FocusEvent<T>) => {
    if (!bar.current || !(e.target instanceof HTMLElement)) return;
    last.current = e.target;
    for (const c of controlsOf(bar.current)) c.tabIndex = c === e.target ? 0 : -1;
  };

  const onKeyDown = (e: KeyboardEvent<T>) => {
    if (!bar.current || e.altKey || e.ctrlKey || e.metaKey) return;
    const controls = controlsOf(bar.current);
    const at = controls.indexOf(document.activeElement as HTMLElement);
    if (at < 0) return;
    const rtl = getComputedStyle(bar.current).direction === 'rtl';
    const next = { ArrowRight: rtl ? at - 1 : at + 1, ArrowLeft: rtl ? at + 1 : at - 1, Home: 0, End: controls.length - 1 }[e.key];
    if (next === undefined) return;
    // Left and Right would also step a closed <select> through its options: here they move on.
    e.preventDefault();
    controls[(next + controls.length) % controls.length]?.focus();
  };

  return { ref: bar, onFocus, onKeyDown };
}
