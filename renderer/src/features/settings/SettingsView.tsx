import { THEME_CHOICES, UNDO_CHOICES, type Settings } from '../../../../shared/model/settings';
import { LANGUAGE_CHOICES, LANGUAGE_NAMES, pickLanguage } from '../../../../shared/i18n/languages';
import { api, isBrowserMode } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { SecretsSettings } from '../secrets/SecretsSettings';

/** The few things a user sets once; each change is saved at once. */
export function SettingsView({ settings, onChanged }: { settings: Settings; onChanged: (s: Settings) => void }) {
  const { t, rich } = useT();
  const save = async (change: Partial<Settings>) => {
    const r = await api()['settings:save'](change);
    if (r.ok) onChanged(r.value);
  };
  return (
    <section className="view" aria-label={t('nav.settings')}>
      <header className="view-header">
        <h1 tabIndex={-1}>{t('nav.settings')}</h1>
      </header>
      <div className="card settings-card">
        <div className="setting">
          <label htmlFor="undo-seconds">{t('settings.undo')}</label>
          <select id="undo-seconds" value={settings.undoSeconds} onChange={(e) => void save({ undoSeconds: Number(e.target.value) as Settings['undoSeconds'] })}>
            {UNDO_CHOICES.map((s) => (
              <option key={s} value={s}>
                {s === 0 ? t('settings.undo.off') : t('settings.undo.seconds', { count: s })}
              </option>
            ))}
          </select>
          <p className="muted small">{t('settings.undo.help')}</p>
        </div>
        <div className="setting">
          <label>
            <input type="checkbox" checked={settings.notifyFailures} onChange={(e) => void save({ notifyFailures: e.target.checked })} /> {t('settings.notify')}
          </label>
          <p className="muted small">{t('settings.notify.help')}</p>
        </div>
        <div className="setting">
          <label htmlFor="language">{t('settings.language')}</label>
          <select id="language" value={settings.language} onChange={(e) => void save({ language: e.target.value as Settings['language'] })}>
            {LANGUAGE_CHOICES.map((choice) => (
              // Each language by its own name, so it can be found whatever the window speaks now.
              <option key={choice} value={choice} lang={choice === 'system' ? undefined : choice}>
                {choice === 'system' ? t('settings.language.system', { name: LANGUAGE_NAMES[pickLanguage(navigator.languages)] }) : LANGUAGE_NAMES[choice]}
              </option>
            ))}
          </select>
          <p className="muted small">{t('settings.language.help')}</p>
        </div>
        <div className="setting">
          <label htmlFor="theme">{t('settings.theme')}</label>
          <select id="theme" value={settings.theme} onChange={(e) => void save({ theme: e.target.value as Settings['theme'] })}>
            {THEME_CHOICES.map((theme) => (
              <option key={theme} value={theme}>
                {t(`settings.theme.${theme}`)}
              </option>
            ))}
          </select>
          <p className="muted small">{t('settings.theme.help')}</p>
        </div>
        <div className="setting">
          <label>
            <input type="checkbox" checked={settings.mailtoHandler} disabled={isBrowserMode()} onChange={(e) => void save({ mailtoHandler: e.target.checked })} /> {t('settings.mailto')}
          </label>
          <p className="muted small">
            {t('settings.mailto.help')} {isBrowserMode() ? rich('settings.mailto.browser', { command: <code>mailwright compose</code> }) : t('settings.mailto.desktop')}
          </p>
        </div>
        <SecretsSettings />
      </div>
    </section>
  );
}
