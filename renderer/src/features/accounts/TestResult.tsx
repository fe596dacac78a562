import type { ConnectionTestReport } from '../../../../shared/model/connection-test';
import { ErrorBox } from '../../lib/ErrorBox';

import { useT, type I18n } from '../../lib/i18n';

const PHASES = ['resolve', 'connect', 'greeting', 'tls', 'auth', 'envelope', 'send'] as const;
/** A doctor phase by its name in the catalogue (test.phase.<name>); an unknown one as main named it. */
export const phaseLabel = (t: I18n['t'], name: string) => (PHASES.find((p) => p === name) ? t(`test.phase.${name as (typeof PHASES)[number]}`) : name);

/** The doctor's verdict: the phases (filling in live while `running`), the failure, the transcript. */
export function TestResult({ report, running = false }: { report: ConnectionTestReport; running?: boolean }) {
  const { t } = useT();
  const failed = report.phases.find((p) => p.status === 'failed');
  return (
    <div className="test-result" role="group" aria-label={t('test.result')}>
      <ol className="phases">
        {report.phases.map((p) => (
          <li key={p.name} data-status={p.status} title={p.note}>
            <span className={`phase-mark phase-${p.status}`} aria-hidden="true">
              {p.status === 'passed' ? '✓' : p.status === 'failed' ? '✕' : '–'}
            </span>
            <span className="phase-name">{phaseLabel(t, p.name)}</span>
            <span className="muted small">
              {t(`test.status.${p.status}`)}
              {p.status !== 'skipped' ? ` · ${t('common.ms', { ms: p.ms })}` : ''}
            </span>
          </li>
        ))}
        {running && (
          <li data-status="running">
            <span className="phase-mark phase-running" aria-hidden="true">…</span>
            <span className="muted small">{t('test.status.running')}</span>
          </li>
        )}
      </ol>
      {report.ok && <p className="muted small">{t('test.accepted')}</p>}
      {failed?.code && <ErrorBox error={{ code: failed.code, message: failed.message ?? '', hint: failed.hint ?? '', ...(failed.smtp ? { smtp: failed.smtp } : {}), ...(failed.details ? { details: failed.details } : {}) }} />}
      {!running && (
      <details>
        <summary>{t('test.transcript')}</summary>
        <pre className="transcript" tabIndex={0}>{report.transcript.map((t) => `${String(t.ms).padStart(5)} ms ${t.tls ? 'TLS' : '   '} ${t.dir === 'sent' ? 'C:' : t.dir === 'received' ? 'S:' : '  '} ${t.text}`).join('\n')}</pre>
      </details>
      )}
    </div>
  );
}
