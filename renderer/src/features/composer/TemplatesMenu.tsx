import { useState } from 'react';
import type { Template, TemplateSummary } from '../../../../shared/model/template';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { closePopupOf, PopupMenu } from './PopupMenu';

/**
 * Saved templates, to start a message from one (its subject, body, files and account), and
 * "Save as template" for the message in the composer. Sending one to a list is the merge view's.
 */
export function TemplatesMenu({ suggestedName, onOpen, onSave }: { suggestedName: () => string; onOpen: (t: Template) => void; onSave: (name: string) => Promise<boolean> }) {
  const { t } = useT();
  const [templates, setTemplates] = useState<TemplateSummary[]>();
  /** The name being typed for "Save as template" (a field of the menu's own: Electron has no prompt()). */
  const [naming, setNaming] = useState<string>();
  return (
    <PopupMenu
      label={t('templates.button')}
      onOpen={() => {
        setNaming(undefined);
        void api()['templates:list']().then((r) => r.ok && setTemplates(r.value));
      }}
    >
      {naming === undefined ? (
        <button type="button" className="btn btn-small" onClick={() => setNaming(suggestedName())}>
          {t('templates.saveAs')}
        </button>
      ) : (
        <form
          className="template-name"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            if (naming.trim()) void onSave(naming.trim()).then((saved) => saved && closePopupOf(form));
          }}
        >
          <label>
            {t('templates.namePrompt')}
            <input value={naming} autoFocus maxLength={100} onChange={(e) => setNaming(e.target.value)} />
          </label>
          <button type="submit" className="btn btn-small btn-primary" disabled={!naming.trim()}>
            {t('templates.save')}
          </button>
        </form>
      )}
      <p className="muted small">{t('templates.newFrom')}</p>
      {templates && !templates.length && <p className="muted small">{t('templates.none')}</p>}
      <ul aria-label={t('templates.list')}>
        {templates?.map((tpl) => (
          <li key={tpl.name}>
            <button
              type="button"
              className="draft-row"
              onClick={(e) => {
                closePopupOf(e.currentTarget);
                void api()['templates:get']({ name: tpl.name }).then((r) => r.ok && onOpen(r.value));
              }}
            >
              <span className="draft-subject">{tpl.name}</span>
              <span className="muted small">{tpl.subject || t('common.noSubject')}</span>
            </button>
          </li>
        ))}
      </ul>
    </PopupMenu>
  );
}
