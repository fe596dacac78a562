import type { OutboxItem } from '../../../../shared/model/outbox';

export type GroupId = 'attention' | 'sending' | 'held' | 'retrying' | 'scheduled' | 'sent' | 'cancelled';

/** The outbox's sections, in the order a user needs them: what needs a decision first. Titles are outbox.group.<id>; `note` has outbox.group.<id>.note. */
export const GROUPS: Array<{ id: GroupId; note?: boolean }> = [
  { id: 'attention' },
  { id: 'sending' },
  { id: 'held' },
  { id: 'retrying' },
  { id: 'scheduled', note: true },
  { id: 'sent' },
  { id: 'cancelled' },
];

export function groupOf(item: OutboxItem): GroupId {
  if (item.overdue && (item.state === 'held' || item.state === 'scheduled')) return 'attention';
  switch (item.state) {
    case 'failed':
    case 'outcome-unknown':
    case 'partially-delivered':
      return 'attention';
    default:
      return item.state;
  }
}
