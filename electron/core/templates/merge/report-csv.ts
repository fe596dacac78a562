import type { MergeReportRow } from '../../../../shared/model/merge';
import { requireLater } from '../../require-later';

const csvStringify = requireLater<typeof import('csv-stringify/sync')>('csv-stringify/sync');

/** A merge's report as CSV (RFC 4180, CRLF lines): the file the CLI writes and the window downloads. */
export function reportCsv(rows: readonly MergeReportRow[]): string {
  return csvStringify().stringify(
    rows.map((r) => [r.row, r.address, r.state, r.messageId ?? '', r.response ?? '', r.error?.code ?? '', r.error?.message ?? r.problem ?? '']),
    // escape_formulas: a cell from the data or a server's reply that starts with = + - @ is not run by a spreadsheet.
    { header: true, columns: ['row', 'address', 'state', 'message_id', 'response', 'error_code', 'error'], record_delimiter: 'windows', escape_formulas: true },
  );
}
