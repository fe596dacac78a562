import { useEffect, useState } from 'react';
import type { Account } from '../../../../shared/model/account';
import type { DraftBack } from '../../../../shared/model/draft';
import type { OutboxItem, OutboxState, SendProgress } from '../../../../shared/model/outbox';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { formatBytes, formatTime } from '../../lib/format';
import { secondsLeft, useNow } from '../../lib/useNow';
import { GROUPS, groupOf } from './groups';
import { ItemActions } from './ItemActions';

const STATE_LABEL: Record<OutboxState, string> = {
  held: 'Sending soon',
  retrying: 'Will retry',
  cancelled: 'Cancelled',
  scheduled: 'Scheduled',
  sending: 'Sending…',
  sent: 'Sent',
  'partially-delivered': 'Partly delivered',
  failed: 'Failed',
  'outcome-unknown': 'Outcome unknown',
};

const SECURITY_LABEL: Record<string, string> = { tls: 'TLS', starttls: 'STARTTLS', none: 'no encryption' };

const byNewest = (a: OutboxItem, b: OutboxItem) => b.createdAt.localeCompare(a.createdAt);

/** Every message grouped by what it needs, live: items change in place as main reports them. */
export function OutboxView({ accounts, onDraft }: { accounts: Account[]; onDraft: (back: DraftBack, note: string) => void }) {
  const [items, setItems] = useState<OutboxItem[]>();
  const [progress, setProgress] = useState<Record<string, SendProgress>>({});
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    let alive = true;
    const offChanged = api().on('outbox:changed', (item) => setItems((list) => [item, ...(list ?? []).filter((i) => i.id !== item.id)].sort(byNewest)));
    const offProgress = api().on('outbox:progress', (p) => setProgress((all) => ({ ...all, [p.id]: p })));
    void api()['outbox:list']().then((r) => alive && (r.ok ? setItems((live) => merge(r.value, live)) : setError(r.error.message)));
    return () => {
      alive = false;
      offChanged();
      offProgress();
    };
  }, []);

  const now = useNow(!!items?.some((i) => i.state === 'held'));
  const accountName = (id: string) => accounts.find((a) => a.id === id)?.name ?? 'removed account';
  return (
    <section className="view" aria-label="Outbox">
      <header className="view-header">
        <h1>Outbox</h1>
        <span className="muted">Messages waiting, sending and sent</span>
      </header>
      {error && (
        <p role="alert" className="notice notice-bad">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {items && items.length === 0 && <div className="empty">Nothing sent yet. Messages you send appear here with their delivery state.</div>}
      {GROUPS.map((group) => {
        const members = items?.filter((i) => groupOf(i) === group.id) ?? [];
        if (!members.length) return null;
        return (
          <section key={group.id} className="outbox-group" aria-label={group.title}>
            <h2>
              {group.title} <span className="muted">({members.length})</span>
            </h2>
            {group.note && <p className="muted small">{group.note}</p>}
            <ul className="outbox-list">
              {members.map((item) => (
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
                  <ItemStatus item={item} progress={progress[item.id]} now={now} />
                  {item.error && <ErrorBox error={item.error} />}
                  <ItemActions item={item} onError={setError} onNotice={setNotice} onDraft={onDraft} />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}

/** The one line that says where an item stands: countdown, time, progress, or how it went. */
function ItemStatus({ item, progress, now }: { item: OutboxItem; progress?: SendProgress; now: number }) {
  if (item.overdue && (item.state === 'held' || item.state === 'scheduled')) {
    return (
      <div className="outbox-overdue" role="note">
        This was due {item.dueAt ? formatTime(item.dueAt) : ''} while Mailwright was not running. Send it now, reschedule or cancel it.
      </div>
    );
  }
  if (item.state === 'held') return <div className="outbox-countdown">Goes out in {secondsLeft(item.dueAt, now)} s — Undo brings it back to the composer.</div>;
  if (item.state === 'scheduled' && item.dueAt) return <div className="muted small">Goes out {formatTime(item.dueAt)}</div>;
  if (item.state === 'retrying' && item.dueAt) return <div className="muted small">Next attempt {formatTime(item.dueAt)}{item.giveUpAt ? ` · gives up after ${formatTime(item.giveUpAt)}` : ''}</div>;
  if (item.state === 'sending') {
    const sent = progress?.sent ?? 0;
    return (
      <div className="outbox-progress">
        <progress max={item.size} value={sent} aria-label={`Sent ${formatBytes(sent)} of ${formatBytes(item.size)}`} />
        <span className="muted small">
          {formatBytes(sent)} of {formatBytes(item.size)}
        </span>
      </div>
    );
  }
  return (
    <>
      {item.response && !item.error && (
        <div className="outbox-response">
          Server: <code>{item.response}</code>
        </div>
      )}
      {item.delivery && (
        <div className="muted small">
          Delivered through {item.delivery.host}:{item.delivery.port} ({SECURITY_LABEL[item.delivery.security] ?? item.delivery.security}) at {formatTime(item.delivery.at)} in {(item.delivery.durationMs / 1000).toFixed(1)} s
          {item.accepted?.length ? ` · accepted for ${item.accepted.join(', ')}` : ''}
        </div>
      )}
      {item.rejected && item.rejected.length > 0 && (
        <div className="outbox-rejected">Not delivered to: {item.rejected.map((r) => `${r.address}${r.response ? ` (${r.response})` : ''}`).join('; ')}</div>
      )}
    </>
  );
}

/** The list from disk, with any live updates that arrived while it loaded taking precedence. */
function merge(fromDisk: OutboxItem[], live: OutboxItem[] | undefined): OutboxItem[] {
  const byId = new Map(fromDisk.map((i) => [i.id, i]));
  for (const i of live ?? []) byId.set(i.id, i);
  return [...byId.values()].sort(byNewest);
}
