/**
 * A message as the viewer shows it: decoded headers, both bodies, the parts, the raw source.
 * The sandbox shows caught messages this way, and the composer's "preview as delivered" shows a
 * draft built exactly as it would be sent.
 */
export interface MessageView {
  headers: Array<{ key: string; value: string }>;
  html?: string;
  text?: string;
  /** `size` is the decoded size; on the wire each part is base64 (see base64Size). */
  attachments: Array<{ filename?: string; contentType: string; size: number; contentId?: string; inline: boolean }>;
  raw: string;
}

/** A draft built as it would be sent, shown before sending. */
export interface DeliveredPreview extends MessageView {
  subject: string;
  from: string;
  /** Who the server would be asked to deliver to (Bcc included), exactly the envelope. */
  envelopeTo: string[];
  /** Those of `envelopeTo` in no header: the blind copies. */
  bcc?: string[];
  size: number;
}
