import type { ErrorInfo } from '../../../shared/errors';
import { sayDetails, sayError } from '../../../shared/i18n/errors/say';
import { useT } from './i18n';
import { Pieces } from './said';

/**
 * A failure as the user should see it: what happened and what to change, in the user's language
 * (from the error's catalogue keys), then what the server or the system said, as it came, and the
 * facts it carries (a certificate's fingerprint) by their names. `hintShown`: the caller already
 * shows the hint beside the setting it names, so it is not said twice.
 */
export function ErrorBox({ error, title, hintShown = false }: { error: ErrorInfo; title?: string; hintShown?: boolean }) {
  const { t, lang } = useT();
  const said = sayError(lang, error);
  return (
    <div className="error-box" role="alert">
      <div className="error-title">
        {title ?? t(`error.title.${error.code}`)} <code className="error-code">{error.code}</code>
      </div>
      <div className="error-message">
        <Pieces pieces={said.message} />
      </div>
      {!hintShown && said.hint.length > 0 && (
        <div className="error-hint">
          <span className="error-hint-lead">{t('error.whatToDo')}</span> <Pieces pieces={said.hint} />
        </div>
      )}
      {said.quote && (
        <div className="error-server error-quote">
          {t('err.quoteLead')} <code>{said.quote}</code>
        </div>
      )}
      {error.smtp?.response && (
        <div className="error-server">
          {t('error.serverSaid')} <code>{error.smtp.response}</code>
        </div>
      )}
      {sayDetails(lang, error.details).map((d) => (
        <div key={d.name} className="error-detail" data-detail={d.name}>
          {d.label}: {d.date ? d.value : <code>{d.value}</code>}
        </div>
      ))}
    </div>
  );
}
