import type { OutboxState } from '../../../shared/model/outbox';

/**
 * Every change of an outbox item's state, in one place: from which states each action may start
 * and which it may end in. The repository refuses anything else in the same SQL statement that
 * writes it, so two processes can never both win a race for one message.
 */
export const TRANSITIONS = {
  // The outbox's own steps.
  /** Taken for a delivery attempt, by one process. */
  start: { from: ['held', 'scheduled', 'retrying'], to: ['sending'] },
  /** The server took it (for every recipient, or some). A lease taken over meanwhile does not undo what the server said. */
  delivered: { from: ['sending', 'outcome-unknown'], to: ['sent', 'partially-delivered'] },
  /** A temporary failure before the message could have arrived: again after a wait. */
  retryLater: { from: ['sending'], to: ['retrying'] },
  /** Needs the user: a permanent refusal, or bytes on disk that are not the ones built. */
  fail: { from: ['sending', 'held', 'scheduled', 'retrying'], to: ['failed'] },
  /** The connection broke after the message may have arrived: never resent by itself. */
  unknown: { from: ['sending'], to: ['outcome-unknown'] },
  /** Its account cannot log in: it waits, without a deadline, for a sign-in. */
  waitForSignIn: { from: ['sending'], to: ['needs-sign-in'] },
  /**
   * Its sender stopped answering for it (a process that died): past the point of no return its
   * bytes may have arrived, so the user decides; before it, it is simply tried again (failed, never
   * sent, when that happened too often).
   */
  leaseExpired: { from: ['sending'], to: ['outcome-unknown', 'retrying', 'failed'] },
  /** It came due while nothing ran: it waits for the user's choice (its state stays; `overdue` is set). */
  markOverdue: { from: ['held', 'scheduled'], to: 'same' },
  /** The network is back: what waits for a retry is due now. */
  retryNow: { from: ['retrying'], to: ['retrying'] },
  /** The account can log in again. */
  loginReady: { from: ['needs-sign-in'], to: ['scheduled'] },

  // The user's actions (the outbox view's buttons and the CLI's commands).
  undo: { from: ['held'], to: ['cancelled'] },
  edit: { from: ['held', 'scheduled', 'retrying', 'needs-sign-in', 'failed'], to: ['cancelled'] },
  sendNow: { from: ['held', 'scheduled', 'retrying', 'needs-sign-in'], to: ['scheduled'] },
  reschedule: { from: ['held', 'scheduled', 'retrying', 'needs-sign-in', 'failed'], to: ['scheduled'] },
  cancel: { from: ['held', 'scheduled', 'retrying', 'needs-sign-in', 'failed', 'outcome-unknown'], to: ['cancelled'] },
  retry: { from: ['failed', 'needs-sign-in', 'partially-delivered'], to: ['scheduled'] },
  resend: { from: ['outcome-unknown'], to: ['scheduled'] },
  markSent: { from: ['outcome-unknown'], to: ['sent'] },
} as const satisfies Record<string, { from: readonly OutboxState[]; to: readonly OutboxState[] | 'same' }>;

export type Transition = keyof typeof TRANSITIONS;
