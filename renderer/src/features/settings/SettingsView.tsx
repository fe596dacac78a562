import { UNDO_CHOICES, type Settings } from '../../../../shared/model/settings';
import { api } from '../../lib/api';

/** The few things a user sets once; each change is saved at once. */
export function SettingsView({ settings, onChanged }: { settings: Settings; onChanged: (s: Settings) => void }) {
  const save = async (change: Partial<Settings>) => {
    const r = await api()['settings:save'](change);
    if (r.ok) onChanged(r.value);
  };
  return (
    <section className="view" aria-label="Settings">
      <header className="view-header">
        <h1>Settings</h1>
      </header>
      <div className="card settings-card">
        <div className="setting">
          <label htmlFor="undo-seconds">Undo send</label>
          <select id="undo-seconds" value={settings.undoSeconds} onChange={(e) => void save({ undoSeconds: Number(e.target.value) as Settings['undoSeconds'] })}>
            {UNDO_CHOICES.map((s) => (
              <option key={s} value={s}>
                {s === 0 ? 'Off: send at once' : `${s} seconds`}
              </option>
            ))}
          </select>
          <p className="muted small">How long a sent message waits in the outbox, so that Undo can still take it back.</p>
        </div>
        <div className="setting">
          <label>
            <input type="checkbox" checked={settings.notifyFailures} onChange={(e) => void save({ notifyFailures: e.target.checked })} /> Notify me when a message fails
          </label>
          <p className="muted small">A desktop notification when a message could not be sent, or may not have arrived.</p>
        </div>
      </div>
    </section>
  );
}
