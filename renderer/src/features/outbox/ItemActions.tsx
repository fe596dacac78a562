import { useState } from 'react';
import type { DraftBack } from '../../../../shared/model/draft';
import type { OutboxItem } from '../../../../shared/model/outbox';
import { api } from '../../lib/api';
import { datetimeLocalValue } from '../../lib/format';

type Reply = { ok: true } | { ok: false; error: { message: string } };
type Action = [label: string, run: () => Promise<Reply>];

const WAITING = ['held', 'scheduled', 'retrying'];

/** An .eml download in browser mode, where main cannot show a save dialog. */
function download(fileName: string, base64: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'message/rfc822' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}


/** What can be done with an item in its state; every action is checked again in main. */
export function ItemActions({ item, onError, onNotice, onDraft }: { item: OutboxItem; onError: (m: string) => void; onNotice: (m: string) => void; onDraft: (back: DraftBack, note: string) => void }) {
  const [rescheduling, setRescheduling] = useState(false);
  const [at, setAt] = useState(() => datetimeLocalValue(new Date(Date.now() + 3600_000)));
  const id = { id: item.id };
  const toComposer = (run: () => Promise<{ ok: true; value: DraftBack } | { ok: false; error: { message: string } }>, note: string) => async (): Promise<Reply> => {
    const r = await run();
    if (r.ok) onDraft(r.value, note);
    return r;
  };
  const actions: Action[] = [];
  if (item.state === 'held') actions.push(['Undo', toComposer(() => api()['outbox:undo'](id), 'The message was not sent: here it is again.')]);
  if (WAITING.includes(item.state)) actions.push(['Send now', () => api()['outbox:send-now'](id)]);
  if (item.state === 'failed' || item.state === 'partially-delivered') actions.push([item.state === 'failed' ? 'Retry' : 'Retry the refused', () => api()['outbox:retry'](id)]);
  if (item.state === 'outcome-unknown') actions.push(['Resend', () => api()['outbox:resend'](id)], ['Mark as sent', () => api()['outbox:mark-sent'](id)]);
  if ([...WAITING, 'failed'].includes(item.state)) {
    actions.push(['Reschedule', async () => (setRescheduling(true), { ok: true })]);
    actions.push(['Edit', toComposer(() => api()['outbox:edit'](id), 'The message was taken out of the outbox for editing; send it again when ready.')]);
  }
  if ([...WAITING, 'failed', 'outcome-unknown'].includes(item.state)) actions.push(['Cancel', () => api()['outbox:cancel'](id)]);
  if (!WAITING.includes(item.state) && item.state !== 'sending') actions.push(['Open as new draft', toComposer(() => api()['outbox:reopen'](id), 'A copy of the message, as a new draft.')]);
  if (item.state !== 'sending')
    actions.push([
      'Export .eml',
      async () => {
        const r = await api()['outbox:export'](id);
        if (r.ok && r.value.base64) download(r.value.fileName, r.value.base64);
        else if (r.ok && r.value.saved) onNotice(`Saved as ${r.value.fileName}.`);
        return r;
      },
    ]);

  const label = item.subject || '(no subject)';
  return (
    <>
      <div className="outbox-actions">
        {actions.map(([name, run]) => (
          <button
            key={name}
            className="btn btn-small"
            aria-label={`${name}: ${label}`}
            onClick={async () => {
              const r = await run();
              if (!r.ok) onError(r.error.message);
            }}
          >
            {name}
          </button>
        ))}
      </div>
      {rescheduling && (
        <div className="reschedule">
          <label>
            New time <input type="datetime-local" value={at} aria-label={`New time: ${label}`} onChange={(e) => setAt(e.target.value)} />
          </label>
          <button
            className="btn btn-small btn-primary"
            disabled={!at || Number.isNaN(new Date(at).getTime())}
            onClick={async () => {
              const r = await api()['outbox:reschedule']({ id: item.id, at: new Date(at).toISOString() });
              if (!r.ok) onError(r.error.message);
              else setRescheduling(false);
            }}
          >
            Save time
          </button>
          <button className="btn btn-small btn-quiet" onClick={() => setRescheduling(false)}>
            Keep as is
          </button>
        </div>
      )}
    </>
  );
}
