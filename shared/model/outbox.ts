import type { ErrorInfo } from '../errors';

// held (undo window) → scheduled → sending → sent | partially-delivered | retrying | failed | outcome-unknown
// | needs-sign-in (its account's login cannot be had: it goes once the user signs in again); or cancelled.
export const OUTBOX_STATES = [
  'held',
  'scheduled',
  'sending',
  'retrying',
  'needs-sign-in',
  'sent',
  'partially-delivered',
  'failed',
  'outcome-unknown',
  'cancelled',
] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** States in which nothing more happens by itself: the user decides (or it is done). */
export const FINAL_STATES: readonly OutboxState[] = ['sent', 'partially-delivered', 'failed', 'outcome-unknown', 'needs-sign-in', 'cancelled'];

export interface RecipientRefusal {
  address: string;
  code?: number;
  response: string;
}

/** How a delivery went, kept with sent mail (the transcript in brief). */
export interface DeliverySummary {
  host: string;
  port: number;
  security: string;
  /** when the attempt that delivered it began */
  at: string;
  durationMs: number;
  /** MAIL FROM/RCPT TO, and DATA, as nodemailer timed them */
  envelopeMs?: number;
  dataMs?: number;
}

export interface OutboxItem {
  id: string;
  accountId: string;
  messageId: string;
  subject: string;
  from: string;
  /** the envelope sender (MAIL FROM) */
  sender: string;
  /** Every envelope recipient (To, Cc and Bcc). */
  recipients: string[];
  /** Those of `recipients` who are in no header (Bcc): shown apart, never as if the others saw them. */
  bcc?: string[];
  state: OutboxState;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  /** Size of the built message in bytes. */
  size: number;
  accepted?: string[];
  rejected?: RecipientRefusal[];
  /** The server's final reply, e.g. "250 2.0.0 Ok: queued as 4F2C1". */
  response?: string;
  error?: ErrorInfo;
  /** held/scheduled: when it goes out; retrying: the next attempt */
  dueAt?: string;
  /** It became due while Mailwright was not running: it waits for the user's choice. */
  overdue?: boolean;
  /**
   * Due now because the user asked (send now, retry, resend, signed in again), perhaps in a CLI that
   * then exits: whatever runs next sends it, and never takes it for overdue.
   */
  sendAtNextRun?: boolean;
  /** Temporary failures stop being retried after this. */
  giveUpAt?: string;
  /** Only these recipients are still to be sent to (after a partial delivery). */
  pending?: string[];
  delivery?: DeliverySummary;
  /** Cancelled because its message went back to the composer (undo, edit): kept only as a record. */
  takenBack?: boolean;
  /** How often its sender died before it could be sent, each time tried again by itself. */
  silentRetries?: number;
  /** One row of a mail merge: which merge, which row of its data. */
  merge?: { id: string; row: number };
}

/** Bytes of a message handed to the server so far, while it is sending. */
export interface SendProgress {
  id: string;
  sent: number;
  size: number;
}
