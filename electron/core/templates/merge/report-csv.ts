import type { ErrorText } from '../../../../shared/errors';
import { wordsOf } from '../../../../shared/i18n/errors/say';
import type { Language } from '../../../../shared/i18n/languages';
import type { MergeReportRow } from '../../../../shared/model/merge';
import { requireLater } from '../../require-later';

const csvStringify = requireLater<typeof import('csv-stringify/sync')>('csv-stringify/sync');

/**
 * A merge's report as CSV (RFC 4180, CRLF lines): the file the CLI writes (English) and the window
 * downloads (its language: why a row failed or was skipped; the column names stay as they are,
 * for the programs that read the file).
 */
export function reportCsv(rows: readonly MergeReportRow[], lang: Language = 'en'): string {
  const why = (r: MergeReportRow) => (r.error ? said(lang, r.error.text, r.error.message) : said(lang, r.problemText, r.problem ?? ''));
  return csvStringify().stringify(
    rows.map((r) => [r.row, r.address, r.state, r.messageId ?? '', r.response ?? '', r.error?.code ?? '', why(r)]),
    // escape_formulas: a cell from the data or a server's reply that starts with = + - @ is not run by a spreadsheet.
    { header: true, columns: ['row', 'address', 'state', 'message_id', 'response', 'error_code', 'error'], record_delimiter: 'windows', escape_formulas: true },
  );
}

/**
 * Words in `lang` from their phrases; the English as stored when there are none, or when a phrase
 * is not in this version's catalogue (an outbox item written by a newer version): a report is
 * never refused for a sentence it cannot translate.
 */
function said(lang: Language, text: ErrorText | undefined, english: string): string {
  if (lang === 'en' || !text) return english;
  try {
    return wordsOf(lang, text).message;
  } catch {
    return english;
  }
}
