import { useState, type DragEvent } from 'react';
import { useT } from '../../lib/i18n';

const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');
const isImage = (item: DataTransferItem) => item.kind === 'file' && /^image\/(png|jpeg|gif|webp)$/.test(item.type);

/**
 * Dropping files on the composer: images offer two zones, "in the text" (an inline cid: part) or
 * "as attachments", so the user decides instead of the app guessing; other files are attached.
 */
export function useDropZones(onDrop: (files: File[], inline: boolean) => void) {
  const { t } = useT();
  const [dragging, setDragging] = useState<{ images: boolean }>();
  const area = {
    onDragEnter: (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging({ images: [...e.dataTransfer.items].some(isImage) });
    },
    onDragOver: (e: DragEvent) => hasFiles(e) && e.preventDefault(),
  };
  const zone = (inline: boolean, label: string, hint: string) => (
    <div
      className="drop-zone"
      data-zone={inline ? 'inline' : 'attach'}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(undefined);
        onDrop([...e.dataTransfer.files], inline);
      }}
    >
      <strong>{label}</strong>
      <span className="muted small">{hint}</span>
    </div>
  );
  const overlay = dragging && (
    <div className="drop-overlay" onDragLeave={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && setDragging(undefined)} onDrop={(e) => (e.preventDefault(), setDragging(undefined))}>
      {dragging.images && zone(true, t('drop.inline'), t('drop.inline.hint'))}
      {zone(false, t('drop.attach'), t(dragging.images ? 'drop.attach.imagesHint' : 'drop.attach.hint'))}
    </div>
  );
  return { area, overlay };
}
