// The one address checker: the composer's chips mark a recipient with it as it is typed, and
// main refuses with it before anything is written. nodemailer's addressparser (pure JavaScript,
// no Node) is the parser because it is the one that writes the headers: what a chip accepts is
// exactly what gets sent.
import addressparser from 'nodemailer/lib/addressparser';
import { translator, type Translate } from '../i18n/translate';
import type { MessageKey } from '../i18n/types';

export interface Mailbox {
  name: string;
  address: string;
}

/**
 * Why a text is not one mailbox, as data: the composer words it in the user's language, main in
 * English. `value` is the piece the words quote (the address, the local part or the domain).
 */
export type MailboxProblem =
  | { code: 'empty' | 'unclosed-quote' | 'two-addresses' | 'missing-at' | 'nothing-before-at' | 'nothing-after-at' | 'more-than-one-at' }
  | { code: 'space' | 'needs-quotes' | 'bad-domain'; value: string };

export type MailboxCheck = ({ ok: true } & Mailbox) | { ok: false; problem: MailboxProblem };

// A domain: dot-separated labels of letters and digits (any script: internationalised domains),
// hyphens inside a label only.
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?';
const DOMAIN = new RegExp(`^(?:${LABEL}\\.)*${LABEL}$`, 'u');
// An unquoted local part: no spaces, brackets or other specials (Unicode letters are fine, RFC 6532).
const LOCAL = /^[^\s@<>()[\],;:"\\]+$/u;
const QUOTED_LOCAL = /^"(?:[^"\\\r\n]|\\.)+"$/;
const QUOTED_ADDRESS = /^"(?:[^"\\\r\n]|\\.)+"@[^\s@"<>]+$/;

/** How many pieces of the text look like an address once quoted names are left out. */
const addressLikeWords = (text: string) =>
  text
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .split(/[\s<>,;]+/)
    .filter((w) => /[^@]@+[^@]/.test(w)).length;

function checkAddress(address: string): MailboxProblem | undefined {
  if (!address.includes('@')) return { code: 'missing-at' };
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const badDomain = DOMAIN.test(domain) ? undefined : { code: 'bad-domain' as const, value: domain };
  if (!local) return { code: 'nothing-before-at' };
  if (!domain) return { code: 'nothing-after-at' };
  if (local.startsWith('"') && QUOTED_LOCAL.test(local)) return badDomain;
  if (local.includes('@')) return { code: 'more-than-one-at' };
  if (!LOCAL.test(local)) return { code: 'needs-quotes', value: local };
  return badDomain;
}

/**
 * One mailbox as typed ("Name <a@b>" or "a@b"), strictly: either its name and address, or why not,
 * precisely enough for words a person can act on (describeMailboxProblem).
 */
export function checkMailbox(text: string): MailboxCheck {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, problem: { code: 'empty' } };
  // The parser quietly drops a lone quote; the person meant something, so say so instead.
  if ((trimmed.replace(/\\./g, '').match(/"/g)?.length ?? 0) % 2) return { ok: false, problem: { code: 'unclosed-quote' } };
  const parsed = addressparser(trimmed, { flatten: true });
  if (parsed.length > 1 || addressLikeWords(trimmed) > 1) return { ok: false, problem: { code: 'two-addresses' } };
  const only = parsed[0];
  // The parser quietly rewrites some quoted local parts when they are not in <…>: `"."@x` becomes
  // `.@x` (not an address) and `" a"@x` becomes `"a"@x` (another mailbox). What is sent must be
  // what was typed, so a quoted local part is taken exactly as typed.
  const open = trimmed.lastIndexOf('<');
  const typed = (open >= 0 ? trimmed.slice(open + 1, trimmed.indexOf('>', open) >>> 0) : trimmed).trim();
  const address = QUOTED_ADDRESS.test(typed) ? typed : (only?.address ?? '');
  // "a b@c.test" parses as name "a" + b@c.test: a typo far more often than a name. Names need <…>.
  if (only?.name && address && !trimmed.includes('<')) return { ok: false, problem: { code: 'space', value: address } };
  const problem = checkAddress(address || trimmed);
  if (problem) return { ok: false, problem };
  return { ok: true, name: only?.name ?? '', address };
}

/**
 * A problem in words that follow the address ("… has a space — put a name in quotes before <b@c>").
 * English unless given a translator: main's error messages are English; the composer passes its own.
 * The words live in the catalogues (mailbox.problem.*), so English is written once.
 */
export function describeMailboxProblem(problem: MailboxProblem, t: Translate = translator('en')): string {
  const key: MessageKey = `mailbox.problem.${problem.code}`;
  // Keys without a {value} ignore it; the compiler cannot tell which key this is, hence the cast.
  return (t as (k: MessageKey, p: { value: string }) => string)(key, { value: 'value' in problem ? problem.value : '' });
}

/** A mailbox as a person would type it back: the name quoted when it holds specials. */
export function formatMailbox({ name, address }: Mailbox): string {
  if (!name) return address;
  const safe = /^[\p{L}\p{N} !#$%&'*+\-/=?^_`{|}~.]+$/u.test(name) && !name.includes('.');
  return `${safe ? name : `"${name.replace(/["\\]/g, '\\$&')}"`} <${address}>`;
}
