import { useState } from 'react';
import type { DeliveredPreview } from '../../../../shared/model/message-view';
import { base64Size } from '../../../../shared/model/message-size';
import { useT } from '../../lib/i18n';
import { recipientsLine } from '../../lib/recipients';

// The HTML of a caught message is hostile until proven otherwise: it renders in a frame with
// every sandbox permission off (no scripts, no forms, no navigation) and a CSP that allows no
// remote load at all, so a tracking pixel or remote stylesheet is never fetched. It is drawn on
// white, as most recipients will see it, whatever the app's theme. The long source views take
// keyboard focus (tabIndex) so they can be scrolled without a mouse.
const FRAME_CSP = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; font-src data:";
const frameDocument = (html: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"><base target="_blank"><style>:root{color-scheme:light;background:#fff}body{font:15px/1.5 system-ui,sans-serif;margin:16px;color:#1d2330}</style></head><body>${html}</body></html>`;

type Tab = 'both' | 'html' | 'text' | 'headers' | 'raw';

/** A message as it travels: a caught one in the sandbox, or a draft built for "preview as delivered" (which opens on both parts side by side). */
export function MessagePreview({ message, sideBySide = false }: { message: DeliveredPreview; sideBySide?: boolean }) {
  const { t, bytes } = useT();
  const recipients = recipientsLine(t, message.envelopeTo, message.bcc);
  const both = sideBySide && !!message.html;
  const [tab, setTab] = useState<Tab>(both ? 'both' : message.html ? 'html' : 'text');
  const htmlFrame = (title: string) => <iframe title={title} sandbox="" srcDoc={frameDocument(message.html!)} className="preview-frame" referrerPolicy="no-referrer" />;
  const textPart = <pre className="preview-text" tabIndex={0}>{message.text ?? t('preview.noText')}</pre>;
  const tabs: Array<[Tab, string]> = [
    ...(both ? [['both', t('preview.tab.both')] as [Tab, string]] : []),
    ['html', t('preview.tab.html')],
    ['text', t('preview.tab.text')],
    ['headers', t('preview.tab.headers')],
    ['raw', t('preview.tab.raw')],
  ];
  return (
    <article className="preview" aria-label={t('preview.label')}>
      <header className="preview-header">
        <h2>{message.subject || t('common.noSubject')}</h2>
        <div className="muted">
          {t('preview.meta', { from: message.from, to: recipients.text, size: bytes(message.size) })}
        </div>
        {message.attachments.length > 0 && (
          <ul className="preview-attachments" aria-label={t('preview.attachments')}>
            {message.attachments.map((a, i) => (
              <li key={i} className="chip">
                <span className="chip-name">{a.filename ?? t('preview.unnamed')}</span>
                <span className="chip-meta">
                  {a.inline ? `${t('preview.inline')} · ` : ''}
                  {a.contentType} · {t('preview.attachmentSize', { size: bytes(a.size), encoded: bytes(base64Size(a.size)) })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </header>
      <div className="tabs" role="tablist" aria-label={t('preview.views')}>
        {tabs.map(([id, label]) => (
          <button key={id} role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls="preview-panel" className="tab" onClick={() => setTab(id)}>
            {label}
          </button>
        ))}
      </div>
      <div id="preview-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="preview-panel">
        {tab === 'html' &&
          (message.html ? (
            htmlFrame(t('preview.htmlPart'))
          ) : (
            <p className="muted">{t('preview.noHtml')}</p>
          ))}
        {tab === 'both' && (
          <div className="preview-both">
            {htmlFrame(t('preview.htmlPartSideBySide'))}
            {textPart}
          </div>
        )}
        {tab === 'text' && textPart}
        {tab === 'headers' && (
          <table className="headers-table">
            <tbody>
              {message.headers.map((h, i) => (
                <tr key={i}>
                  <th scope="row">{h.key}</th>
                  <td>{h.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {tab === 'raw' && <pre className="preview-raw" tabIndex={0}>{message.raw}</pre>}
      </div>
    </article>
  );
}
