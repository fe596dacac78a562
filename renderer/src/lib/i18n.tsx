import { createContext, Fragment, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { resolveLanguage, type Language, type LanguageChoice } from '../../../shared/i18n/languages';
import { translator, type Translate } from '../../../shared/i18n/translate';
import type { MessageKey } from '../../../shared/i18n/types';
import { formatBytes, formatTime, formatWhen } from './format';

/** Everything a component needs to speak the user's language. */
export interface I18n {
  lang: Language;
  t: Translate;
  /** A translated text whose {holes} are elements (e.g. <code>), not strings. */
  rich: (key: MessageKey, parts: Record<string, ReactNode>) => ReactNode;
  time: (iso: string) => string;
  /** A moment soon: today, tomorrow, or with its full date (formatWhen). */
  when: (d: Date, now: Date) => string;
  bytes: (n: number) => string;
}

export function makeI18n(lang: Language): I18n {
  const t = translator(lang);
  const rich = (key: MessageKey, parts: Record<string, ReactNode>) => {
    // Translate with each hole standing for itself, then put the elements in the holes.
    const holes = Object.fromEntries(Object.keys(parts).map((name) => [name, `{${name}}`]));
    const text = (t as (k: MessageKey, p: Record<string, string>) => string)(key, holes);
    return text.split(/\{(\w+)\}/).map((piece, i) => <Fragment key={i}>{i % 2 ? (parts[piece] ?? `{${piece}}`) : piece}</Fragment>);
  };
  return { lang, t, rich, time: (iso) => formatTime(iso, lang), when: (d, now) => formatWhen(d, now, lang), bytes: (n) => formatBytes(n, lang) };
}

const I18nContext = createContext<I18n>(makeI18n('en'));

/** The language the setting means here ('system': the browser's preferred languages), kept on <html lang>. */
export function useLanguage(choice: LanguageChoice): I18n {
  const lang = resolveLanguage(choice, navigator.languages);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return useMemo(() => makeI18n(lang), [lang]);
}

export function I18nProvider({ value, children }: { value: I18n; children: ReactNode }) {
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language's translator and formatters: `const { t } = useT()`. */
export const useT = () => useContext(I18nContext);
