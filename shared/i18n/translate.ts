import { en } from './en';
import { es } from './es';
import type { Language } from './languages';
import { ru } from './ru';
import type { MessageKey, Messages, Params, Plural } from './types';

export const CATALOGUES: Record<Language, Messages> = { en, ru, es };

// One translator per language, made on first use (Intl objects are not free to build).
const made = new Map<Language, Translate>();

export type Translate = <K extends MessageKey>(key: K, ...params: Params<K>) => string;

/**
 * The translator for one language: `t('outbox.attempts', { count: 3 })`. Plural forms are chosen
 * by Intl.PluralRules on `count` (Russian: 1 файл, 2 файла, 5 файлов, 21 файл); numbers are
 * written the language's way; a placeholder without a value stays visible rather than vanishing.
 */
export function translator(lang: Language): Translate {
  const known = made.get(lang);
  if (known) return known;
  const messages = CATALOGUES[lang];
  const plurals = new Intl.PluralRules(lang);
  const numbers = new Intl.NumberFormat(lang);
  const t: Translate = (key, ...rest) => {
    const params: Record<string, string | number> = rest[0] ?? {};
    const message: string | Plural = messages[key];
    const text = typeof message === 'string' ? message : (message[plurals.select(Number(params.count))] ?? message.other);
    return text.replace(/\{(\w+)\}/g, (hole, name: string) => {
      const value = params[name];
      return value === undefined ? hole : typeof value === 'number' ? numbers.format(value) : value;
    });
  };
  made.set(lang, t);
  return t;
}

/** The {names} a message uses, in every plural form: what a translation must keep. */
export function placeholdersOf(message: string | Plural): string[] {
  const text = typeof message === 'string' ? message : Object.values(message).join(' ');
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
}
