import { useEffect, useState } from 'react';
import type { Account } from '../../../../shared/model/account';
import type { DraftBack } from '../../../../shared/model/draft';
import type { OutboxItem, SendProgress } from '../../../../shared/model/outbox';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { useT, type I18n } from '../../lib/i18n';
import { secondsLeft, useNow } from '../../lib/useNow';
import { GROUPS, groupOf } from './groups';
import { ItemActions } from './ItemActions';

// State names are the catalogue's outbox.state.<state>; security names other than "none" are protocol names.
const securityLabel = (t: I18n['t'], security: string) => (security === 'none' ? t('outbox.security.none') : security.toUpperCase());

const byNewest = (a: OutboxItem, b: OutboxItem) => b.createdAt.localeCompare(a.createdAt);

/** Every message grouped by what it needs, live: items change in place as main reports them. */
export function OutboxView({ accounts, onDraft }: { accounts: Account[]; onDraft: (back: DraftBack, note: string) => void }) {
  const { t, rich, time, bytes } = useT();
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
  const accountName = (id: string) => accounts.find((a) => a.id === id)?.name ?? t('outbox.removedAccount');
  return (
    <section className="view" aria-label={t('nav.outbox')}>
      <header className="view-header">
        <h1>{t('nav.outbox')}</h1>
        <span className="muted">{t('outbox.subtitle')}</span>
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
      {items && items.length === 0 && <div className="empty">{t('outbox.empty')}</div>}
      {GROUPS.map((group) => {
        const members = items?.filter((i) => groupOf(i) === group.id) ?? [];
        if (!members.length) return null;
        return (
          <section key={group.id} className="outbox-group" aria-label={t(`outbox.group.${group.id}`)}>
            <h2>
              {t(`outbox.group.${group.id}`)} <span className="muted">({members.length})</span>
            </h2>
            {group.note && <p className="muted small">{rich('outbox.group.scheduled.note', { serve: <code>mailwright serve</code>, run: <code>mailwright outbox run</code> })}</p>}
            <ul className="outbox-list">
              {members.map((item) => (
                <li key={item.id} className="card outbox-item" data-state={item.state} aria-label={t('outbox.itemLabel', { subject: item.subject || t('common.noSubject'), state: t(`outbox.state.${item.state}`) })}>
                  <div className="outbox-main">
                    <span className={`badge badge-${item.state}`}>{t(`outbox.state.${item.state}`)}</span>
                    <span className="outbox-subject">{item.subject || t('common.noSubject')}</span>
                    <span className="muted outbox-time">{time(item.updatedAt)}</span>
                  </div>
                  <div className="muted outbox-meta">
                    {t('outbox.meta', { recipients: item.recipients.join(', '), account: accountName(item.accountId), size: bytes(item.size) })}
                    {item.attempts > 1 ? ` · ${t('outbox.attempts', { count: item.attempts })}` : ''}
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
  const { t, time, bytes } = useT();
  if (item.overdue && (item.state === 'held' || item.state === 'scheduled')) {
    return (
      <div className="outbox-overdue" role="note">
        {t('outbox.overdue', { time: item.dueAt ? time(item.dueAt) : '' })}
      </div>
    );
  }
  if (item.state === 'held') return <div className="outbox-countdown">{t('outbox.countdown', { seconds: secondsLeft(item.dueAt, now) })}</div>;
  if (item.state === 'scheduled' && item.dueAt) return <div className="muted small">{t('outbox.goesOut', { time: time(item.dueAt) })}</div>;
  if (item.state === 'retrying' && item.dueAt) return <div className="muted small">{t('outbox.nextAttempt', { time: time(item.dueAt) })}{item.giveUpAt ? ` · ${t('outbox.givesUp', { time: time(item.giveUpAt) })}` : ''}</div>;
  if (item.state === 'sending') {
    const sent = progress?.sent ?? 0;
    return (
      <div className="outbox-progress">
        <progress max={item.size} value={sent} aria-label={t('outbox.progressLabel', { sent: bytes(sent), total: bytes(item.size) })} />
        <span className="muted small">
          {t('outbox.progress', { sent: bytes(sent), total: bytes(item.size) })}
        </span>
      </div>
    );
  }
  return (
    <>
      {item.response && !item.error && (
        <div className="outbox-response">
          {t('outbox.server')} <code>{item.response}</code>
        </div>
      )}
      {item.delivery && (
        <div className="muted small">
          {t('outbox.delivered', { server: `${item.delivery.host}:${item.delivery.port}`, security: securityLabel(t, item.delivery.security), time: time(item.delivery.at), seconds: Math.round(item.delivery.durationMs / 100) / 10 })}
          {item.accepted?.length ? ` · ${t('outbox.acceptedFor', { recipients: item.accepted.join(', ') })}` : ''}
        </div>
      )}
      {item.rejected && item.rejected.length > 0 && (
        <div className="outbox-rejected">{t('outbox.notDeliveredTo', { list: item.rejected.map((r) => `${r.address}${r.response ? ` (${r.response})` : ''}`).join('; ') })}</div>
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
