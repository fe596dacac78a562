// What a message will weigh on the wire, before it is built: attachments travel base64-encoded
// (4 bytes for every 3, plus a line break every 76 characters), which is what servers' SIZE limits count.

/** Bytes of `n` bytes once base64-encoded in 76-character lines with CRLF. */
export function base64Size(n: number): number {
  const encoded = 4 * Math.ceil(n / 3);
  return encoded + 2 * Math.ceil(encoded / 76);
}

/** Headers and boundaries of one MIME part, roughly: enough for a warning, not for billing. */
const PART_OVERHEAD = 300;

/** An upper estimate of the built message: HTML and text bodies (quoted-printable), each attachment base64. */
export function estimateMessageSize(parts: { html: string; text: string; attachmentSizes: number[] }): number {
  const utf8 = (s: string) => new TextEncoder().encode(s).length;
  // quoted-printable: non-ASCII bytes become =XX (×3), soft line breaks every 76 characters
  const qp = (s: string) => {
    const bytes = utf8(s);
    const ascii = s.replace(/[^\x20-\x7e\n]/g, '').length;
    const encoded = ascii + (bytes - ascii) * 3;
    return encoded + 3 * Math.ceil(encoded / 76);
  };
  const bodies = (parts.html ? qp(parts.html) + PART_OVERHEAD : 0) + qp(parts.text) + PART_OVERHEAD;
  return 1000 + bodies + parts.attachmentSizes.reduce((sum, n) => sum + base64Size(n) + PART_OVERHEAD, 0);
}

/** Bytes sent over IPC as base64: about 36 MB of file. Larger files go through the native picker (or browser mode's upload). */
export const MAX_ADDED_BASE64 = 48 * 1024 * 1024;

/** When the server told us nothing (no SIZE in EHLO, or never tested): what most providers accept. */
export const DEFAULT_SIZE_LIMIT = 25_000_000;
