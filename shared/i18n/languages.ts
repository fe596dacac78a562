// The languages Mailwright speaks, and how "system" picks one of them.

export const LANGUAGES = ['en', 'ru', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What the setting may hold: a language, or whatever the system prefers. */
export const LANGUAGE_CHOICES = ['system', ...LANGUAGES] as const;
export type LanguageChoice = (typeof LANGUAGE_CHOICES)[number];

/** Each language by its own name, as a speaker looks for it in a list. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ru: 'Русский', es: 'Español' };

/** The first of the preferred locales (e.g. navigator.languages: "ru-RU", "es-419") that we have, else English. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    const found = LANGUAGES.find((l) => l === primary);
    if (found) return found;
  }
  return 'en';
}

/** The language a choice means, given the system's preferences. */
export const resolveLanguage = (choice: LanguageChoice, preferred: readonly string[]): Language => (choice === 'system' ? pickLanguage(preferred) : choice);
