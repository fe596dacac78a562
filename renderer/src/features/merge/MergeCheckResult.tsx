import type { MergeCheck } from '../../../../shared/model/merge';
import { useT } from '../../lib/i18n';
import { sayNote } from '../../lib/said';
import { Duration } from './Duration';
import { DomainChecks } from '../accounts/DomainChecks';

const LISTED = 50;

/** What a check found: how many rows can go, why the others cannot, the first rows as a table, and how long it takes. */
export function MergeCheckResult({ check }: { check: MergeCheck }) {
  const { t, rich, lang } = useT();
  return (
    <div className="merge-result">
      {check.missingColumns.length === 0 && (
        <p>
          {t('merge.checked', { count: check.total, valid: check.valid })} {check.etaSeconds > 0 ? rich('merge.eta', { time: <Duration seconds={check.etaSeconds} /> }) : t('merge.etaNone')}
        </p>
      )}
      {check.invalidCount > 0 && (
        <div role="alert" className="merge-invalid">
          <p>{t('merge.invalid', { count: check.invalidCount })}</p>
          <ul>
            {check.invalid.slice(0, LISTED).map((p) => (
              <li key={p.row}>
                <strong>{t('merge.rowProblem', { row: p.row })}</strong>
                {p.address ? ` <${p.address}>` : ''}: {sayNote(lang, p.problem, p.text)}
              </li>
            ))}
          </ul>
          {check.invalidCount > LISTED && <p className="muted small">{t('merge.invalidMore', { count: check.invalidCount - LISTED })}</p>}
        </div>
      )}
      {check.domain && <DomainChecks report={check.domain} />}
      {check.sample.length > 0 && (
        <div className="merge-sample">
          <table>
            <caption>{t('merge.sample')}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                {check.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {check.sample.map((row, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  {check.columns.map((c) => (
                    <td key={c}>{row[c]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
