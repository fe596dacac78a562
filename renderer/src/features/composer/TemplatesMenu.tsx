import { useState } from 'react';
import type { Template, TemplateSummary } from '../../../../shared/model/template';
import type { ErrorInfo } from '../../../../shared/errors';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';

/**
 * Saved templates, to start a message from one (its subject, body, files and account), and
 * "Save as template" for the message in the composer. Sending one to a list is the merge view's.
 */
export function TemplatesMenu({ onOpen, onSave }: { onOpen: (t: Template) => void; onSave: () => Promise<ErrorInfo | undefined> }) {
  const { t } = useT();
  const [templates, setTemplates] = useState<TemplateSummary[]>();
  const close = (el: HTMLElement) => el.closest('details')?.removeAttribute('open');
  return (
    <details
      className="drafts-menu"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) void api()['templates:list']().then((r) => r.ok && setTemplates(r.value));
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !e.currentTarget.open) return;
        e.preventDefault();
        e.currentTarget.open = false;
        e.currentTarget.querySelector('summary')?.focus();
      }}
    >
      <summary className="btn btn-small">{t('templates.button')}</summary>
      <div className="card drafts-popup">
        <button
          type="button"
          className="btn btn-small"
          onClick={(e) => {
            close(e.currentTarget);
            void onSave();
          }}
        >
          {t('templates.saveAs')}
        </button>
        <p className="muted small">{t('templates.newFrom')}</p>
        {templates && !templates.length && <p className="muted small">{t('templates.none')}</p>}
        <ul aria-label={t('templates.list')}>
          {templates?.map((tpl) => (
            <li key={tpl.name}>
              <button
                type="button"
                className="draft-row"
                onClick={(e) => {
                  close(e.currentTarget);
                  void api()['templates:get']({ name: tpl.name }).then((r) => r.ok && onOpen(r.value));
                }}
              >
                <span className="draft-subject">{tpl.name}</span>
                <span className="muted small">{tpl.subject || t('common.noSubject')}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}
