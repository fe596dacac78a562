import type { MessageView } from './message-view';

/** A message caught by the embedded sandbox SMTP server, for preview. */
export interface CaughtMessageSummary {
  id: string;
  receivedAt: string;
  envelopeFrom: string;
  envelopeTo: string[];
  /** Those of `envelopeTo` in neither To nor Cc: the blind copies (absent in messages caught by older versions). */
  bcc?: string[];
  subject: string;
  from: string;
  size: number;
}

export interface CaughtMessage extends CaughtMessageSummary, MessageView {}
