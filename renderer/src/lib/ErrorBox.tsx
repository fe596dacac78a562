import type { ErrorInfo } from '../../../shared/errors';
import { useT } from './i18n';

/**
 * A failure as the user should see it: what happened (a title in the user's language, by code),
 * what to change, and what the server said. The message and hint come from main in English for now.
 */
export function ErrorBox({ error, title }: { error: ErrorInfo; title?: string }) {
  const { t } = useT();
  return (
    <div className="error-box" role="alert">
      <div className="error-title">
        {title ?? t(`error.title.${error.code}`)} <code className="error-code">{error.code}</code>
      </div>
      <div>{error.message}</div>
      <div className="error-hint">
        <span className="error-hint-lead">{t('error.whatToDo')}</span> {error.hint}
      </div>
      {error.smtp?.response && (
        <div className="error-server">
          {t('error.serverSaid')} <code>{error.smtp.response}</code>
        </div>
      )}
      {error.details &&
        Object.entries(error.details).map(([k, v]) => (
          <div key={k} className="error-detail">
            {k}: <code>{String(v)}</code>
          </div>
        ))}
    </div>
  );
}
