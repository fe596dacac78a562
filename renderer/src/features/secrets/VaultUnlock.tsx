import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { SecretsStatus } from '../../../../shared/model/secrets';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { useEscapeToClose } from '../../lib/useEscapeToClose';

/** At start, when this data directory's vault is locked: its passphrase, or "not now" (nothing is sent until it is given). */
export function VaultUnlock({ onUnlocked, onClose }: { onUnlocked: (status: SecretsStatus) => void; onClose: () => void }) {
  const { t } = useT();
  useEscapeToClose(onClose);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<ErrorInfo>();
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  const unlock = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await api()['secrets:unlock']({ passphrase });
    setBusy(false);
    setPassphrase('');
    if (r.ok) onUnlocked(r.value);
    else {
      setError(r.error);
      field.current?.focus();
    }
  };
  return (
    <div className="dialog-backdrop">
      <form className="dialog card" role="dialog" aria-modal="true" aria-labelledby="unlock-title" onSubmit={unlock}>
        <h2 id="unlock-title">{t('secrets.unlockTitle')}</h2>
        <p className="muted">{t('secrets.unlockHelp')}</p>
        <label className="stacked">
          {t('secrets.passphrase')}
          <input ref={field} type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="current-password" required />
        </label>
        {error && <ErrorBox error={error} />}
        <div className="form-actions">
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            {t('secrets.notNow')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !passphrase}>
            {t('secrets.unlock')}
          </button>
        </div>
      </form>
    </div>
  );
}
