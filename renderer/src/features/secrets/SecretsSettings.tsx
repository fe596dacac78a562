import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { SecretsStatus } from '../../../../shared/model/secrets';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { UseVaultForm } from './UseVaultForm';

/** Settings → Passwords and sign-ins: where they are kept; a vault instead of the keychain; its passphrase. */
export function SecretsSettings({ onStatus }: { onStatus?: (s: SecretsStatus) => void }) {
  const { t } = useT();
  const [status, setStatus] = useState<SecretsStatus>();
  const [form, setForm] = useState<'vault' | 'change' | 'unlock'>();
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [error, setError] = useState<ErrorInfo>();
  const [notice, setNotice] = useState<string>();
  useEffect(() => void api()['secrets:status']().then((r) => r.ok && setStatus(r.value)), []);
  if (!status) return null;

  const done = (next: SecretsStatus, message?: string) => {
    setStatus(next);
    onStatus?.(next);
    setForm(undefined);
    setFirst('');
    setSecond('');
    setError(undefined);
    setNotice(message);
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setNotice(undefined);
    const r = form === 'change' ? await api()['secrets:change-passphrase']({ current: first, next: second }) : await api()['secrets:unlock']({ passphrase: first });
    if (r.ok) done(r.value, form === 'change' ? t('secrets.changed') : undefined);
    else setError(r.error);
  };
  const vault = status.backend === 'vault';
  return (
    <div className="setting" aria-labelledby="secrets-title">
      <h2 id="secrets-title" className="setting-title">
        {t('secrets.title')}
      </h2>
      <p className="small">
        {vault ? t('secrets.inVault') : status.keychain === 'available' ? t('secrets.inKeychain') : t('secrets.keychainUnavailable')}{' '}
        {vault && (status.vault === 'locked' ? t('secrets.vaultLocked') : t('secrets.vaultUnlocked'))}
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {!form && (
        <div className="form-actions start">
          {!vault && (
            <button type="button" className={`btn ${status.keychain === 'available' ? '' : 'btn-primary'}`} onClick={() => setForm('vault')}>
              {t('secrets.useVault')}
            </button>
          )}
          {vault && status.vault === 'locked' && (
            <button type="button" className="btn btn-primary" onClick={() => setForm('unlock')}>
              {t('secrets.unlock')}
            </button>
          )}
          {vault && (
            <button type="button" className="btn" onClick={() => setForm('change')}>
              {t('secrets.change')}
            </button>
          )}
        </div>
      )}
      {form === 'vault' && <UseVaultForm onDone={(next) => done(next, t('secrets.moved', { count: next.moved }))} onCancel={() => setForm(undefined)} />}
      {(form === 'change' || form === 'unlock') && (
        <form className="secrets-form" onSubmit={submit}>
          <label className="stacked">
            {form === 'change' ? t('secrets.current') : t('secrets.passphrase')}
            <input type="password" value={first} onChange={(e) => setFirst(e.target.value)} autoComplete="current-password" required />
          </label>
          {form === 'change' && (
            <label className="stacked">
              {t('secrets.new')}
              <input type="password" value={second} onChange={(e) => setSecond(e.target.value)} autoComplete="new-password" required />
            </label>
          )}
          {error && <ErrorBox error={error} />}
          <div className="form-actions start">
            <button type="submit" className="btn btn-primary">
              {form === 'change' ? t('secrets.change') : t('secrets.unlock')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={() => (setForm(undefined), setError(undefined))}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
