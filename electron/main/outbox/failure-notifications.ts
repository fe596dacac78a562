// A desktop notification when a message fails or its outcome becomes unknown: those need the
// user, who may be looking at another window. Only the change into such a state notifies.
import { Notification } from 'electron';
import type { OutboxItem, OutboxState } from '../../../shared/model/outbox';
import type { Core } from '../../core/core';

const NEEDS_USER: Partial<Record<OutboxState, string>> = {
  failed: 'Message not sent',
  'outcome-unknown': 'Message may not have been delivered',
  'partially-delivered': 'Message not delivered to everyone',
};

export function notifyFailures(core: Pick<Core, 'events' | 'settings'>, onClick: () => void): () => void {
  const lastState = new Map<string, OutboxState>();
  return core.events.on('outbox:changed', (item: OutboxItem) => {
    const before = lastState.get(item.id);
    lastState.set(item.id, item.state);
    const title = NEEDS_USER[item.state];
    if (!title || before === item.state || !Notification.isSupported()) return;
    void core.settings.get().then((s) => {
      if (!s.notifyFailures) return;
      const note = new Notification({ title, body: `${item.subject || '(no subject)'} — ${item.error?.message ?? `${item.rejected?.length ?? 0} recipient(s) refused`}` });
      note.on('click', onClick);
      note.show();
    });
  });
}
