import { useEffect, useRef, useState } from 'react';
import { sendLaterPresets } from '../../../../shared/model/send-later';
import { datetimeLocalValue } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { useEscapeToClose } from '../../lib/useEscapeToClose';
import { useNow } from '../../lib/useNow';



/** Pick when the message goes out: three presets, or any date and time. */
export function SendLater({ onPick, onClose }: { onPick: (at: Date) => void; onClose: () => void }) {
  const { t, rich, when } = useT();
  const [now] = useState(() => new Date());
  const [custom, setCustom] = useState(() => datetimeLocalValue(new Date(now.getTime() + 3600_000)));
  const chosen = custom ? new Date(custom) : undefined;
  // A time that passes while the dialog is open stops being offered (checked every half minute).
  const clock = useNow(true, 30_000);
  const valid = !!chosen && !Number.isNaN(chosen.getTime()) && chosen.getTime() > clock;
  useEscapeToClose(onClose);
  // Opened from a button or a shortcut: the keyboard starts on the first preset.
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div className="send-later card" role="dialog" aria-label={t('sendLater.label')}>
      <div className="send-later-presets">
        {sendLaterPresets(now).map((p, n) => (
          <button key={p.id} ref={n === 0 ? first : undefined} type="button" className="btn preset" onClick={() => onPick(p.at)}>
            <span>{t(`sendLater.${p.id}`)}</span>
            <span className="muted">{when(p.at, now)}</span>
          </button>
        ))}
      </div>
      <div className="send-later-custom">
        <label htmlFor="send-at">{t('sendLater.dateTime')}</label>
        <input id="send-at" type="datetime-local" value={custom} min={datetimeLocalValue(now)} onChange={(e) => setCustom(e.target.value)} />
        <button type="button" className="btn btn-primary" disabled={!valid} onClick={() => chosen && chosen.getTime() > Date.now() && onPick(chosen)}>
          {t('sendLater.schedule')}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <p className="muted small send-later-note">{rich('sendLater.note', { serve: <code>mailwright serve</code>, run: <code>mailwright outbox run</code> })}</p>
    </div>
  );
}
