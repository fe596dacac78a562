import type { ErrorInfo } from '../../../../shared/errors';
import type { ConnectionTestReport, SettingField, TestPhase } from '../../../../shared/model/connection-test';
import { ErrorBox } from '../../lib/ErrorBox';
import { Check, Minus, X } from 'lucide-react';
import { useT, type I18n } from '../../lib/i18n';
import { sayNote } from '../../lib/said';
import { DomainChecks } from './DomainChecks';

const PHASES = ['resolve', 'connect', 'greeting', 'tls', 'auth', 'envelope', 'send'] as const;
/** A doctor phase by its name in the catalogue (test.phase.<name>); an unknown one as main named it. */
export const phaseLabel = (t: I18n['t'], name: string) => (PHASES.find((p) => p === name) ? t(`test.phase.${name as (typeof PHASES)[number]}`) : name);

/** A failed phase's error as ErrorBox shows it (its phrases, the server's reply, the certificate's facts). */
export function phaseError(p: TestPhase): ErrorInfo | undefined {
  if (!p.code) return undefined;
  const { code, message = '', hint = '', text, smtp, details } = p;
  return { code, message, hint, ...(text ? { text } : {}), ...(smtp ? { smtp } : {}), ...(details ? { details } : {}) };
}

/**
 * The doctor's verdict: the phases (filling in live while `running`), the failure, the transcript.
 * `hintBeside`: the settings beside which the caller shows a failure's hint (the account form),
 * so the failure below does not say it a second time.
 */
export function TestResult({ report, running = false, hintBeside = [] }: { report: ConnectionTestReport; running?: boolean; hintBeside?: readonly SettingField[] }) {
  const { t, lang } = useT();
  const failed = report.phases.find((p) => p.status === 'failed');
  const failure = failed && phaseError(failed);
  return (
    <div className="test-result" role="group" aria-label={t('test.result')}>
      <ol className="phases">
        {report.phases.map((p) => (
          <li key={p.name} data-status={p.status} title={sayNote(lang, p.noteText, p.note)}>
            <span className={`phase-mark phase-${p.status}`} aria-hidden="true">
              {p.status === 'passed' ? <Check size={13} strokeWidth={3} /> : p.status === 'failed' ? <X size={13} strokeWidth={3} /> : <Minus size={13} strokeWidth={3} />}
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
      {failure && <ErrorBox error={failure} hintShown={!!failed.field && hintBeside.includes(failed.field)} />}
      {report.domain && <DomainChecks report={report.domain} />}
      {!running && (
      <details>
        <summary>{t('test.transcript')}</summary>
        <pre className="transcript" tabIndex={0}>{report.transcript.map((t) => `${String(t.ms).padStart(5)} ms ${t.tls ? 'TLS' : '   '} ${t.dir === 'sent' ? 'C:' : t.dir === 'received' ? 'S:' : '  '} ${t.text}`).join('\n')}</pre>
      </details>
      )}
    </div>
  );
}
