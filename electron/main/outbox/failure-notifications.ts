// A desktop notification when a message fails or its outcome becomes unknown: those need the
// user, who may be looking at another window. Only the change into such a state notifies, in the
// language the window speaks (the setting, or the system's).
import { app, Notification } from 'electron';
import { plain, sayError } from '../../../shared/i18n/errors/say';
import { resolveLanguage } from '../../../shared/i18n/languages';
import { translator } from '../../../shared/i18n/translate';
import type { OutboxItem, OutboxState } from '../../../shared/model/outbox';
import type { Core } from '../../core/core';

const NEEDS_USER = ['failed', 'outcome-unknown', 'partially-delivered'] as const satisfies readonly OutboxState[];
const needsUser = (state: OutboxState): state is (typeof NEEDS_USER)[number] => (NEEDS_USER as readonly string[]).includes(state);

export function notifyFailures(core: Pick<Core, 'events' | 'settings'>, onClick: () => void): () => void {
  const lastState = new Map<string, OutboxState>();
  return core.events.on('outbox:changed', (item: OutboxItem) => {
    const before = lastState.get(item.id);
    lastState.set(item.id, item.state);
    const state = item.state;
    if (!needsUser(state) || before === state || !Notification.isSupported()) return;
    void core.settings.get().then((s) => {
      if (!s.notifyFailures) return;
      const lang = resolveLanguage(s.language, app.getPreferredSystemLanguages?.() ?? []);
      const t = translator(lang);
      const why = item.error ? plain(sayError(lang, item.error).message, (c) => c) : t('notify.refused', { count: item.rejected?.length ?? 0 });
      const note = new Notification({ title: t(`notify.${state}`), body: `${item.subject || t('common.noSubject')} — ${why}` });
      note.on('click', onClick);
      note.show();
    });
  });
}
