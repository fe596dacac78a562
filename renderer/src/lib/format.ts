import type { Language } from '../../../shared/i18n/languages';
import { translator } from '../../../shared/i18n/translate';

// Sizes, dates and times written the way the chosen language writes them (1.5 kB, 1,5 кБ, 1,5 kB).
// `lang` is optional for callers not yet translated: sizes then read English, dates the browser's way.

// Making an Intl formatter costs far more than using one (a long outbox formats thousands of
// dates while it scrolls): each is made once per language and options.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => F): F {
  let f = formatters.get(key) as F | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}

const unit = (lang: Language, name: 'kilobyte' | 'megabyte', digits: number) => cached(`unit ${lang} ${name} ${digits}`, () => new Intl.NumberFormat(lang, { style: 'unit', unit: name, maximumFractionDigits: digits }));

/**
 * A size in decimal units, as the names say (1 kB = 1000 bytes, 1 MB = 1,000,000) and as the
 * operating systems' file managers count: 150,000 bytes is 150 kB everywhere Mailwright shows one.
 */
export function formatBytes(n: number, lang: Language = 'en'): string {
  if (n < 1000) return translator(lang)('common.bytes', { n });
  if (n < 1_000_000) return unit(lang, 'kilobyte', n < 10_000 ? 1 : 0).format(n / 1000);
  return unit(lang, 'megabyte', 1).format(n / 1_000_000);
}

export const formatTime = (iso: string, lang?: Language) => cached(`time ${lang ?? ''}`, () => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(iso));

/**
 * A moment soon, as a person says it: "today, 1:00 PM", "tomorrow, 8:00 AM", and past that the
 * full date ("Mon, Dec 14, 8:00 AM"). A weekday alone read as today on that weekday: next
 * Monday's preset said "Mon 8:00 AM" on a Monday (found in review).
 */
export function formatWhen(d: Date, now: Date, lang?: Language): string {
  const days = Math.round((new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() - new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime()) / 86_400_000);
  if (days === 0 || days === 1) {
    const relative = cached(`relative ${lang ?? ''}`, () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })).format(days, 'day');
    return `${relative}, ${cached(`clock ${lang ?? ''}`, () => new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' })).format(d)}`;
  }
  return cached(`when ${lang ?? ''}`, () => new Intl.DateTimeFormat(lang, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })).format(d);
}

/** A Date as the value of an <input type="datetime-local">, in local time. */
export const datetimeLocalValue = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
