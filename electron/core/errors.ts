import type { ErrorCode, ErrorInfo, ErrorText, Phrase, SmtpReply } from '../../shared/errors';
import { phrase } from '../../shared/i18n/errors/phrase';
import { englishOf } from '../../shared/i18n/errors/say';

/** What went wrong and what to do, as catalogue phrases; `quote` holds the system's own words, if any. */
export interface Words {
  message: Phrase | Phrase[];
  hint?: Phrase | Phrase[];
  quote?: string;
}

interface Extra {
  smtp?: SmtpReply;
  details?: ErrorInfo['details'];
  cause?: unknown;
}

const list = (p: Phrase | Phrase[] | undefined) => (p === undefined ? [] : Array.isArray(p) ? p : [p]);

/** An error's info from its words: the keys for the window, and the same in English for the command line. */
export function errorInfo(code: ErrorCode, words: Words, extra: Omit<Extra, 'cause'> = {}): ErrorInfo & { text: ErrorText } {
  const text: ErrorText = { message: list(words.message), hint: list(words.hint) };
  if (words.quote) text.quote = words.quote;
  const info: ErrorInfo & { text: ErrorText } = { code, ...englishOf(text), text };
  if (extra.smtp) info.smtp = extra.smtp;
  if (extra.details) info.details = extra.details;
  return info;
}

/** A failure with a code from the vocabulary; anything else reaching the boundary is a bug. */
export class MailwrightError extends Error {
  readonly info: ErrorInfo;

  /** In catalogue phrases: how everything outside the command line makes its errors. */
  constructor(code: ErrorCode, words: Words, extra?: Extra);
  /** In English words only: for the command line's own refusals, whose output stays English. */
  constructor(code: ErrorCode, message: string, hint: string, extra?: Extra);
  constructor(code: ErrorCode, words: Words | string, hintOrExtra?: string | Extra, lastExtra: Extra = {}) {
    const english = typeof words === 'string';
    const extra = english ? lastExtra : ((hintOrExtra as Extra | undefined) ?? {});
    const info: ErrorInfo = english ? { code, message: words, hint: String(hintOrExtra ?? '') } : errorInfo(code, words, extra);
    if (english && extra.smtp) info.smtp = extra.smtp;
    if (english && extra.details) info.details = extra.details;
    super(info.message, { cause: extra.cause });
    this.name = 'MailwrightError';
    this.info = info;
  }
}

/** The same error with other words to do about it (the doctor's provider-specific login hint, a retry that gave up). */
export function withHint(info: ErrorInfo, hint: Phrase[]): ErrorInfo {
  if (!info.text) return info;
  const text = { ...info.text, hint };
  return { ...info, ...englishOf(text), text };
}

export const invalidInput = (message: Phrase, hint: Phrase | Phrase[]) => new MailwrightError('INVALID_INPUT', { message, hint });

/** What could not be written, each with its own sentence (nouns alone would not decline in Russian). */
export type StoredThing = 'settings' | 'draft' | 'accounts' | 'outbox' | 'change' | 'vault' | 'database';

export const storageFailed = (what: StoredThing, cause: unknown) =>
  new MailwrightError(
    'STORAGE_FAILED',
    { message: phrase(`err.storage.${what}`), hint: phrase('err.storage.hint'), quote: systemWords(cause) },
    { cause },
  );

/** The system's own words for a failure (an OS or library error's message), to quote as they came. */
export const systemWords = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));
