import { useEffect, useState } from 'react';
import type { DraftBack } from '../../../../shared/model/draft';
import type { OutboxItem, OutboxState } from '../../../../shared/model/outbox';
import type { MessageKey } from '../../../../shared/i18n/types';
import { api } from '../../lib/api';
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
export function UndoToast({ queued, onUndone, onClose }: { queued: OutboxItem; onUndone: (back: DraftBack) => void; onClose: () => void }) {
  const { t, time } = useT();
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

  const undo = async () => {
    const r = await api()['outbox:undo']({ id: item.id });
    if (r.ok) onUndone(r.value);
    else setProblem(r.error.message);
  };
  const later = item.state === 'scheduled' && !!item.dueAt && Date.parse(item.dueAt) > Date.now() + 60_000;
  const text = item.state === 'held' ? t('toast.sendingIn', { seconds: secondsLeft(item.dueAt, now) }) : later ? t('toast.scheduledFor', { time: time(item.dueAt!) }) : t(TOAST_TEXT[item.state]);
  return (
    <div className="toast" role="status" aria-label={t('toast.label')}>
      <span className="toast-text">
        <strong>{item.subject || t('common.noSubject')}</strong> — {problem ?? text}
      </span>
      {item.state === 'held' && !problem && (
        <button type="button" className="btn btn-small toast-undo" onClick={() => void undo()}>
          {t('common.undo')}
        </button>
      )}
      <button type="button" className="btn btn-quiet btn-small" aria-label={t('common.close')} onClick={onClose}>
        ×
      </button>
    </div>
  );
}
