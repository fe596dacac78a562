import { describe, expect, it } from 'vitest';
import { en } from '../../shared/i18n/en';
import { LANGUAGES, pickLanguage, resolveLanguage } from '../../shared/i18n/languages';
import { CATALOGUES, placeholdersOf, translator } from '../../shared/i18n/translate';
import type { MessageKey } from '../../shared/i18n/types';

const keys = Object.keys(en) as MessageKey[];

describe('message catalogues', () => {
  it.each(LANGUAGES)('%s has exactly the English keys, each with the same {placeholders}', (lang) => {
    const catalogue = CATALOGUES[lang];
    expect(Object.keys(catalogue).sort()).toEqual([...keys].sort());
    const differing = keys.filter((k) => placeholdersOf(catalogue[k]).join() !== placeholdersOf(en[k]).join());
    expect(differing).toEqual([]);
  });

  it.each(LANGUAGES)('%s gives every plural message each form its language uses', (lang) => {
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    for (const k of keys) {
      const message = CATALOGUES[lang][k];
      if (typeof message === 'string') continue;
      expect(Object.keys(message).sort(), `${lang} ${k}`).toEqual([...categories].sort());
      // Russian "one" covers 21, 31…: every form must say the number.
      for (const form of Object.values(message)) expect(form, `${lang} ${k}`).toContain('{count}');
    }
  });
});

describe('translate', () => {
  it('Russian plurals: one, few, many', () => {
    const t = translator('ru');
    expect([1, 2, 5, 11, 21, 22, 25, 101].map((count) => t('composer.fileCount', { count }))).toEqual([
      '1 файл', '2 файла', '5 файлов', '11 файлов', '21 файл', '22 файла', '25 файлов', '101 файл',
    ]);
    expect(t('outbox.attempts', { count: 3 })).toBe('3 попытки');
  });

  it('English and Spanish plurals: one and other', () => {
    expect([1, 2, 0].map((count) => translator('en')('composer.fileCount', { count }))).toEqual(['1 file', '2 files', '0 files']);
    expect([1, 2, 0].map((count) => translator('es')('composer.fileCount', { count }))).toEqual(['1 archivo', '2 archivos', '0 archivos']);
  });

  it('fills named parameters, numbers written the language’s way', () => {
    expect(translator('en')('accounts.removeNamed', { name: 'Work' })).toBe('Remove Work');
    expect(translator('ru')('accounts.removeNamed', { name: 'Work' })).toBe('Удалить «Work»');
    expect(translator('ru')('outbox.attempts', { count: 1234 })).toBe('1\u00a0234 попытки');
    expect(translator('es')('settings.undo.seconds', { count: 10 })).toBe('10 segundos');
  });
});

describe('which language', () => {
  it('system takes the first preferred language we have, else English', () => {
    expect(pickLanguage(['ru-RU', 'en-US'])).toBe('ru');
    expect(pickLanguage(['de-DE', 'es-419', 'en'])).toBe('es');
    expect(pickLanguage(['de-DE', 'fr'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
    expect(resolveLanguage('system', ['es-ES'])).toBe('es');
    expect(resolveLanguage('ru', ['es-ES'])).toBe('ru');
  });
});
