import type { ErrorInfo } from '../errors';

// The first cut of the outbox states (the full machine arrives with the outbox issue).
export const OUTBOX_STATES = [
  'scheduled',
  'sending',
  'sent',
  'partially-delivered',
  'failed',
  'outcome-unknown',
] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export const FINAL_STATES: readonly OutboxState[] = ['sent', 'partially-delivered', 'failed', 'outcome-unknown'];

export interface RecipientRefusal {
  address: string;
  code?: number;
  response: string;
}

export interface OutboxItem {
  id: string;
  accountId: string;
  messageId: string;
  subject: string;
  from: string;
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
}
