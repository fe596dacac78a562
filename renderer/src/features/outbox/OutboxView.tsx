import { defaultRangeExtractor, useWindowVirtualizer, type Range } from '@tanstack/react-virtual';
import { ChevronDown, ChevronRight } from 'lucide-react';
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type Ref } from 'react';
import type { Account } from '../../../../shared/model/account';
import type { DraftBack } from '../../../../shared/model/draft';
import type { OutboxItem, SendProgress } from '../../../../shared/model/outbox';
import { ErrorBox } from '../../lib/ErrorBox';
import { errorLine } from '../../lib/said';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { recipientsLine } from '../../lib/recipients';
import { securityLabel } from '../../lib/security-label';
import { secondsLeft, useNow } from '../../lib/useNow';
import { GROUPS, groupOf, type GroupId } from '../../../../shared/model/outbox-groups';
import { ItemActions } from './ItemActions';
import { useOutboxItems } from './useOutboxItems';

// State names are the catalogue's outbox.state.<state>; security names other than "none" are protocol names.

/** From this many items a group renders only the rows near the window (and the focused one); smaller groups render every row. */
export const VIRTUAL_FROM = 60;
/** A row's height before it is measured, by what it shows (an error box, a delivery line), and the gap between cards (.outbox-list). */
const rowEstimate = (item: OutboxItem) => (item.error || item.rejected?.length ? 232 : item.delivery ? 160 : item.state === 'cancelled' ? 108 : 125);
const ROW_GAP = 10;

interface RowHandlers {
  accountName: (id: string) => string;
  progress: Record<string, SendProgress>;
  now: number;
  onError: (m: string) => void;
  onNotice: (m: string) => void;
  onDraft: (back: DraftBack, note: string) => void;
}

/** Every message grouped by what it needs, live: items change in place as main reports them. */
export function OutboxView({ accounts, onDraft }: { accounts: Account[]; onDraft: (back: DraftBack, note: string) => void }) {
  const { t, rich, lang } = useT();
  const { items: all, overview, error: listError } = useOutboxItems();
  // The whole list once it is in; before that, each section's first rows (sizes from the overview).
  const items = all ?? overview?.items;
  const [progress, setProgress] = useState<Record<string, SendProgress>>({});
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [unfolded, setUnfolded] = useState<ReadonlySet<GroupId>>(new Set());

  useLayoutEffect(() => api().on('outbox:progress', (p) => setProgress((all) => ({ ...all, [p.id]: p }))), []);

  const groups = useMemo(() => {
    const byGroup = new Map<GroupId, OutboxItem[]>(GROUPS.map((g) => [g.id, []]));
    for (const item of items ?? []) byGroup.get(groupOf(item))!.push(item);
    return byGroup;
  }, [items]);
  const now = useNow(!!items?.some((i) => i.state === 'held'));
  const names = useMemo(() => new Map(accounts.map((a) => [a.id, a.name])), [accounts]);
  const accountName = useCallback((id: string) => names.get(id) ?? t('outbox.removedAccount'), [names, t]);
  // One object while nothing in it changes, so rows (memo) render again only when their item or these did.
  const handlers = useMemo<RowHandlers>(() => ({ accountName, progress, now, onError: setError, onNotice: setNotice, onDraft }), [accountName, progress, now, onDraft]);
  const shownError = error ?? (listError && errorLine(lang, listError));
  return (
    <section className="view" aria-label={t('nav.outbox')}>
      <header className="view-header">
        <h1 tabIndex={-1}>{t('nav.outbox')}</h1>
        <span className="muted">{t('outbox.subtitle')}</span>
      </header>
      {shownError && (
        <p role="alert" className="notice notice-bad">
          {shownError}
        </p>
      )}
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {items && items.length === 0 && <div className="empty">{t('outbox.empty')}</div>}
      {GROUPS.map((group) => {
        const members = groups.get(group.id)!;
        // Before the whole list, a section's size is the overview's count: it may have more than its rows shown.
        const size = all ? members.length : (overview?.counts[group.id] ?? 0);
        if (!size) return null;
        const folded = group.folded && !unfolded.has(group.id);
        const title = (
          <>
            {t(`outbox.group.${group.id}`)} <span className="muted">({size})</span>
          </>
        );
        return (
          <section key={group.id} className="outbox-group" aria-label={t(`outbox.group.${group.id}`)} aria-busy={members.length < size || undefined}>
            {group.folded ? (
              <h2>
                <button type="button" className="group-toggle" aria-expanded={!folded} onClick={() => setUnfolded((open) => (folded ? new Set([...open, group.id]) : new Set([...open].filter((id) => id !== group.id))))}>
                  {folded ? <ChevronRight size={16} aria-hidden="true" /> : <ChevronDown size={16} aria-hidden="true" />}
                  {title}
                </button>
              </h2>
            ) : (
              <h2>{title}</h2>
            )}
            {group.note && <p className="muted small">{rich('outbox.group.scheduled.note', { serve: <code>mailwright serve</code>, run: <code>mailwright outbox run</code> })}</p>}
            {/* One list whatever the section's size: it goes virtual (or back) as it grows (or shrinks) past VIRTUAL_FROM, keeping its rows and their focus. */}
            {folded ? null : <VirtualRows members={members} size={size} handlers={handlers} />}
          </section>
        );
      })}
    </section>
  );
}

/**
 * A section's list. A long one (VIRTUAL_FROM rows and more): only the rows near the window are in
 * the page, positioned in a list as tall as all of them. Each row says its place (aria-posinset of aria-setsize: the group's `size`, more than
 * its `members` while only the overview's first rows are in) for screen readers; the row that
 * holds the focus stays rendered however far the window scrolls, and Tab moves into the next row
 * because the rows just below the window are rendered too (overscan) and come into view as focused.
 */
