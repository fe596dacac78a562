import { useEffect, useState } from 'react';
import type { Account } from '../../../../shared/model/account';
import type { OutboxItem, OutboxState } from '../../../../shared/model/outbox';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { formatBytes, formatTime } from '../../lib/format';

const STATE_LABEL: Record<OutboxState, string> = {
  held: 'Sending soon (undo possible)',
  retrying: 'Will retry',
  cancelled: 'Cancelled',
  scheduled: 'Scheduled',
  sending: 'Sending…',
  sent: 'Sent',
  'partially-delivered': 'Partly delivered',
  failed: 'Failed',
  'outcome-unknown': 'Outcome unknown',
};

/** Every message with its state, live: items change in place as main reports them. */
export function OutboxView({ accounts }: { accounts: Account[] }) {
  const [items, setItems] = useState<OutboxItem[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let alive = true;
    const off = api().on('outbox:changed', (item) =>
      setItems((list) => {
        const rest = (list ?? []).filter((i) => i.id !== item.id);
        return [item, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      }),
    );
    void api()['outbox:list']().then((r) => alive && (r.ok ? setItems((live) => merge(r.value, live)) : setError(r.error.message)));
    return () => {
      alive = false;
      off();
    };
  }, []);

  const accountName = (id: string) => accounts.find((a) => a.id === id)?.name ?? 'removed account';
  return (
    <section className="view" aria-label="Outbox">
      <header className="view-header">
        <h1>Outbox</h1>
        <span className="muted">Messages waiting, sending and sent</span>
      </header>
      {error && <p role="alert">{error}</p>}
      {items && items.length === 0 && <div className="empty">Nothing sent yet. Messages you send appear here with their delivery state.</div>}
      <ul className="outbox-list" aria-label="Outbox messages">
        {items?.map((item) => (
          <li key={item.id} className="card outbox-item" data-state={item.state} aria-label={`${item.subject || '(no subject)'}: ${STATE_LABEL[item.state]}`}>
            <div className="outbox-main">
              <span className={`badge badge-${item.state}`}>{STATE_LABEL[item.state]}</span>
              <span className="outbox-subject">{item.subject || '(no subject)'}</span>
              <span className="muted outbox-time">{formatTime(item.updatedAt)}</span>
            </div>
            <div className="muted outbox-meta">
              to {item.recipients.join(', ')} · via {accountName(item.accountId)} · {formatBytes(item.size)}
              {item.attempts > 1 ? ` · ${item.attempts} attempts` : ''}
            </div>
            {item.overdue && (
              <div className="outbox-overdue" role="note">
                This became due while Mailwright was not running. Send it now, reschedule or cancel it.
              </div>
            )}
            {item.dueAt && !item.overdue && (item.state === 'held' || item.state === 'scheduled' || item.state === 'retrying') && (
              <div className="muted small">
                {item.state === 'retrying' ? 'Next attempt' : 'Goes out'} {formatTime(item.dueAt)}
              </div>
            )}
            {item.response && !item.error && <div className="outbox-response">Server: <code>{item.response}</code></div>}
            {item.rejected && item.rejected.length > 0 && (
              <div className="outbox-rejected">
                Not delivered to: {item.rejected.map((r) => `${r.address}${r.response ? ` (${r.response})` : ''}`).join('; ')}
              </div>
            )}
            {item.error && <ErrorBox error={item.error} />}
            <ItemActions item={item} onError={setError} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The list from disk, with any live updates that arrived while it loaded taking precedence. */
function merge(fromDisk: OutboxItem[], live: OutboxItem[] | undefined): OutboxItem[] {
  const byId = new Map(fromDisk.map((i) => [i.id, i]));
  for (const i of live ?? []) byId.set(i.id, i);
  return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

type Action = [label: string, run: () => Promise<{ ok: boolean; error?: { message: string } }>];

/** What can be done with an item in its state; every action is checked again in main. */
function ItemActions({ item, onError }: { item: OutboxItem; onError: (message: string) => void }) {
  const id = { id: item.id };
  const actions: Action[] = [];
  if (item.state === 'held') actions.push(['Undo', () => api()['outbox:undo'](id)]);
  if (item.state === 'held' || item.state === 'scheduled' || item.state === 'retrying') actions.push(['Send now', () => api()['outbox:send-now'](id)]);
  if (item.state === 'failed' || item.state === 'partially-delivered') actions.push([item.state === 'failed' ? 'Retry' : 'Retry the refused', () => api()['outbox:retry'](id)]);
  if (item.state === 'outcome-unknown') actions.push(['Resend', () => api()['outbox:resend'](id)], ['Mark as sent', () => api()['outbox:mark-sent'](id)]);
  if (['held', 'scheduled', 'retrying', 'failed', 'outcome-unknown'].includes(item.state)) actions.push(['Cancel', () => api()['outbox:cancel'](id)]);
  if (!actions.length) return null;
  return (
    <div className="outbox-actions">
      {actions.map(([label, run]) => (
        <button
          key={label}
          className="btn btn-small"
          aria-label={`${label}: ${item.subject || '(no subject)'}`}
          onClick={async () => {
            const r = await run();
            if (!r.ok) onError(r.error?.message ?? 'The action failed.');
          }}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
