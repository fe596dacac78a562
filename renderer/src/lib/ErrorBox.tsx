import type { ErrorInfo } from '../../../shared/errors';

/** A failure as the user should see it: what happened, what to change, and what the server said. */
export function ErrorBox({ error, title }: { error: ErrorInfo; title?: string }) {
  return (
    <div className="error-box" role="alert">
      <div className="error-title">
        {title ?? error.message} <code className="error-code">{error.code}</code>
      </div>
      {title && <div>{error.message}</div>}
      <div className="error-hint">{error.hint}</div>
      {error.smtp?.response && (
        <div className="error-server">
          Server said: <code>{error.smtp.response}</code>
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
