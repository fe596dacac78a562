import { useState, type ReactNode } from 'react';
import type { DraftBack } from '../../../../shared/model/draft';
import type { OutboxItem } from '../../../../shared/model/outbox';
import type { ErrorInfo } from '../../../../shared/errors';
import { api } from '../../lib/api';
import { errorLine } from '../../lib/said';
import { datetimeLocalValue } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { useEscapeToClose } from '../../lib/useEscapeToClose';

type Reply = { ok: true } | { ok: false; error: ErrorInfo };
/** An action by its id; its label is the catalogue's outbox.action.<id>. */
type Action = [id: 'undo' | 'send-now' | 'retry' | 'retry-refused' | 'resend' | 'mark-sent' | 'reschedule' | 'edit' | 'cancel' | 'reopen' | 'export', run: () => Promise<Reply>];

const WAITING = ['held', 'scheduled', 'retrying', 'needs-sign-in'];

/** An .eml download in browser mode, where main cannot show a save dialog. */
function download(fileName: string, base64: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'message/rfc822' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The new-time row: Esc keeps the time as it is, like "Keep as is". */
function Reschedule({ onClose, children }: { onClose: () => void; children: ReactNode }) {
  useEscapeToClose(onClose);
  return <div className="reschedule">{children}</div>;
}

/** What can be done with an item in its state; every action is checked again in main. */
export function ItemActions({ item, onError, onNotice, onDraft }: { item: OutboxItem; onError: (m: string) => void; onNotice: (m: string) => void; onDraft: (back: DraftBack, note: string) => void }) {
  const { t, lang } = useT();
  const [rescheduling, setRescheduling] = useState(false);
  // From the time it is set for (a nudge is usually small), or an hour on when that has passed.
  const [at, setAt] = useState(() => datetimeLocalValue(item.dueAt && Date.parse(item.dueAt) > Date.now() ? new Date(item.dueAt) : new Date(Date.now() + 3600_000)));
  const id = { id: item.id };
  const toComposer = (run: () => Promise<{ ok: true; value: DraftBack } | { ok: false; error: ErrorInfo }>, note: string) => async (): Promise<Reply> => {
    const r = await run();
    if (r.ok) onDraft(r.value, note);
    return r;
  };
  const actions: Action[] = [];
  // In its undo window a message offers three choices: Undo (back to the composer, to change or
  // keep), Send now, Cancel. Edit would be Undo again, and a new time or an export can wait a moment.
  const held = item.state === 'held';
  if (held) actions.push(['undo', toComposer(() => api()['outbox:undo'](id), t('outbox.note.undone'))]);
  if (WAITING.includes(item.state)) actions.push(['send-now', () => api()['outbox:send-now'](id)]);
  if (item.state === 'failed' || item.state === 'partially-delivered') actions.push([item.state === 'failed' ? 'retry' : 'retry-refused', () => api()['outbox:retry'](id)]);
  if (item.state === 'outcome-unknown') actions.push(['resend', () => api()['outbox:resend'](id)], ['mark-sent', () => api()['outbox:mark-sent'](id)]);
  if ([...WAITING, 'failed'].includes(item.state) && !held) {
    actions.push(['reschedule', async () => (setRescheduling(true), { ok: true })]);
    actions.push(['edit', toComposer(() => api()['outbox:edit'](id), t('outbox.note.edit'))]);
  }
  if ([...WAITING, 'failed', 'outcome-unknown'].includes(item.state)) actions.push(['cancel', () => api()['outbox:cancel'](id)]);
  if (!WAITING.includes(item.state) && item.state !== 'sending') actions.push(['reopen', toComposer(() => api()['outbox:reopen'](id), t('outbox.note.reopen'))]);
  if (item.state !== 'sending' && !held)
    actions.push([
      'export',
      async () => {
        const r = await api()['outbox:export'](id);
        if (r.ok && r.value.base64) download(r.value.fileName, r.value.base64);
        else if (r.ok && r.value.saved) onNotice(t('outbox.savedAs', { file: r.value.fileName }));
        return r;
      },
    ]);

  const label = item.subject || t('common.noSubject');
  return (
    <>
      <div className="outbox-actions">
        {actions.map(([action, run]) => (
          <button
            key={action}
            className="btn btn-small"
            aria-label={t('outbox.actionLabel', { action: t(`outbox.action.${action}`), subject: label })}
            onClick={async () => {
              const r = await run();
              if (!r.ok) onError(errorLine(lang, r.error));
            }}
          >
            {t(`outbox.action.${action}`)}
          </button>
        ))}
      </div>
      {rescheduling && (
        <Reschedule onClose={() => setRescheduling(false)}>
          <label>
            {t('outbox.newTime')} <input type="datetime-local" value={at} aria-label={t('outbox.newTimeLabel', { subject: label })} onChange={(e) => setAt(e.target.value)} />
          </label>
          <button
            className="btn btn-small btn-primary"
            disabled={!at || Number.isNaN(new Date(at).getTime())}
            onClick={async () => {
              const r = await api()['outbox:reschedule']({ id: item.id, at: new Date(at).toISOString() });
              if (!r.ok) onError(errorLine(lang, r.error));
              else setRescheduling(false);
            }}
          >
            {t('outbox.saveTime')}
          </button>
          <button className="btn btn-small btn-quiet" onClick={() => setRescheduling(false)}>
            {t('outbox.keepAsIs')}
          </button>
        </Reschedule>
      )}
    </>
  );
}
