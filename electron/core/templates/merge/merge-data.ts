import { code, phrase } from '../../../../shared/i18n/errors/phrase';
import { invalidInput, MailwrightError } from '../../errors';
import { requireLater } from '../../require-later';

const csvParse = requireLater<typeof import('csv-parse/sync')>('csv-parse/sync');

/** A merge's data: its columns and its rows (a CSV's cells as text; JSON's numbers and booleans as their text, objects kept for `{{ a.b }}`). */
export interface MergeData {
  columns: string[];
  rows: Array<Record<string, unknown>>;
}

const MAX_ROWS = 1_000_000;
const DELIMITERS = [',', ';', '\t', '|'] as const;

/** The delimiter of a CSV: the one of `, ; tab |` that its header line (outside quotes) has most of. */
function delimiterOf(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  const [best, seen] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return seen > 0 ? best : ',';
}

/** UTF-8 only: another encoding (a spreadsheet's Windows-1251 or Latin-1 export) is named at its first line, not sent garbled. */
function utf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let line = 1;
    const valid = validPrefix(bytes);
    for (let i = 0; i < valid; i++) if (bytes[i] === 0x0a) line++;
    throw invalidInput(phrase('err.merge.notUtf8', { name, line }), phrase('err.merge.notUtf8.hint'));
  }
}

/** How many bytes from the start are well-formed UTF-8. */
function validPrefix(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  const ok = (n: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A merge's data file: JSON (an array of objects) when it looks like one, else CSV with a header line. */
export function parseMergeData(bytes: Uint8Array, name: string): MergeData {
  const text = utf8(bytes, name).replace(/^\uFEFF/, '');
  return /^\s*\[/.test(text) || /\.json$/i.test(name) ? jsonData(text, name) : csvData(text, name);
}

function csvData(text: string, name: string): MergeData {
  let records: string[][];
  try {
    records = csvParse().parse(text, { delimiter: delimiterOf(text), skip_empty_lines: true, relax_column_count: false, trim: false, bom: true }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new MailwrightError('INVALID_INPUT', { message: phrase('err.merge.csv', { name, line: line ?? 0 }), hint: phrase('err.merge.csv.hint'), quote: (err as Error).message }, { cause: err });
  }
  const [header, ...body] = records;
  if (!header) throw invalidInput(phrase('err.merge.empty', { name }), phrase('err.merge.empty.hint', { example: code('email,name,order') }));
  const columns = header.map((c) => c.trim());
  const twice = columns.find((c, i) => columns.indexOf(c) !== i || !c);
  if (twice !== undefined) throw invalidInput(phrase('err.merge.columns', { name, column: twice }), phrase('err.merge.columns.hint'));
  if (body.length > MAX_ROWS) throw invalidInput(phrase('err.merge.tooMany', { name, count: MAX_ROWS }), phrase('err.merge.tooMany.hint'));
  return { columns, rows: body.map((cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']))) };
}

function jsonData(text: string, name: string): MergeData {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MailwrightError('INVALID_INPUT', { message: phrase('err.merge.json', { name }), hint: phrase('err.merge.json.hint'), quote: (err as Error).message }, { cause: err });
  }
  if (!Array.isArray(value) || value.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) throw invalidInput(phrase('err.merge.json', { name }), phrase('err.merge.json.hint'));
  if (value.length > MAX_ROWS) throw invalidInput(phrase('err.merge.tooMany', { name, count: MAX_ROWS }), phrase('err.merge.tooMany.hint'));
  const columns = [...new Set((value as Array<Record<string, unknown>>).flatMap((r) => Object.keys(r)))];
  // Nested objects stay objects (`{{ customer.name }}`); what a cell shows is text.
  const rows = (value as Array<Record<string, unknown>>).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'object' && v !== null ? v : v === null || v === undefined ? '' : String(v)])));
  return { columns, rows };
}
