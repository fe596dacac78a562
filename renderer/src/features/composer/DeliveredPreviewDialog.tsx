import { useEffect, useRef } from 'react';
import type { DeliveredPreview } from '../../../../shared/model/message-view';
import { useT } from '../../lib/i18n';
import { useEscapeToClose } from '../../lib/useEscapeToClose';
import { MessagePreview } from '../sandbox/MessagePreview';

/**
 * "Preview as delivered": the exact MIME the outbox would send (built by main with the same
 * builder), shown in the sandbox's viewer — both parts side by side, headers, parts, raw source.
 */
export function DeliveredPreviewDialog({ preview, onClose }: { preview: DeliveredPreview; onClose: () => void }) {
  const { t } = useT();
  useEscapeToClose(onClose);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="dialog-backdrop">
      <div className="dialog card dialog-wide" role="dialog" aria-modal="true" aria-labelledby="delivered-title">
        <header className="dialog-header">
          <h2 id="delivered-title">{t('preview.delivered')}</h2>
          <span className="muted small">{t('preview.deliveredNote')}</span>
          <button ref={close} type="button" className="btn" onClick={onClose}>
            {t('common.close')}
          </button>
        </header>
        <MessagePreview message={preview} sideBySide />
      </div>
    </div>
  );
}
