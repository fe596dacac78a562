import { useEffect, useRef, type Dispatch } from 'react';
import type { Account } from '../../../../shared/model/account';
import { useT } from '../../lib/i18n';
import type { ComposerState, Fields, FieldsAction } from './fields';
import { RecipientField } from './RecipientField';

export interface FieldIds {
  from: string;
  to: string;
  cc: string;
  bcc: string;
  replyTo: string;
  subject: string;
}

interface Props {
  ids: FieldIds;
  state: ComposerState;
  dispatch: Dispatch<FieldsAction>;
  accounts: Account[];
  from: Account | undefined;
}

/** From, the recipients and the subject. */
export function ComposerFields({ ids, state, dispatch, accounts, from }: Props) {
  const { t } = useT();
  const { fields: f, showCopies } = state;
  const edit = (change: Partial<Omit<Fields, 'attachments'>>) => dispatch({ type: 'edit', change });
  // "Cc / Bcc" shows the fields and takes the keyboard into Cc, where the person meant to go.
  const intoCc = useRef(false);
  useEffect(() => {
    if (!showCopies || !intoCc.current) return;
    intoCc.current = false;
    document.getElementById(ids.cc)?.focus();
  }, [showCopies, ids.cc]);

  return (
    <div className="composer-fields">
      <div className="field-row">
        <label htmlFor={ids.from}>{t('composer.from')}</label>
        <select id={ids.from} value={from?.id ?? ''} onChange={(e) => edit({ accountId: e.target.value })}>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {t('composer.fromOption', { sender: a.displayName ? `${a.displayName} <${a.email}>` : a.email, account: a.name })}
            </option>
          ))}
        </select>
      </div>
      <div className="field-row">
        <label htmlFor={ids.to}>{t('composer.to')}</label>
        <RecipientField id={ids.to} label={t('composer.to')} value={f.to} onChange={(to) => edit({ to })} placeholder={t('composer.toPlaceholder')} />
        {!showCopies && (
          <button
            type="button"
            className="btn btn-quiet btn-small"
            onClick={() => {
              intoCc.current = true;
              dispatch({ type: 'show-copies' });
            }}
          >
            {t('composer.showCopies')}
          </button>
        )}
      </div>
      {showCopies && (
        <>
          <div className="field-row">
            <label htmlFor={ids.cc}>{t('composer.cc')}</label>
            <RecipientField id={ids.cc} label={t('composer.cc')} value={f.cc} onChange={(cc) => edit({ cc })} />
          </div>
          <div className="field-row">
            <label htmlFor={ids.bcc}>{t('composer.bcc')}</label>
            <RecipientField id={ids.bcc} label={t('composer.bcc')} value={f.bcc} onChange={(bcc) => edit({ bcc })} />
          </div>
          <div className="field-row">
            <label htmlFor={ids.replyTo}>{t('composer.replyTo')}</label>
            <RecipientField id={ids.replyTo} label={t('composer.replyTo')} value={f.replyTo} onChange={(replyTo) => edit({ replyTo })} single />
          </div>
        </>
      )}
      <div className="field-row">
        <label htmlFor={ids.subject}>{t('composer.subject')}</label>
        <input id={ids.subject} value={f.subject} onChange={(e) => edit({ subject: e.target.value })} autoComplete="off" />
      </div>
    </div>
  );
}
