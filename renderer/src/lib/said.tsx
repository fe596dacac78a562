import { Fragment } from 'react';
import type { ErrorInfo, Phrase } from '../../../shared/errors';
import type { Language } from '../../../shared/i18n/languages';
import { plain, sayError, sayText, withQuote, type Piece } from '../../../shared/i18n/errors/say';

// Errors and notes from main arrive as catalogue keys with their data (ErrorInfo.text,
// TestPhase.noteText): said here in the user's language, with commands shown as code.

/** Said text, commands as code spans (no backticks). */
export function Pieces({ pieces }: { pieces: readonly Piece[] }) {
  return (
    <>
      {pieces.map((p, i) => (typeof p === 'string' ? <Fragment key={i}>{p}</Fragment> : <code key={i}>{p.code}</code>))}
    </>
  );
}

/** An error's message as one line of text (a status line, a toast), in the user's language, with the system's own words if any. */
export function errorLine(lang: Language, error: ErrorInfo): string {
  const said = sayError(lang, error);
  const line = plain(said.message, (c) => c);
  return said.quote ? withQuote(line, said.quote) : line;
}

/** A note in the user's language; main's English when it has no phrase, or one this catalogue lacks. */
export function sayNote(lang: Language, phrase: Phrase | undefined, english: string | undefined): string | undefined {
  if (!phrase) return english;
  try {
    return sayText(lang, phrase, (c) => c);
  } catch {
    return english;
  }
}
