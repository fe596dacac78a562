import { ErrorBox } from '../../lib/ErrorBox';
import { isBrowserMode } from '../../lib/api';
import { useT } from '../../lib/i18n';
import type { SignInRequest, SignInState } from './useSignIn';

/** A sign-in under way (with a way back to the provider's page, and out) or why it did not work. */
export function SignInPanel({ state, onRestart, onCancel }: { state: SignInState; onRestart: (request: SignInRequest, provider: string) => void; onCancel: () => void }) {
  const { t } = useT();
  if (state.phase === 'failed') return <ErrorBox error={state.error} title={t('signin.failed')} />;
  if (state.phase !== 'waiting' && state.phase !== 'starting') return null;
  return (
    <div className="sign-in-wait" role="status">
      <span className="spinner" aria-hidden="true" />
      <div className="grow">
        <div>{t('signin.waiting', { provider: state.provider })}</div>
        <div className="muted small">{t('signin.waitingHelp')}</div>
      </div>
      {state.phase === 'waiting' &&
        (isBrowserMode() ? (
          <a className="btn btn-small" href={state.url} target="_blank" rel="noopener noreferrer">
            {t('signin.openPage')}
          </a>
        ) : (
          <button type="button" className="btn btn-small" onClick={() => onRestart(state.request, state.provider)}>
            {t('signin.restart')}
          </button>
        ))}
      <button type="button" className="btn btn-small btn-quiet" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
