import type { I18n } from './i18n';

/**
 * Recipients as a person should read them: those the message names, then its blind copies apart
 * and labelled ("ana@…, bob@… · Bcc: carol@…"). Listed together, a Bcc read like a recipient
 * everyone could see.
 */
export function recipientsLine(t: I18n['t'], all: readonly string[], bcc: readonly string[] = []): { text: string } {
  const blind = new Set(bcc.map((a) => a.toLowerCase()));
  const named = all.filter((a) => !blind.has(a.toLowerCase())).join(', ');
  return { text: bcc.length ? `${named} · ${t('recipients.bcc', { list: bcc.join(', ') })}` : named };
}
