import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { CaughtMessage, CaughtMessageSummary } from '../../../../shared/model/sandbox';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { recipientsLine } from '../../lib/recipients';
import { errorLine } from '../../lib/said';
import { MessagePreview } from './MessagePreview';

/** Messages caught by the embedded sandbox server: what a recipient's client would receive. */
export function SandboxView() {
  const { t, time, lang } = useT();
  const [list, setList] = useState<CaughtMessageSummary[]>();
  const [selected, setSelected] = useState<CaughtMessage>();
  const [error, setError] = useState<ErrorInfo>();

  const open = async (id: string) => {
    const r = await api()['sandbox:get']({ id });
    if (r.ok) setSelected(r.value);
    else setError(r.error);
  };

  useEffect(() => {
    const caught = (m: CaughtMessageSummary, l: CaughtMessageSummary[] = []) => [m, ...l.filter((x) => x.id !== m.id)];
    // Caught while the list was on its way: kept, not overwritten by a reply read before them.
    let meanwhile: CaughtMessageSummary[] | undefined = [];
    const off = api().on('sandbox:caught', (m) => {
      meanwhile?.push(m);
      setList((l) => l && caught(m, l));
    });
    void api()['sandbox:list']().then((r) => {
      if (r.ok) setList((meanwhile ?? []).reduce((l, m) => caught(m, l), r.value));
      else setError(r.error);
      meanwhile = undefined; // from here the list itself takes them
    });
    return off;
  }, []);

  return (
    <section className="view sandbox" aria-label={t('nav.sandbox')}>
      <header className="view-header">
        <h1 tabIndex={-1}>{t('nav.sandbox')}</h1>
        <span className="muted">{t('sandbox.subtitle')}</span>
      </header>
      {error && <p role="alert">{errorLine(lang, error)}</p>}
      <div className="split">
        <ul className="message-list" aria-label={t('sandbox.list')}>
          {list?.length === 0 && <li className="empty">{t('sandbox.empty')}</li>}
          {list?.map((m) => (
            <li key={m.id}>
              <button className="message-row" aria-current={selected?.id === m.id ? 'true' : undefined} onClick={() => void open(m.id)}>
                <span className="message-subject">{m.subject || t('common.noSubject')}</span>
                <span className="muted message-meta">
                  {recipientsLine(t, m.envelopeTo, m.bcc).text} · {time(m.receivedAt)}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {/* Keyed: each message opens on its own first view (HTML when it has one), not on the tab the last one was left on. */}
        <div className="split-main">{selected ? <MessagePreview key={selected.id} message={selected} /> : <div className="empty">{t('sandbox.select')}</div>}</div>
      </div>
    </section>
  );
}
