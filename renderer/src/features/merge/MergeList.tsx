import { useEffect, useState } from 'react';
import type { ErrorInfo, Result } from '../../../../shared/errors';
import type { MergeStatus } from '../../../../shared/model/merge';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { errorLine } from '../../lib/said';
import { Duration } from './Duration';

/** A file main gave as bytes (browser mode), offered as a download. */
function download(fileName: string, base64: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'text/csv' }));
  Object.assign(document.createElement('a'), { href: url, download: fileName }).click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Every merge with its progress, kept current by `merge:progress`; pause, resume, cancel and the report. */
export function MergeList({ refresh }: { refresh: number }) {
  const { t, rich, lang, time } = useT();
  const [merges, setMerges] = useState<MergeStatus[]>();
  const [error, setError] = useState<ErrorInfo>();

  useEffect(() => {
    const off = api().on('merge:progress', (s) => setMerges((list) => (list ? (list.some((m) => m.id === s.id) ? list.map((m) => (m.id === s.id ? s : m)) : [s, ...list]) : list)));
    void api()['merge:list']().then((r) => (r.ok ? setMerges(r.value) : setError(r.error)));
    return off;
  }, [refresh]);

  const act = async (run: () => Promise<Result<MergeStatus>>) => {
    const r = await run();
    if (r.ok) setMerges((list) => list?.map((m) => (m.id === r.value.id ? r.value : m)));
    else setError(r.error);
  };
  const report = async (id: string) => {
    const r = await api()['merge:export-report']({ id, language: lang });
    if (!r.ok) return setError(r.error);
    if (r.value.base64) download(r.value.fileName, r.value.base64);
  };

  return (
    <section className="merge-list" aria-labelledby="merge-list-title">
      <h2 id="merge-list-title">{t('merge.list')}</h2>
      {error && <p role="alert">{errorLine(lang, error)}</p>}
      {merges?.length === 0 && <p className="empty">{t('merge.empty')}</p>}
      <ul>
        {merges?.map((m) => {
          const c = m.counts;
          const done = m.total - c.pending - c.inFlight;
          const subject = m.subject || t('common.noSubject');
          return (
            <li key={m.id} className="card merge-item">
              <div className="merge-item-head">
                <strong>{subject}</strong>
                <span className={`badge badge-${m.state}`}>{t(`merge.state.${m.state}`)}</span>
                <span className="muted small">{time(m.createdAt)}</span>
              </div>
              <progress max={m.total} value={done} aria-label={t('merge.progress', { subject })} />
              <p className="small">
                {t('merge.counts', { sent: c.sent, failed: c.failed, unknown: c.unknown, skipped: c.skipped, left: c.pending + c.inFlight })}
                {m.state === 'running' && c.pending > 0 && m.etaSeconds > 0 && (
                  <>
                    {' · '}
                    {rich('merge.left', { time: <Duration seconds={m.etaSeconds} /> })}
                  </>
                )}
              </p>
              {m.error && <p role="alert">{errorLine(lang, m.error)}</p>}
              <div className="merge-actions">
                {m.state === 'running' && (
                  <button className="btn btn-small" aria-label={t('merge.actionLabel', { action: t('merge.pause'), subject })} onClick={() => void act(() => api()['merge:pause']({ id: m.id }))}>
                    {t('merge.pause')}
                  </button>
                )}
                {m.state === 'paused' && (
                  <button className="btn btn-small" aria-label={t('merge.actionLabel', { action: t('merge.resume'), subject })} onClick={() => void act(() => api()['merge:resume']({ id: m.id }))}>
                    {t('merge.resume')}
                  </button>
                )}
                {(m.state === 'running' || m.state === 'paused') && (
                  <button className="btn btn-small" aria-label={t('merge.actionLabel', { action: t('merge.cancel'), subject })} onClick={() => void act(() => api()['merge:cancel']({ id: m.id }))}>
                    {t('merge.cancel')}
                  </button>
                )}
                <button className="btn btn-small" aria-label={t('merge.actionLabel', { action: t('merge.report'), subject })} onClick={() => void report(m.id)}>
                  {t('merge.report')}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
