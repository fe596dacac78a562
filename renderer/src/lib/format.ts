import type { Language } from '../../../shared/i18n/languages';
import { translator } from '../../../shared/i18n/translate';

// Sizes, dates and times written the way the chosen language writes them (1.5 kB, 1,5 кБ, 1,5 kB).
// `lang` is optional for callers not yet translated: sizes then read English, dates the browser's way.

const unit = (lang: Language, name: 'kilobyte' | 'megabyte', digits: number) => new Intl.NumberFormat(lang, { style: 'unit', unit: name, maximumFractionDigits: digits });

export function formatBytes(n: number, lang: Language = 'en'): string {
  if (n < 1024) return translator(lang)('common.bytes', { n });
  if (n < 1024 * 1024) return unit(lang, 'kilobyte', n < 10 * 1024 ? 1 : 0).format(n / 1024);
  return unit(lang, 'megabyte', 1).format(n / 1024 / 1024);
}

export const formatTime = (iso: string, lang?: Language) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** A weekday and time, e.g. for the send-later presets ("Mon 8:00 AM", "пн 08:00"). */
export const formatDayTime = (d: Date, lang?: Language) => new Intl.DateTimeFormat(lang, { weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(d);

/** A Date as the value of an <input type="datetime-local">, in local time. */
export const datetimeLocalValue = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
