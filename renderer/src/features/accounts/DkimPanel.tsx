import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account } from '../../../../shared/model/account';
import { defaultDkimSelector, type DomainReport } from '../../../../shared/model/deliverability';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { DomainChecks } from './DomainChecks';

/**
 * An account's DKIM signing: a key generated in main or imported (it goes to the secret store
 * and never comes back here), the TXT record to publish, ready to copy, and the domain's check.
 */
export function DkimPanel({ account, onChanged }: { account: Account; onChanged: () => Promise<void> }) {
  const { t } = useT();
  const [error, setError] = useState<ErrorInfo>();
  const [busy, setBusy] = useState(false);
  const [importing, setImporting] = useState(false);
  const [selector, setSelector] = useState('');
  const [domain, setDomain] = useState(account.dkim?.domain ?? account.email.split('@')[1] ?? '');
  const [pem, setPem] = useState('');
  const [report, setReport] = useState<DomainReport | 'running'>();
  const [copied, setCopied] = useState<string>();
  const label = t('dkim.of', { name: account.name });

  const act = async (call: () => Promise<{ ok: true } | { ok: false; error: ErrorInfo }>) => {
    setBusy(true);
    setError(undefined);
    const r = await call();
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setImporting(false);
    setPem('');
    setReport(undefined);
    await onChanged();
  };
  const spec = { ...(selector.trim() ? { selector: selector.trim() } : {}), ...(domain.trim() ? { domain: domain.trim() } : {}) };
  const check = async () => {
    setReport('running');
    const r = await api()['accounts:check-domain']({ id: account.id });
    if (!r.ok) {
      setReport(undefined);
      return setError(r.error);
    }
    setReport(r.value);
  };
  const copy = async (what: string, text: string) => {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(what);
  };

  const dkim = account.dkim;
  return (
    <div className="dkim-panel" role="group" aria-label={label}>
      {dkim ? (
        <>
          <p>{t('dkim.on', { domain: dkim.domain, selector: dkim.selector, type: dkim.keyType === 'rsa' ? 'RSA' : 'Ed25519' })}</p>
          <p className="muted small">{t('dkim.publish', { domain: dkim.domain })}</p>
          <dl className="dkim-record">
            <dt>{t('dkim.recordName')}</dt>
            <dd>
              <code>{dkim.record.name}</code>
              <button type="button" className="btn btn-small btn-quiet" onClick={() => void copy('name', dkim.record.name)}>
                {copied === 'name' ? t('dkim.copied') : t('dkim.copy')}
              </button>
            </dd>
            <dt>{t('dkim.recordValue')}</dt>
            <dd>
              <code className="dkim-value">{dkim.record.value}</code>
              <button type="button" className="btn btn-small btn-quiet" onClick={() => void copy('value', dkim.record.value)}>
                {copied === 'value' ? t('dkim.copied') : t('dkim.copy')}
              </button>
            </dd>
          </dl>
        </>
      ) : (
        <>
          <p>{t('dkim.off', { name: account.name })}</p>
          <p className="muted small">{t('dkim.providerSigns')}</p>
        </>
      )}
      <div className="dkim-fields">
        <label>
          {t('dkim.selector')}
          <input value={selector} placeholder={dkim?.selector ?? defaultDkimSelector(new Date())} onChange={(e) => setSelector(e.target.value)} spellCheck={false} />
        </label>
        <label>
          {t('dkim.domain')}
          <input value={domain} onChange={(e) => setDomain(e.target.value)} spellCheck={false} />
        </label>
      </div>
      {importing && (
        <label className="dkim-import">
          {t('dkim.importKey')}
          <textarea value={pem} rows={6} spellCheck={false} autoComplete="off" placeholder="-----BEGIN PRIVATE KEY-----" onChange={(e) => setPem(e.target.value)} />
          <span className="muted small">{t('dkim.importNote')}</span>
        </label>
      )}
      {error && <ErrorBox error={error} />}
      <div className="form-actions">
        {importing ? (
          <button type="button" className="btn btn-primary" disabled={busy || !pem.trim() || !selector.trim()} onClick={() => void act(() => api()['accounts:dkim-import']({ id: account.id, privateKey: pem, selector: selector.trim(), ...(domain.trim() ? { domain: domain.trim() } : {}) }))}>
            {t('dkim.importSave')}
          </button>
        ) : (
          <>
            <button type="button" className={`btn ${dkim ? '' : 'btn-primary'}`} disabled={busy} onClick={() => {
                // A new key under the published selector breaks signatures until the DNS has the new record.
                if (!dkim || confirm(t('dkim.replaceConfirm', { name: account.name }))) void act(() => api()['accounts:dkim-generate']({ id: account.id, ...spec }));
              }}
            >
              {t('dkim.generate')}
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => setImporting(true)}>
              {t('dkim.import')}
            </button>
          </>
        )}
        <button type="button" className="btn" disabled={report === 'running'} onClick={() => void check()}>
          {report === 'running' ? t('dkim.checking') : t('dkim.check')}
        </button>
        {dkim && (
          <button
            type="button"
            className="btn btn-danger"
            disabled={busy}
            onClick={() => {
              if (confirm(t('dkim.removeConfirm', { name: account.name }))) void act(() => api()['accounts:dkim-remove']({ id: account.id }));
            }}
          >
            {t('dkim.remove')}
          </button>
        )}
      </div>
      {report && report !== 'running' && <DomainChecks report={report} />}
    </div>
  );
}
