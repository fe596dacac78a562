import { X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { DraftBack } from '../../../../shared/model/draft';
import type { OutboxItem, OutboxState } from '../../../../shared/model/outbox';
import type { MessageKey } from '../../../../shared/i18n/types';
import { api } from '../../lib/api';
import { errorLine } from '../../lib/said';
import { useT } from '../../lib/i18n';
import { secondsLeft, useNow } from '../../lib/useNow';

/** What the toast says once the message is no longer in its undo window (keys of the catalogue). */
const TOAST_TEXT = {
  held: 'toast.sending',
  scheduled: 'toast.sending',
  sending: 'toast.sending',
  sent: 'toast.sent',
  retrying: 'toast.retrying',
  cancelled: 'toast.cancelled',
  'outcome-unknown': 'toast.outcome-unknown',
  'needs-sign-in': 'toast.needs-sign-in',
  'partially-delivered': 'toast.partially-delivered',
  failed: 'toast.failed',
} as const satisfies Record<OutboxState, MessageKey>;

/**
 * After Send: what happens to the message, with Undo while it is held. Follows the item live,
 * and goes away a few seconds after it is on its way (or at once when closed).
 */
export function UndoToast({ queued, onUndone, onClose, onFocusGone }: { queued: OutboxItem; onUndone: (back: DraftBack) => void; onClose: () => void; onFocusGone: () => void }) {
  const { t, time, lang } = useT();
  const [item, setItem] = useState(queued);
  const [problem, setProblem] = useState<string>();
  const now = useNow(item.state === 'held');
  useEffect(() => {
    const newer = (a: OutboxItem, b: OutboxItem) => (b.updatedAt > a.updatedAt ? b : a);
    const off = api().on('outbox:changed', (changed) => changed.id === queued.id && setItem((now) => newer(now, changed)));
    // What happened before this subscription began (a fast server answers before the toast is up).
    void api()['outbox:get']({ id: queued.id }).then((r) => r.ok && setItem((now) => newer(now, r.value)));
    return off;
  }, [queued.id]);
  const done = item.state !== 'held' && item.state !== 'sending';
  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(onClose, 5000);
    return () => clearTimeout(timer);
  }, [done, onClose]);

  // Right after Send the keyboard is on Undo: one key (Enter or Space) takes the message back.
  // When the window closes and Undo goes, the keyboard goes on to the view rather than nowhere.
  const undoButton = useRef<HTMLButtonElement>(null);
  const undoHadFocus = useRef(false);
  const held = item.state === 'held' && !problem;
  useEffect(() => {
    if (held) undoButton.current?.focus();
    else if (undoHadFocus.current && (document.activeElement === document.body || !document.activeElement)) onFocusGone();
  }, [held, onFocusGone]);

  const undo = async () => {
    const r = await api()['outbox:undo']({ id: item.id });
    if (r.ok) onUndone(r.value);
    else setProblem(errorLine(lang, r.error));
  };
  const later = item.state === 'scheduled' && !!item.dueAt && Date.parse(item.dueAt) > now + 60_000;
  const text = item.state === 'held' ? t('toast.sendingIn', { seconds: secondsLeft(item.dueAt, now) }) : later ? t('toast.scheduledFor', { time: time(item.dueAt!) }) : t(TOAST_TEXT[item.state]);
  return (
    <div className="toast" role="status" aria-label={t('toast.label')}>
      <span className="toast-text">
        <strong>{item.subject || t('common.noSubject')}</strong> — {problem ?? text}
      </span>
      {held && (
        <button
          ref={undoButton}
          type="button"
          className="btn btn-small toast-undo"
          onClick={() => void undo()}
          onFocus={() => (undoHadFocus.current = true)}
          onBlur={(e) => (undoHadFocus.current = !e.relatedTarget && undoHadFocus.current)}
        >
          {t('common.undo')}
        </button>
      )}
      <button type="button" className="btn btn-quiet btn-small" aria-label={t('common.close')} onClick={onClose}>
        <X size={16} aria-hidden="true" />
      </button>
    </div>
  );
}
