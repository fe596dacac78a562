import { useEffect, useMemo, useState } from 'react';
import type { Account } from '../../../../shared/model/account';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { sanitizePastedHtml } from '../../lib/sanitize-paste';

/**
 * The From account's signature, shown under the body as it will be added: main appends it at
 * send time after the "-- " line, so changing From swaps it and two can never stack up.
 */
export function SignatureBlock({ account, format, included, onIncluded }: { account?: Account; format: 'html' | 'plain'; included: boolean; onIncluded: (on: boolean) => void }) {
  const { t } = useT();
  const html = account?.signature ?? '';
  const [text, setText] = useState('');
  useEffect(() => {
    if (format !== 'plain' || !html) return;
    // The text version comes from main's own converter: what is shown is what is sent.
    void api()['message:to-text']({ html, signature: true }).then((r) => r.ok && setText(r.value.text));
  }, [format, html]);
  // The user's own signature, cleaned like a paste before it is drawn in the page (once per change, not per render).
  const clean = useMemo(() => (html ? sanitizePastedHtml(html) : ''), [html]);
  if (!html) return null;
  return (
    <div className="signature-block" aria-label={t('signature.label')}>
      <label className="signature-toggle">
        <input type="checkbox" checked={included} onChange={(e) => onIncluded(e.target.checked)} /> {t('signature.of', { name: account!.name })}
      </label>
      {included &&
        (format === 'plain' ? (
          <pre className="signature-text">{`-- \n${text}`}</pre>
        ) : (
          <div className="signature-html" dangerouslySetInnerHTML={{ __html: `<p>-- </p>${clean}` }} />
        ))}
    </div>
  );
}
