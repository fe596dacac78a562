import { sayTexts, wordsOf } from '../../../../shared/i18n/errors/say';
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
  const why = (r: MergeReportRow) =>
    r.error ? (r.error.text ? wordsOf(lang, r.error.text).message : r.error.message) : r.problemText ? sayTexts(lang, r.problemText) : (r.problem ?? '');
  return csvStringify().stringify(
    rows.map((r) => [r.row, r.address, r.state, r.messageId ?? '', r.response ?? '', r.error?.code ?? '', why(r)]),
    // escape_formulas: a cell from the data or a server's reply that starts with = + - @ is not run by a spreadsheet.
    { header: true, columns: ['row', 'address', 'state', 'message_id', 'response', 'error_code', 'error'], record_delimiter: 'windows', escape_formulas: true },
  );
}
