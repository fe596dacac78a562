import { useState } from 'react';
import type { CaughtMessage } from '../../../../shared/model/sandbox';
import { formatBytes } from '../../lib/format';

// The HTML of a caught message is hostile until proven otherwise: it renders in a frame with
// every sandbox permission off (no scripts, no forms, no navigation) and a CSP that allows no
// remote load at all, so a tracking pixel or remote stylesheet is never fetched.
const FRAME_CSP = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; font-src data:";
const frameDocument = (html: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"><base target="_blank"><style>body{font:15px/1.5 system-ui,sans-serif;margin:16px;color:#1d2330}</style></head><body>${html}</body></html>`;

type Tab = 'html' | 'text' | 'headers' | 'raw';

export function MessagePreview({ message }: { message: CaughtMessage }) {
  const [tab, setTab] = useState<Tab>(message.html ? 'html' : 'text');
  const tabs: Array<[Tab, string]> = [
    ['html', 'HTML'],
    ['text', 'Text'],
    ['headers', 'Headers'],
    ['raw', 'Raw source'],
  ];
  return (
    <article className="preview" aria-label="Message preview">
      <header className="preview-header">
        <h2>{message.subject || '(no subject)'}</h2>
        <div className="muted">
          From {message.from} · to {message.envelopeTo.join(', ')} · {formatBytes(message.size)}
        </div>
        {message.attachments.length > 0 && (
          <ul className="preview-attachments" aria-label="Attachments in this message">
            {message.attachments.map((a, i) => (
              <li key={i} className="chip">
                <span className="chip-name">{a.filename ?? '(unnamed)'}</span>
                <span className="chip-meta">
                  {a.contentType} · {formatBytes(a.size)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </header>
      <div className="tabs" role="tablist" aria-label="Message views">
        {tabs.map(([id, label]) => (
          <button key={id} role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls="preview-panel" className="tab" onClick={() => setTab(id)}>
            {label}
          </button>
        ))}
      </div>
      <div id="preview-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="preview-panel">
        {tab === 'html' &&
          (message.html ? (
            <iframe title="HTML part" sandbox="" srcDoc={frameDocument(message.html)} className="preview-frame" referrerPolicy="no-referrer" />
          ) : (
            <p className="muted">This message has no HTML part.</p>
          ))}
        {tab === 'text' && <pre className="preview-text">{message.text ?? '(no text part)'}</pre>}
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
        {tab === 'raw' && <pre className="preview-raw">{message.raw}</pre>}
      </div>
    </article>
  );
}
