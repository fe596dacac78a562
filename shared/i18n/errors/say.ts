import type { ErrorInfo, ErrorText, Phrase } from '../../errors';
import type { Language } from '../languages';
import { CATALOGUES, translator } from '../translate';
import type { MessageKey } from '../types';

// Saying an error in a language: main says it in English for the command line (ErrorInfo.message
// and .hint), a window says the same keys in the user's language. Each sentence is written once,
// in the catalogues; what reaches here is keys and data.

/** Text, or a command to show as code. */
export type Piece = string | { code: string };

export interface SaidError {
  message: Piece[];
  hint: Piece[];
  /** The system's or a program's own words, shown apart and as they came. */
  quote?: string;
}

type LooseTranslate = (key: MessageKey, params: Record<string, string | number>) => string;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

// Marks where a param's pieces go in a translated text; private-use characters no catalogue holds.
const SLOT = /\uE000(\d+)\uE001/;

/** One phrase in pieces. Throws on a key the catalogue does not have, or a phrase nested absurdly deep. */
export function sayPhrase(lang: Language, phrase: Phrase, depth = 0): Piece[] {
  if (depth > 4 || !isObject(phrase) || typeof phrase.key !== 'string' || !Object.hasOwn(CATALOGUES[lang], phrase.key)) {
    throw new Error(`not a catalogued phrase: ${String((phrase as { key?: unknown })?.key)}`);
  }
  const slots: Piece[][] = [];
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(isObject(phrase.params) ? phrase.params : {})) {
    // Numbers go to the translator itself: it writes them the language's way and picks plural forms by `count`.
    if (typeof value === 'number') values[name] = value;
    else {
      values[name] = `\uE000${slots.length}\uE001`;
      const v: unknown = value;
      slots.push(
        typeof v === 'string' ? [v]
        : isObject(v) && typeof v.code === 'string' ? [{ code: v.code }]
        : isObject(v) && typeof v.date === 'string' ? [formatDate(v.date, lang)]
        : sayPhrase(lang, v as Phrase, depth + 1),
      );
    }
  }
  const text = (translator(lang) as LooseTranslate)(phrase.key, values);
  return text.split(SLOT).flatMap((part, i) => (i % 2 ? slots[Number(part)]! : part ? [part] : []));
}

/** Phrases said one after another, a space between them. */
export function sayPhrases(lang: Language, phrases: readonly Phrase[]): Piece[] {
  return phrases.flatMap((p, i) => (i ? [' ', ...sayPhrase(lang, p)] : sayPhrase(lang, p)));
}

/**
 * An error in a language, from its keys. An error without them (built in the renderer, or stored
 * by an older version) or with a key this catalogue lacks is said as main wrote it, in English,
 * rather than not at all.
 */
export function sayError(lang: Language, info: ErrorInfo): SaidError {
  const text: unknown = info.text;
  if (isObject(text) && Array.isArray(text.message) && Array.isArray(text.hint)) {
    try {
      const said: SaidError = { message: sayPhrases(lang, text.message as Phrase[]), hint: sayPhrases(lang, text.hint as Phrase[]) };
      if (typeof text.quote === 'string' && text.quote) said.quote = text.quote;
      return said;
    } catch {
      // fall through to the English words
    }
  }
  return { message: [info.message], hint: info.hint ? [info.hint] : [] };
}

const backticks = (c: string) => `\`${c}\``;

/** Pieces as plain text; commands `backticked` as on the command line, or however `code` writes them. */
export const plain = (pieces: readonly Piece[], code = backticks) => pieces.map((p) => (typeof p === 'string' ? p : code(p.code))).join('');

/**
 * A phrase as plain text (main says every error it makes in English this way).
 * Throws, as sayPhrase does, on a key the catalogue does not have.
 */
export const sayText = (lang: Language, phrase: Phrase, code = backticks): string => plain(sayPhrase(lang, phrase), code);

const sayTexts = (lang: Language, phrases: readonly Phrase[]) => phrases.map((p) => sayText(lang, p)).join(' ');

/** An error's message and hint as plain text in `lang` (a report file in the window's language). */
export function wordsOf(lang: Language, text: ErrorText): { message: string; hint: string } {
  const message = sayTexts(lang, text.message);
  return { message: text.quote ? withQuote(message, text.quote) : message, hint: sayTexts(lang, text.hint) };
}

/** The English message and hint main puts in ErrorInfo, for the command line, logs and --json. */
export const englishOf = (text: ErrorText): { message: string; hint: string } => wordsOf('en', text);

/** "Could not write the draft." and "ENOSPC: no space left" → "Could not write the draft: ENOSPC: no space left." */
export const withQuote = (message: string, quote: string) => `${message.replace(/\.$/, '')}: ${quote}${/[.!?]$/.test(quote) ? '' : '.'}`;

/** A date as the language writes it ("14 марта 2030 г."); a value that is not one stays as it came. */
export function formatDate(iso: string, lang: Language): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(d);
}

// Facts an error carries (ErrorInfo.details) by the name main gives them; dates among them are written the reader's way.
const DETAIL_LABELS: Record<string, MessageKey> = {
  presentedSha256: 'err.detail.presentedSha256',
  pinnedSha256: 'err.detail.pinnedSha256',
  subject: 'err.detail.subject',
  validTo: 'err.detail.validTo',
};
const DATE_DETAILS = new Set(['validTo']);

/** An error's details as label and value; a fact without a label keeps its name rather than vanishing. */
export function sayDetails(lang: Language, details: ErrorInfo['details']): Array<{ name: string; label: string; value: string; date: boolean }> {
  const t = translator(lang) as LooseTranslate;
  return Object.entries(details ?? {}).map(([name, v]) => {
    const label = Object.hasOwn(DETAIL_LABELS, name) ? t(DETAIL_LABELS[name]!, {}) : name;
    const date = DATE_DETAILS.has(name);
    return { name, label, value: date ? formatDate(String(v), lang) : String(v), date };
  });
}
