import type { ReactNode } from 'react';

/**
 * A button that opens a small list below it (the composer's Drafts and Templates): `onOpen` as it
 * opens, Esc closing it with the focus left on its button, as a menu does.
 */
export function PopupMenu({ label, onOpen, children }: { label: string; onOpen?: () => void; children: ReactNode }) {
  return (
    <details
      className="popup-menu"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) onOpen?.();
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !e.currentTarget.open) return;
        e.preventDefault();
        e.currentTarget.open = false;
        e.currentTarget.querySelector('summary')?.focus();
      }}
    >
      <summary className="btn btn-small">{label}</summary>
      <div className="card popup-list">{children}</div>
    </details>
  );
}

/** Close the menu a control is in, once its choice is made. */
export const closePopupOf = (el: HTMLElement) => el.closest('details')?.removeAttribute('open');
