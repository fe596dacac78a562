// The one address checker: the composer's chips mark a recipient with it as it is typed, and
// main refuses with it before anything is written. nodemailer's addressparser (pure JavaScript,
// no Node) is the parser because it is the one that writes the headers: what a chip accepts is
// exactly what gets sent.
import addressparser from 'nodemailer/lib/addressparser';

export interface Mailbox {
  name: string;
  address: string;
}

export type MailboxCheck = ({ ok: true } & Mailbox) | { ok: false; reason: string };

// A domain: dot-separated labels of letters and digits (any script: internationalised domains),
// hyphens inside a label only.
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?';
const DOMAIN = new RegExp(`^(?:${LABEL}\\.)*${LABEL}$`, 'u');
// An unquoted local part: no spaces, brackets or other specials (Unicode letters are fine, RFC 6532).
const LOCAL = /^[^\s@<>()[\],;:"\\]+$/u;
const QUOTED_LOCAL = /^"(?:[^"\\\r\n]|\\.)+"$/;

/** How many pieces of the text look like an address once quoted names are left out. */
const addressLikeWords = (text: string) =>
  text
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .split(/[\s<>,;]+/)
    .filter((w) => /[^@]@+[^@]/.test(w)).length;

function checkAddress(address: string): string | undefined {
  if (!address.includes('@')) return 'missing @';
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (!local) return 'nothing before the @';
  if (!domain) return 'nothing after the @';
  if (local.startsWith('"') && QUOTED_LOCAL.test(local)) return DOMAIN.test(domain) ? undefined : `the domain “${domain}” is not valid`;
  if (local.includes('@')) return 'has more than one @';
  if (!LOCAL.test(local)) return `“${local}” before the @ holds characters that need quotes`;
  if (!DOMAIN.test(domain)) return `the domain “${domain}” is not valid`;
  return undefined;
}

/**
 * One mailbox as typed ("Name <a@b>" or "a@b"), strictly: either its name and address, or why not,
 * in words a person can act on.
 */
export function checkMailbox(text: string): MailboxCheck {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, reason: 'is empty' };
  // The parser quietly drops a lone quote; the person meant something, so say so instead.
  if ((trimmed.replace(/\\./g, '').match(/"/g)?.length ?? 0) % 2) return { ok: false, reason: 'has a quote that is not closed' };
  const parsed = addressparser(trimmed, { flatten: true });
  if (parsed.length > 1 || addressLikeWords(trimmed) > 1) return { ok: false, reason: 'holds two addresses — put each in its own recipient' };
  const only = parsed[0];
  const address = only?.address ?? '';
  // "a b@c.test" parses as name "a" + b@c.test: a typo far more often than a name. Names need <…>.
  if (only?.name && address && !trimmed.includes('<')) return { ok: false, reason: `has a space — put a name in quotes before <${address}>` };
  const reason = checkAddress(address || trimmed);
  if (reason) return { ok: false, reason };
  return { ok: true, name: only?.name ?? '', address };
}

/** A mailbox as a person would type it back: the name quoted when it holds specials. */
export function formatMailbox({ name, address }: Mailbox): string {
  if (!name) return address;
  const safe = /^[\p{L}\p{N} !#$%&'*+\-/=?^_`{|}~.]+$/u.test(name) && !name.includes('.');
  return `${safe ? name : `"${name.replace(/["\\]/g, '\\$&')}"`} <${address}>`;
}
