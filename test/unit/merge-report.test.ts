import { describe, expect, it } from 'vitest';
import { errorInfo } from '../../electron/core/errors';
import { reportCsv } from '../../electron/core/templates/merge/report-csv';
import { phrase } from '../../shared/i18n/errors/phrase';
import type { MergeReportRow } from '../../shared/model/merge';

const missing = phrase('merge.problem.missing', { name: 'order' });
const rows: MergeReportRow[] = [
  { row: 1, address: 'ana@example.test', state: 'sent', messageId: '<1@x>', response: '250 ok' },
  { row: 2, address: 'bob@example.test', state: 'skipped', problem: '"order" has no value in this row', problemText: [missing] },
  { row: 3, address: 'eva@example.test', state: 'failed', error: errorInfo('SERVER_PERMANENT', { message: phrase('err.smtp.failed'), hint: phrase('err.smtp.failed.hint') }) },
  // Skipped by an older version: English text only.
  { row: 4, address: 'old@example.test', state: 'skipped', problem: 'the file changed since the check' },
];
const reasons = (csv: string) => csv.trimEnd().split('\r\n').slice(1).map((l) => l.split(',').slice(6).join(','));

describe('a merge’s report file', () => {
  it('says why rows failed or were skipped in the language asked for; the columns stay as they are', () => {
    const en = reportCsv(rows);
    const ru = reportCsv(rows, 'ru');
    const es = reportCsv(rows, 'es');
    expect(en.split('\r\n')[0]).toBe('row,address,state,message_id,response,error_code,error');
    expect(ru.split('\r\n')[0]).toBe(en.split('\r\n')[0]);
    expect(reasons(en)[1]).toBe('"""order"" has no value in this row"');
    for (const said of [reasons(ru), reasons(es)]) {
      expect(said[0]).toBe('');
      expect(said[1]).toContain('order');
      expect(said[1]).not.toBe(reasons(en)[1]);
      expect(said[2]).not.toBe(reasons(en)[2]);
      expect(said[3]).toBe('the file changed since the check'); // no phrases kept: as it was written
    }
    expect(reasons(ru)[1]).toMatch(/[а-яё]/i);
  });
});
