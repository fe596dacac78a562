import { Paperclip } from 'lucide-react';
import type { ReactNode } from 'react';
import type { Account } from '../../../../shared/model/account';
import { useT } from '../../lib/i18n';
import type { Format } from './fields';

interface Props {
  /** The hidden file input the picker uses. */
  fileInput: ReactNode;
  from: Account | undefined;
  format: Format;
  sending: boolean;
  laterOpen: boolean;
  onAttach: () => void;
  onFormat: (format: Format) => void;
  onPreview: () => void;
  onToggleLater: () => void;
  onSend: () => void;
}

/** The composer's last row: attach, the send format, preview as delivered, send later, send. */
export function ComposerActions({ fileInput, from, format, sending, laterOpen, onAttach, onFormat, onPreview, onToggleLater, onSend }: Props) {
  const { t } = useT();
  return (
    <footer className="composer-actions">
      {fileInput}
      <button type="button" className="btn" onClick={onAttach}>
        <Paperclip size={16} aria-hidden="true" /> {t('composer.attach')}
      </button>
      <select aria-label={t('composer.format')} value={format} onChange={(e) => onFormat(e.target.value as Format)} title={t('composer.format.help')}>
        <option value="html">{t('composer.format.html')}</option>
        <option value="plain">{t('composer.format.plain')}</option>
      </select>
      <div className="composer-send">
        <button type="button" className="btn" onClick={onPreview} disabled={!from}>
          {t('preview.delivered')}
        </button>
        <button type="button" className="btn" onClick={onToggleLater} aria-expanded={laterOpen} disabled={sending || !from}>
          {t('composer.sendLater')}
        </button>
        <button type="button" className="btn btn-primary" onClick={onSend} disabled={sending || !from} title={t('composer.sendTitle')}>
          {sending ? t('composer.sending') : t('composer.send')}
        </button>
      </div>
      {from?.kind === 'sandbox' && <p className="muted small composer-note">{t('composer.sandboxNote')}</p>}
    </footer>
  );
}
