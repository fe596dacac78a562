import addressparser from 'nodemailer/lib/addressparser';
import { invalidInput } from '../errors';

export interface Mailbox {
  name: string;
  address: string;
}

// Shape check after a real RFC 5322 parse: a local part and a domain of dot-separated labels.
// Unicode letters are allowed in both (internationalised addresses); spaces and brackets are not.
const ADDRESS = /^[^\s@<>()[\],;:"]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)*[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;
const QUOTED_LOCAL = /^"(?:[^"\\\r\n]|\\.)+"@/;

/** Parse one mailbox ("Name <a@b>" or "a@b") with nodemailer's address parser, strictly. */
export function parseMailbox(text: string, field: string): Mailbox {
  const parsed = addressparser(text, { flatten: true });
  const only = parsed.length === 1 ? parsed[0] : undefined;
  const address = only?.address ?? '';
  // "a b@c.test" parses as name "a" + b@c.test: a typo far more often than a name. Names need <…>.
  const strayName = !!only?.name && !text.includes('<');
  const ok = only && !strayName && (ADDRESS.test(address) || (QUOTED_LOCAL.test(address) && ADDRESS.test(address.replace(QUOTED_LOCAL, 'x@'))));
  if (!ok) {
    throw invalidInput(
      parsed.length > 1 ? `${field}: "${text}" holds more than one address.` : `${field}: "${text}" is not a valid email address.`,
      'Write each address as name@example.com or "Name <name@example.com>".',
    );
  }
  return { name: only.name ?? '', address };
}

/** A mailbox as a person would type it back: the name quoted when it holds specials. */
export function formatMailbox({ name, address }: Mailbox): string {
  if (!name) return address;
  const safe = /^[\p{L}\p{N} !#$%&'*+\-/=?^_`{|}~.]+$/u.test(name) && !name.includes('.');
  return `${safe ? name : `"${name.replace(/["\\]/g, '\\$&')}"`} <${address}>`;
}
