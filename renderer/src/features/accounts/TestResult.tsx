import type { ConnectionTestReport } from '../../../../shared/model/connection-test';
import { ErrorBox } from '../../lib/ErrorBox';

const PHASE_LABEL: Record<string, string> = { resolve: 'Resolve', connect: 'Connect', greeting: 'Greeting', tls: 'TLS', auth: 'Login', envelope: 'Sender & recipient', send: 'Test message' };

/** The doctor's verdict: the phases (filling in live while `running`), the failure, the transcript. */
export function TestResult({ report, running = false }: { report: ConnectionTestReport; running?: boolean }) {
  const failed = report.phases.find((p) => p.status === 'failed');
  return (
    <div className="test-result" role="group" aria-label="Test result">
      <ol className="phases">
        {report.phases.map((p) => (
          <li key={p.name} data-status={p.status} title={p.note}>
            <span className={`phase-mark phase-${p.status}`} aria-hidden="true">
              {p.status === 'passed' ? '✓' : p.status === 'failed' ? '✕' : '–'}
            </span>
            <span className="phase-name">{PHASE_LABEL[p.name] ?? p.name}</span>
            <span className="muted small">
              {p.status}
              {p.status !== 'skipped' ? ` · ${p.ms} ms` : ''}
            </span>
          </li>
        ))}
        {running && (
          <li data-status="running">
            <span className="phase-mark phase-running" aria-hidden="true">…</span>
            <span className="muted small">testing</span>
          </li>
        )}
      </ol>
      {report.ok && <p className="muted small">The server accepts this sender and recipient. No message was sent.</p>}
      {failed?.code && <ErrorBox error={{ code: failed.code, message: failed.message ?? '', hint: failed.hint ?? '', ...(failed.smtp ? { smtp: failed.smtp } : {}), ...(failed.details ? { details: failed.details } : {}) }} />}
      {!running && (
      <details>
        <summary>Transcript</summary>
        <pre className="transcript">{report.transcript.map((t) => `${String(t.ms).padStart(5)} ms ${t.tls ? 'TLS' : '   '} ${t.dir === 'sent' ? 'C:' : t.dir === 'received' ? 'S:' : '  '} ${t.text}`).join('\n')}</pre>
      </details>
      )}
    </div>
  );
}
