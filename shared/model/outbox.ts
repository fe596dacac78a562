import type { ErrorInfo } from '../errors';

// held (undo window) → scheduled → sending → sent | partially-delivered | retrying | failed | outcome-unknown; or cancelled.
export const OUTBOX_STATES = [
  'held',
  'scheduled',
  'sending',
  'retrying',
  'sent',
  'partially-delivered',
  'failed',
  'outcome-unknown',
  'cancelled',
] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** States in which nothing more happens by itself: the user decides (or it is done). */
export const FINAL_STATES: readonly OutboxState[] = ['sent', 'partially-delivered', 'failed', 'outcome-unknown', 'cancelled'];

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
  /** Temporary failures stop being retried after this. */
  giveUpAt?: string;
  /** Only these recipients are still to be sent to (after a partial delivery). */
  pending?: string[];
  delivery?: DeliverySummary;
}

/** Bytes of a message handed to the server so far, while it is sending. */
export interface SendProgress {
  id: string;
  sent: number;
  size: number;
}
