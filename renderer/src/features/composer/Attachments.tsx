import { X } from 'lucide-react';
import { useRef } from 'react';
import type { ErrorInfo, Result } from '../../../../shared/errors';
import type { Translate } from '../../../../shared/i18n/translate';
import { MAX_ADDED_BASE64 } from '../../../../shared/model/message-size';
import type { AttachmentInfo } from '../../../../shared/model/draft';
import { api, isBrowserMode } from '../../lib/api';
import { useT } from '../../lib/i18n';

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

/**
 * Hand files the page holds (chosen in the browser, dropped, pasted) to main, which keeps them and
 * returns handles. The errors made here, before main sees the file, speak the user's language.
 */
async function addFile(file: File, t: Translate): Promise<Result<AttachmentInfo>> {
  const extras = api();
  if (extras.upload) return extras.upload(file); // browser mode streams the file
  const name = file.name;
  if (file.size > MAX_DROPPED) return { ok: false, error: { code: 'MESSAGE_TOO_LARGE', message: t('composer.dropTooLarge', { name }), hint: t('composer.dropTooLarge.hint') } };
  try {
    return await extras['attachments:add']({ name, base64: await readBase64(file) });
  } catch {
    return { ok: false, error: { code: 'ATTACHMENT_UNREADABLE', message: t('composer.unreadable', { name }), hint: t('composer.unreadable.hint') } };
  }
}

/** Picking files: the native dialog in Electron (main returns handles), the browser's chooser plus upload in browser mode. */
export function useAttachmentPicker({ onAdd, onError }: Pick<Props, 'onAdd' | 'onError'>) {
  const { t } = useT();
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
      const r = await addFile(f, t);
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
      aria-label={t('composer.chooseFiles')}
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
  const { t, bytes } = useT();
  if (!items.length) return null;
  const total = items.reduce((n, a) => n + a.size, 0);
  const tooLarge = encodedTotal > sizeLimit;
  return (
    <div className="attachments" aria-label={t('composer.attachments')}>
      <ul>
        {items.map((a) => (
          <li key={a.handle} className="chip">
            <span className="chip-name">{a.name}</span>
            <span className="chip-meta" title={a.contentType}>
              {a.contentType.split('/')[1]?.replace(/^x-/, '').slice(0, 12)} · {bytes(a.size)}
            </span>
            <button type="button" className="chip-remove" aria-label={t('composer.removeFile', { name: a.name })} onClick={() => onRemove(a.handle)}>
              <X size={12} aria-hidden="true" />
            </button>
          </li>
        ))}
      </ul>
      <span className="muted">
        {t('composer.attachmentsSummary', { files: t('composer.fileCount', { count: items.length }), size: bytes(total), encoded: bytes(encodedTotal) })}
      </span>
      {tooLarge && (
        <span className="size-warning" role="alert">
          {t('composer.tooLarge', { limit: bytes(sizeLimit) })}
        </span>
      )}
    </div>
  );
}
