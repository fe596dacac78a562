// mailto: URLs (RFC 6068) as a composer understands them: recipients, subject and body only.
// Any other header (In-Reply-To, X-anything, From…) is ignored: a link must not forge a message.
import { splitRecipients } from './recipients';

export interface MailtoDraft {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%2B'));
  } catch {
    return s;
  }
};

/** Parse a mailto: URL; returns undefined for anything that is not one. */
export function parseMailto(url: string): MailtoDraft | undefined {
  const m = /^mailto:([^?#]*)(?:\?([^#]*))?/i.exec(url.trim());
  if (!m) return undefined;
  const draft: MailtoDraft = { to: splitRecipients(decode(m[1]!)), cc: [], bcc: [], subject: '', body: '' };
  for (const pair of (m[2] ?? '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (name === 'to' || name === 'cc' || name === 'bcc') draft[name].push(...splitRecipients(value));
    // Header fields take one line: a CR or LF in a subject would let a link add headers.
    // NUL, DEL and other control characters are dropped, or the schema would refuse the whole link.
    else if (name === 'subject' && !draft.subject) draft.subject = value.replace(/[\r\n]+/g, ' ').replace(/[^\P{Cc}\t]/gu, '');
    else if (name === 'body' && !draft.body) draft.body = value.replace(/\r\n/g, '\n');
  }
  return draft;
}
