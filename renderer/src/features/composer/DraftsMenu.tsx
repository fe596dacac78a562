import { useState } from 'react';
import type { SavedDraft } from '../../../../shared/model/draft';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { closePopupOf, PopupMenu } from './PopupMenu';

/** The other unsent drafts kept on disk, to open one instead of what is in the composer (which is saved first). */
export function DraftsMenu({ currentId, onOpen }: { currentId: () => string | undefined; onOpen: (d: SavedDraft) => void }) {
  const { t, time } = useT();
  const [drafts, setDrafts] = useState<SavedDraft[]>();
  const others = drafts?.filter((d) => d.id !== currentId());
  return (
    <PopupMenu label={t('drafts.button')} onOpen={() => void api()['drafts:list']().then((r) => r.ok && setDrafts(r.value))}>
      {others && !others.length && <p className="muted small">{t('drafts.none')}</p>}
      <ul aria-label={t('drafts.list')}>
        {others?.map((d) => (
          <li key={d.id}>
            <button
              type="button"
              className="draft-row"
              onClick={(e) => {
                closePopupOf(e.currentTarget);
                onOpen(d);
              }}
            >
              <span className="draft-subject">{d.subject || t('common.noSubject')}</span>
              <span className="muted small">
                {d.to || t('drafts.noRecipients')} · {time(d.updatedAt)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </PopupMenu>
  );
}