function VirtualRows({ members, size, handlers }: { members: OutboxItem[]; size: number; handlers: RowHandlers }) {
  const list = useRef<HTMLUListElement>(null);
  // Only the overview's first rows (the whole list on its way): drawn in the list as they are, each
  // with its place, without the measuring of every row (each a layout of the page) that made the
  // first open slow (bench/outbox-view.ts). The same list and rows go virtual when the whole list
  // is in, so a focused row keeps the focus.
  const virtual = members.length >= VIRTUAL_FROM;
  /** Only some of the section's rows are here (the overview's): each says its place in the whole. */
  const partial = size > members.length;
  // Where the list begins in the page: groups above it change height as their rows are measured.
  const [top, setTop] = useState(0);
  useLayoutEffect(() => {
    if (!virtual) return;
    const update = () => list.current && setTop(Math.round(list.current.getBoundingClientRect().top + window.scrollY));
    update();
    const observer = new ResizeObserver(update);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [virtual]);
  // By id, not index: the focused message stays rendered even when others come in above it.
  const [focusedId, setFocusedId] = useState<string>();
  const focused = useMemo(() => (focusedId === undefined ? undefined : members.findIndex((i) => i.id === focusedId)), [members, focusedId]);
  const rangeExtractor = useCallback(
    (range: Range) => {
      const rows = defaultRangeExtractor(range);
      if (focused === undefined || focused < 0 || focused >= range.count || rows.includes(focused)) return rows;
      return [...rows, focused].sort((a, b) => a - b);
    },
    [focused],
  );
  // Stable while the members are: the virtualizer lays out all rows again when these change.
  const estimateSize = useCallback((i: number) => rowEstimate(members[i]!), [members]);
  const getItemKey = useCallback((i: number) => members[i]!.id, [members]);
  // Off for a short section: it would follow the window's scroll and re-render on every scroll. On
  // for a long one while its overview's rows are drawn plain: enabled only when the list goes
  // virtual, its first virtual render has no rows yet, and the focused row would be made anew.
  const virtualizer = useWindowVirtualizer({ count: members.length, estimateSize, gap: ROW_GAP, overscan: 4, scrollMargin: top, getItemKey, rangeExtractor, enabled: virtual || partial });
  const onFocus = (e: FocusEvent) => {
    const index = Number((e.target as Element).closest('[data-index]')?.getAttribute('data-index'));
    if (Number.isInteger(index)) setFocusedId(members[index]?.id);
  };
  const onBlur = (e: FocusEvent) => {
    if (!list.current?.contains(e.relatedTarget as Node | null)) setFocusedId(undefined);
  };
  if (!virtual) {
    return (
      <ul ref={list} className="outbox-list" onFocus={onFocus} onBlur={onBlur}>
        {members.map((item, index) => (
          <OutboxRow key={item.id} item={item} handlers={handlers} {...(partial ? { index, setSize: size } : {})} />
        ))}
      </ul>
    );
  }
  return (
    <ul ref={list} className="outbox-list outbox-list-virtual" style={{ height: virtualizer.getTotalSize() }} onFocus={onFocus} onBlur={onBlur}>
      {virtualizer.getVirtualItems().map((row) => (
        <OutboxRow
          key={row.key}
          item={members[row.index]!}
          handlers={handlers}
          index={row.index}
          setSize={size}
          rowRef={virtualizer.measureElement}
          y={row.start - virtualizer.options.scrollMargin}
        />
      ))}
    </ul>
  );
}

/** One message; in a long group, `y` places it in the list (a number, so an unchanged row is not rendered again). */
const OutboxRow = memo(function OutboxRow({ item, handlers, index, setSize, rowRef, y }: { item: OutboxItem; handlers: RowHandlers; index?: number; setSize?: number; rowRef?: Ref<HTMLLIElement>; y?: number }) {
  const { t, time, bytes } = useT();
  const recipients = recipientsLine(t, item.recipients, item.bcc);
  const { accountName, progress, now, onError, onNotice, onDraft } = handlers;
  return (
    <li
      ref={rowRef}
      data-index={index}
      aria-setsize={setSize}
      aria-posinset={index === undefined ? undefined : index + 1}
      style={y === undefined ? undefined : { transform: `translateY(${y}px)` }}
      className="card outbox-item"
      data-state={item.state}
      aria-label={t('outbox.itemLabel', { subject: item.subject || t('common.noSubject'), state: item.takenBack ? t('outbox.takenBack') : t(`outbox.state.${item.state}`) })}
    >
      <div className="outbox-main">
        {/* The section's title names the state, except where states mix (needs attention). */}
        {groupOf(item) === 'attention' && <span className={`badge badge-${item.state}`}>{t(`outbox.state.${item.state}`)}</span>}
        <span className="outbox-subject">{item.subject || t('common.noSubject')}</span>
        <span className="muted outbox-time">{time(item.updatedAt)}</span>
      </div>
      <div className="muted outbox-meta">
        {t('outbox.meta', { recipients: recipients.text, account: accountName(item.accountId), size: bytes(item.size) })}
        {item.attempts > 1 ? ` · ${t('outbox.attempts', { count: item.attempts })}` : ''}
      </div>
      <ItemStatus item={item} progress={progress[item.id]} now={now} />
      {item.error && <ErrorBox error={item.error} />}
      <ItemActions item={item} onError={onError} onNotice={onNotice} onDraft={onDraft} />
    </li>
  );
});

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
