/** A message caught by the embedded sandbox SMTP server, for preview. */
export interface CaughtMessageSummary {
  id: string;
  receivedAt: string;
  envelopeFrom: string;
  envelopeTo: string[];
  subject: string;
  from: string;
  size: number;
}

export interface CaughtMessage extends CaughtMessageSummary {
  headers: Array<{ key: string; value: string }>;
  html?: string;
  text?: string;
  attachments: Array<{ filename?: string; contentType: string; size: number; contentId?: string }>;
  raw: string;
}
