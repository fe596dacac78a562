import type { OutboxItem } from '../../../../shared/model/outbox';

export type GroupId = 'attention' | 'sending' | 'held' | 'retrying' | 'scheduled' | 'sent' | 'cancelled';

/** The outbox's sections, in the order a user needs them: what needs a decision first. */
export const GROUPS: Array<{ id: GroupId; title: string; note?: string }> = [
  { id: 'attention', title: 'Needs your attention' },
  { id: 'sending', title: 'Sending' },
  { id: 'held', title: 'Sending soon' },
  { id: 'retrying', title: 'Waiting to retry' },
  { id: 'scheduled', title: 'Scheduled', note: 'Scheduled mail goes out only while Mailwright is running (the app, `mailwright serve` or `mailwright outbox run`).' },
  { id: 'sent', title: 'Sent' },
  { id: 'cancelled', title: 'Cancelled' },
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
