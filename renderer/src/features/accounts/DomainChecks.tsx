import { AlertTriangle, Check, X } from 'lucide-react';
import type { DomainReport } from '../../../../shared/model/deliverability';
import { sayPhrase } from '../../../../shared/i18n/errors/say';
import { useT } from '../../lib/i18n';
import { Pieces } from '../../lib/said';

const MARK = { pass: Check, warn: AlertTriangle, fail: X } as const;

/** The From domain's SPF, DKIM, DMARC and alignment: each with what was found and, when not passed, what to publish. */
export function DomainChecks({ report }: { report: DomainReport }) {
  const { t, lang } = useT();
  return (
    <div className="domain-checks" role="group" aria-label={t('domain.title', { domain: report.domain })}>
      <p className="domain-title">{t('domain.title', { domain: report.domain })}</p>
      <ul>
        {report.checks.map((c) => {
          const Mark = MARK[c.status];
          return (
            <li key={c.name} data-status={c.status}>
              <span className={`phase-mark check-${c.status}`} role="img" aria-label={t(`domain.status.${c.status}`)}>
                <Mark size={13} strokeWidth={3} />
              </span>
              <div>
                <Pieces pieces={sayPhrase(lang, c.text)} />
                {c.found && <div className="muted small domain-found">{t('domain.found', { record: c.found })}</div>}
                {c.hint && c.status !== 'pass' && (
                  <div className="small domain-hint">
                    <Pieces pieces={sayPhrase(lang, c.hint)} />
                  </div>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
