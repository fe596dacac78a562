import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { SecretsStatus } from '../../../../shared/model/secrets';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';

/**
 * Choose a passphrase and keep secrets in an encrypted vault from now on. A group, not a form: the
 * account form offers it inside its own form when no keychain answers.
 */
export function UseVaultForm({ onDone, onCancel, lead }: { onDone: (status: SecretsStatus & { moved: number }) => void; onCancel?: () => void; lead?: string }) {
  const { t } = useT();
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [error, setError] = useState<ErrorInfo>();
  const [busy, setBusy] = useState(false);
  // Enter creates the vault: inside the account form it would otherwise submit that form instead.
  const onEnter = (e: React.KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    void create();
  };
  const create = async () => {
    if (first !== second) return setMismatch(true);
    setBusy(true);
    const r = await api()['secrets:use-vault']({ passphrase: first });
    setBusy(false);
    if (r.ok) onDone(r.value);
    else setError(r.error);
  };
  return (
    <fieldset className="secrets-form" aria-label={t('secrets.useVault')}>
      {lead && <p className="small">{lead}</p>}
      <p className="muted small">{t('secrets.useVaultHelp')}</p>
      <label className="stacked">
        {t('secrets.passphrase')}
        <input type="password" value={first} onChange={(e) => (setFirst(e.target.value), setMismatch(false))} autoComplete="new-password" onKeyDown={onEnter} />
      </label>
      <label className="stacked">
        {t('secrets.passphraseAgain')}
        <input type="password" value={second} onChange={(e) => (setSecond(e.target.value), setMismatch(false))} autoComplete="new-password" aria-invalid={mismatch || undefined} onKeyDown={onEnter} />
      </label>
      {mismatch && (
        <p className="field-error" role="alert">
          {t('secrets.mismatch')}
        </p>
      )}
      {error && <ErrorBox error={error} />}
      <div className="form-actions start">
        <button type="button" className="btn btn-primary" disabled={busy || !first || !second} onClick={() => void create()}>
          {t('secrets.create')}
        </button>
        {onCancel && (
          <button type="button" className="btn btn-quiet" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </fieldset>
  );
}
