import { useEffect, useRef } from 'react';
import type { PreSendCheckId, PreSendIssue } from '../../../../shared/model/pre-send-checks';
import { useT, type I18n } from '../../lib/i18n';
import { useEscapeToClose } from '../../lib/useEscapeToClose';

export type Fix = 'recipients' | 'subject' | 'attach' | 'attachments' | 'bcc' | 'variables';

// What each check's fix button does; its label is the catalogue's presend.<id>.fix.
const FIX: Record<PreSendCheckId, Fix> = {
  'no-recipients': 'recipients',
  'invalid-recipients': 'recipients',
  'many-visible-recipients': 'bcc',
  'empty-subject': 'subject',
  'attachment-mentioned': 'attach',
  'greeting-not-a-recipient': 'recipients',
  'too-large': 'attachments',
  'template-variables': 'variables',
};

/** The issue in words, with what the check found (the count, the word, the name, the limit). */
function say({ t, bytes }: I18n, issue: PreSendIssue, limit: number): string {
  switch (issue.id) {
    case 'invalid-recipients':
      return t('presend.invalid-recipients', { list: issue.detail ?? '' });
    case 'many-visible-recipients':
      return t('presend.many-visible-recipients', { count: Number(issue.detail) });
    case 'attachment-mentioned':
      return t('presend.attachment-mentioned', { word: issue.detail ?? '' });
    case 'greeting-not-a-recipient':
      return t('presend.greeting-not-a-recipient', { name: issue.detail ?? '' });
    case 'too-large':
      return t('presend.too-large', { limit: bytes(limit) });
    case 'template-variables':
      return t('presend.template-variables', { list: issue.detail ?? '' });
    default:
      return t(`presend.${issue.id}`);
  }
}

/** What a careful colleague would ask before the message leaves, each with a one-click fix. */
export function PreSendDialog({ issues, sizeLimit, onFix, onSendAnyway, onClose }: { issues: PreSendIssue[]; sizeLimit: number; onFix: (fix: Fix) => void; onSendAnyway: () => void; onClose: () => void }) {
  const i18n = useT();
  const { t } = i18n;
  useEscapeToClose(onClose);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const blocked = issues.some((i) => i.blocking);
  return (
    <div className="dialog-backdrop">
      <div className="dialog card" role="dialog" aria-modal="true" aria-labelledby="presend-title">
        <h2 id="presend-title">{t('presend.title')}</h2>
        <ul className="presend-issues">
          {issues.map((issue, n) => {
            return (
              <li key={issue.id} data-check={issue.id}>
                <span>{say(i18n, issue, sizeLimit)}</span>
                <button ref={n === 0 ? first : undefined} type="button" className="btn btn-small" onClick={() => onFix(FIX[issue.id])}>
                  {t(`presend.${issue.id}.fix`)}
                </button>
              </li>
            );
          })}
        </ul>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('presend.back')}
          </button>
          {!blocked && (
            <button type="button" className="btn btn-primary" onClick={onSendAnyway}>
              {t('presend.sendAnyway')}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
