import { useState } from 'react';
import type { SavedDraft } from '../../../../shared/model/draft';
import { api } from '../../lib/api';
import { formatTime } from '../../lib/format';

/** The other unsent drafts kept on disk, to open one instead of what is in the composer (which is saved first). */
export function DraftsMenu({ currentId, onOpen }: { currentId: () => string | undefined; onOpen: (d: SavedDraft) => void }) {
  const [drafts, setDrafts] = useState<SavedDraft[]>();
  const others = drafts?.filter((d) => d.id !== currentId());
  return (
    <details
      className="drafts-menu"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open) void api()['drafts:list']().then((r) => r.ok && setDrafts(r.value));
      }}
    >
      <summary className="btn btn-small">Drafts</summary>
      <div className="card drafts-popup">
        {others && !others.length && <p className="muted small">No other drafts.</p>}
        <ul aria-label="Saved drafts">
          {others?.map((d) => (
            <li key={d.id}>
              <button
                type="button"
                className="draft-row"
                onClick={(e) => {
                  e.currentTarget.closest('details')?.removeAttribute('open');
                  onOpen(d);
                }}
              >
                <span className="draft-subject">{d.subject || '(no subject)'}</span>
                <span className="muted small">
                  {d.to || 'no recipients yet'} · {formatTime(d.updatedAt)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}
