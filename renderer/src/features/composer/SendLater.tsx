import { useState } from 'react';
import { sendLaterPresets } from '../../../../shared/model/send-later';
import { datetimeLocalValue } from '../../lib/format';

const dayTime = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' });


/** Pick when the message goes out: three presets, or any date and time. */
export function SendLater({ onPick, onClose }: { onPick: (at: Date) => void; onClose: () => void }) {
  const [now] = useState(() => new Date());
  const [custom, setCustom] = useState(() => datetimeLocalValue(new Date(now.getTime() + 3600_000)));
  const chosen = custom ? new Date(custom) : undefined;
  const valid = !!chosen && !Number.isNaN(chosen.getTime()) && chosen.getTime() > Date.now();
  return (
    <div className="send-later card" role="dialog" aria-label="Send later" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="send-later-presets">
        {sendLaterPresets(now).map((p) => (
          <button key={p.id} type="button" className="btn preset" onClick={() => onPick(p.at)}>
            <span>{p.label}</span>
            <span className="muted">{dayTime.format(p.at)}</span>
          </button>
        ))}
      </div>
      <div className="send-later-custom">
        <label htmlFor="send-at">Date and time</label>
        <input id="send-at" type="datetime-local" value={custom} min={datetimeLocalValue(now)} onChange={(e) => setCustom(e.target.value)} />
        <button type="button" className="btn btn-primary" disabled={!valid} onClick={() => chosen && onPick(chosen)}>
          Schedule
        </button>
        <button type="button" className="btn btn-quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted small send-later-note">
        Mailwright sends scheduled mail only while it is running (the app, <code>mailwright serve</code> or <code>mailwright outbox run</code>). Mail that
        comes due while it is closed waits for you to choose when it starts again.
      </p>
    </div>
  );
}
