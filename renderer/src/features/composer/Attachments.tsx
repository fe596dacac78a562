import { useRef } from 'react';
import type { ErrorInfo, Result } from '../../../../shared/errors';
import { MAX_ADDED_BASE64 } from '../../../../shared/ipc/contract';
import type { AttachmentInfo } from '../../../../shared/model/draft';
import { api, isBrowserMode } from '../../lib/api';
import { formatBytes } from '../../lib/format';

interface Props {
  items: AttachmentInfo[];
  onAdd: (items: AttachmentInfo[]) => void;
  onRemove: (handle: string) => void;
  onError: (error: ErrorInfo) => void;
}

/** A file's bytes as base64 (for IPC), without the data: prefix. */
export const readBase64 = (file: Blob) => readDataUrl(file).then((url) => url.slice(url.indexOf(',') + 1));

/** A file as a data: URL (how the editor holds an inline image until it is sent). */
export const readDataUrl = (file: Blob) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });

/** Largest file that travels to main as bytes from a drop or paste; bigger ones go through the picker, which passes no bytes. */
const MAX_DROPPED = (MAX_ADDED_BASE64 / 4) * 3;

/** Hand files the page holds (chosen in the browser, dropped, pasted) to main, which keeps them and returns handles. */
async function addFile(file: File): Promise<Result<AttachmentInfo>> {
  const extras = api();
  if (extras.upload) return extras.upload(file); // browser mode streams the file
  if (file.size > MAX_DROPPED) return { ok: false, error: { code: 'MESSAGE_TOO_LARGE', message: `${file.name} is too large to drop here.`, hint: 'Use Attach files to choose it instead.' } };
  try {
    return await extras['attachments:add']({ name: file.name, base64: await readBase64(file) });
  } catch {
    return { ok: false, error: { code: 'ATTACHMENT_UNREADABLE', message: `${file.name} could not be read.`, hint: 'Check the file and try again.' } };
  }
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
  /** Files dropped, pasted or chosen in the browser. */
  const addFiles = async (files: File[]) => {
    const added: AttachmentInfo[] = [];
    for (const f of files) {
      const r = await addFile(f);
      if (r.ok) added.push(r.value);
      else onError(r.error);
    }
    if (added.length) onAdd(added);
  };
  const fileInput = (
    <input
      ref={input}
      type="file"
      multiple
      hidden
      data-testid="file-input"
      aria-label="Choose files to attach"
      onChange={(e) => {
        const files = [...(e.target.files ?? [])];
        e.target.value = '';
        void addFiles(files);
      }}
    />
  );
  return { pick, addFiles, fileInput };
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
