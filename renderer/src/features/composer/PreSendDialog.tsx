import { useEffect, useRef } from 'react';
import type { PreSendCheckId, PreSendIssue } from '../../../../shared/model/pre-send-checks';
import { formatBytes } from '../../lib/format';

export type Fix = 'recipients' | 'subject' | 'attach' | 'attachments' | 'bcc';

const TEXT: Record<PreSendCheckId, { say: (i: PreSendIssue, limit: number) => string; fix: [Fix, string] }> = {
  'no-recipients': { say: () => 'The message has no recipients.', fix: ['recipients', 'Add recipients'] },
  'many-visible-recipients': { say: (i) => `${i.detail} people will each see everyone’s address in To and Cc.`, fix: ['bcc', 'Move them to Bcc'] },
  'empty-subject': { say: () => 'The subject is empty.', fix: ['subject', 'Add a subject'] },
  'attachment-mentioned': { say: (i) => `The text says “${i.detail}”, but nothing is attached.`, fix: ['attach', 'Attach files'] },
  'greeting-not-a-recipient': { say: (i) => `The greeting names ${i.detail}, who is not among the recipients.`, fix: ['recipients', 'Check recipients'] },
  'too-large': { say: (_i, limit) => `The message is larger than the server accepts (${formatBytes(limit)}): it will probably be refused.`, fix: ['attachments', 'Review attachments'] },
};

/** What a careful colleague would ask before the message leaves, each with a one-click fix. */
export function PreSendDialog({ issues, sizeLimit, onFix, onSendAnyway, onClose }: { issues: PreSendIssue[]; sizeLimit: number; onFix: (fix: Fix) => void; onSendAnyway: () => void; onClose: () => void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const blocked = issues.some((i) => i.blocking);
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="dialog card" role="dialog" aria-modal="true" aria-labelledby="presend-title">
        <h2 id="presend-title">Before sending</h2>
        <ul className="presend-issues">
          {issues.map((issue, n) => {
            const { say, fix } = TEXT[issue.id];
            return (
              <li key={issue.id} data-check={issue.id}>
                <span>{say(issue, sizeLimit)}</span>
                <button ref={n === 0 ? first : undefined} type="button" className="btn btn-small" onClick={() => onFix(fix[0])}>
                  {fix[1]}
                </button>
              </li>
            );
          })}
        </ul>
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Back to editing
          </button>
          {!blocked && (
            <button type="button" className="btn btn-primary" onClick={onSendAnyway}>
              Send anyway
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
