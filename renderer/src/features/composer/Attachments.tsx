import { useRef } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { AttachmentInfo } from '../../../../shared/model/draft';
import { api, isBrowserMode } from '../../lib/api';
import { formatBytes } from '../../lib/format';

interface Props {
  items: AttachmentInfo[];
  onAdd: (items: AttachmentInfo[]) => void;
  onRemove: (handle: string) => void;
  onError: (error: ErrorInfo) => void;
}

/** Picking files: the native dialog in Electron (main returns handles), the browser's chooser plus upload in browser mode. */
export function useAttachmentPicker({ onAdd, onError }: Pick<Props, 'onAdd' | 'onError'>) {
  const input = useRef<HTMLInputElement>(null);
  const pick = async () => {
    if (isBrowserMode()) return input.current?.click();
    const r = await api()['attachments:pick']();
    if (r.ok) onAdd(r.value);
    else onError(r.error);
  };
  const fileInput = (
    <input
      ref={input}
      type="file"
      multiple
      hidden
      data-testid="file-input"
      aria-label="Choose files to attach"
      onChange={async (e) => {
        const files = [...(e.target.files ?? [])];
        e.target.value = '';
        const added: AttachmentInfo[] = [];
        for (const f of files) {
          const r = await api().upload!(f);
          if (r.ok) added.push(r.value);
          else onError(r.error);
        }
        if (added.length) onAdd(added);
      }}
    />
  );
  return { pick, fileInput };
}

/** The files, and what the message will weigh once encoded, against what the server accepts. */
export function AttachmentList({ items, onRemove, encodedTotal, sizeLimit }: Pick<Props, 'items' | 'onRemove'> & { encodedTotal: number; sizeLimit: number }) {
  if (!items.length) return null;
  const total = items.reduce((n, a) => n + a.size, 0);
  const tooLarge = encodedTotal > sizeLimit;
  return (
    <div className="attachments" aria-label="Attachments">
      <ul>
        {items.map((a) => (
          <li key={a.handle} className="chip">
            <span className="chip-name">{a.name}</span>
            <span className="chip-meta">{formatBytes(a.size)}</span>
            <button type="button" className="chip-remove" aria-label={`Remove ${a.name}`} onClick={() => onRemove(a.handle)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <span className="muted">
        {items.length} file{items.length > 1 ? 's' : ''}, {formatBytes(total)} · the message will be about {formatBytes(encodedTotal)} encoded
      </span>
      {tooLarge && (
        <span className="size-warning" role="alert">
          Larger than the server accepts ({formatBytes(sizeLimit)}): it will probably be refused. Share large files by link instead.
        </span>
      )}
    </div>
  );
}
