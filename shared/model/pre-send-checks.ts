// The checks a careful colleague would make before a message leaves: pure functions of what is
// in the composer, so they are tested exhaustively and run the same everywhere.
import { DEFAULT_SIZE_LIMIT } from './message-size';

export type PreSendCheckId = 'no-recipients' | 'invalid-recipients' | 'many-visible-recipients' | 'empty-subject' | 'attachment-mentioned' | 'greeting-not-a-recipient' | 'too-large' | 'template-variables';

export interface PreSendIssue {
  id: PreSendCheckId;
  /** Sending is impossible until fixed (no recipients); the others allow "send anyway". */
  blocking: boolean;
  /** a value for the message text, e.g. the word that mentions an attachment */
  detail?: string;
}

export interface PreSendInput {
  recipients: Array<{ name: string; address: string }>;
  /** Recipients as typed that are not valid addresses (the chips marked red). */
  invalid?: string[];
  /** how many of them are in To and Cc, where every recipient sees them all */
  visibleCount?: number;
  subject: string;
  /** the body as plain text */
  text: string;
  attachmentCount: number;
  estimatedSize: number;
  /** the account's SIZE from its last EHLO, if known */
  sizeLimit?: number;
}

// Words that say a file comes with the message, in English, Russian and Spanish (lower case, matched as word starts).
const ATTACHMENT_WORDS = [
  'attached', 'attaching', 'attachment', 'i attach', 'enclosed', 'see attached',
  'вложени', 'во вложении', 'прикрепл', 'прикладыва', 'прилагаю', 'приложен', 'в приложении',
  'adjunto', 'adjunta', 'adjuntado', 'adjuntamos', 'adjuntar', 'archivo adjunto', 'anexo',
];

const GREETINGS = /^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hola|estimad[oa]|querid[oa]|buen(?:os|as) (?:días|tardes|noches)|привет|здравствуй(?:те)?|добр(?:ый|ое) (?:день|утро|вечер)|уважаем(?:ый|ая))[\s,]+([\p{L}][\p{L}'’-]*)/iu;

// "Hi all", "Dear Sir", "Hola equipo", "Привет всем": greetings that name no one.
const NOBODY = new Set(['all', 'everyone', 'everybody', 'team', 'folks', 'guys', 'there', 'sir', 'madam', 'colleagues', 'friends', 'todos', 'todas', 'equipo', 'señor', 'señora', 'señores', 'amigos', 'colegas', 'всем', 'все', 'коллеги', 'друзья', 'команда']);

/** Above this many addresses in To and Cc, everyone's address goes to everyone: Bcc is usually meant. */
export const MAX_VISIBLE = 15;

/** Letters only, lower case, accents folded: "José" and "jose" are the same name. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** What the user wrote: quoted lines ("> …") and the signature (after "-- ") are not theirs to check. */
export function ownText(text: string): string {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '-- ' || line === '--') break;
    if (!line.trimStart().startsWith('>')) lines.push(line);
  }
  return lines.join('\n');
}

/** The word (as written, folded) that says a file comes with the message, if any. */
export function mentionedAttachment(text: string): string | undefined {
  const own = ` ${fold(ownText(text)).replace(/\s+/g, ' ')}`;
  for (const stem of ATTACHMENT_WORDS) {
    const found = new RegExp(`[^\\p{L}](${fold(stem)}\\p{L}*)`, 'u').exec(own);
    if (found) return found[1];
  }
  return undefined;
}

/** The name a greeting addresses, when it names someone ("Hi Ana," → "Ana"). */
export function greetedName(text: string): string | undefined {
  const first = ownText(text).split(/\r?\n/).find((l) => l.trim())?.trim() ?? '';
  const name = GREETINGS.exec(first)?.[1];
  // A name is written with a capital: "Hi Ana" names someone, "hi there" or "hola a todos" does not.
  return name && /^\p{Lu}/u.test(name) && !NOBODY.has(fold(name)) ? name : undefined;
}

function isRecipient(name: string, recipients: PreSendInput['recipients']): boolean {
  const wanted = fold(name);
  return recipients.some((r) => {
    const words = fold(`${r.name} ${r.address.split('@')[0]}`).split(/[^\p{L}]+/u);
    return words.some((w) => w === wanted || (wanted.length >= 3 && w.startsWith(wanted)));
  });
}

/** Liquid left in a message (one made from a template): `{{ name }}`, `{% if … %}`, sent as written unless replaced. */
const LIQUID = /\{\{[^{}]*\}\}|\{%[^{}]*%\}/g;

/** The Liquid a message still holds, the first few of it, as the user would recognise them. */
export function templateVariables(...texts: string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(LIQUID)) found.add(m[0].replace(/\s+/g, ' '));
  return [...found].slice(0, 3);
}

export function preSendChecks(m: PreSendInput): PreSendIssue[] {
  const issues: PreSendIssue[] = [];
  if (!m.recipients.length) issues.push({ id: 'no-recipients', blocking: true });
  // Main would refuse the message; say so here, where the fix is one click away.
  if (m.invalid?.length) issues.push({ id: 'invalid-recipients', blocking: true, detail: m.invalid.join(', ') });
  if ((m.visibleCount ?? 0) > MAX_VISIBLE) issues.push({ id: 'many-visible-recipients', blocking: false, detail: String(m.visibleCount) });
  if (!m.subject.trim()) issues.push({ id: 'empty-subject', blocking: false });
  const word = m.attachmentCount === 0 ? mentionedAttachment(m.text) : undefined;
  if (word) issues.push({ id: 'attachment-mentioned', blocking: false, detail: word });
  const name = m.recipients.length ? greetedName(m.text) : undefined;
  if (name && !isRecipient(name, m.recipients)) issues.push({ id: 'greeting-not-a-recipient', blocking: false, detail: name });
  if (m.estimatedSize > (m.sizeLimit ?? DEFAULT_SIZE_LIMIT)) issues.push({ id: 'too-large', blocking: false });
  const liquid = templateVariables(m.subject, m.text);
  if (liquid.length) issues.push({ id: 'template-variables', blocking: false, detail: liquid.join(', ') });
  return issues;
}
