import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/open-database';
import { errorInfo } from '../../electron/core/errors';
import { MergeRepository, skipReason, type MergeSpec } from '../../electron/core/templates/merge/merge-repository';
import { reportCsv } from '../../electron/core/templates/merge/report-csv';
import { phrase } from '../../shared/i18n/errors/phrase';
import type { MergeReportRow } from '../../shared/model/merge';
import { tempDir } from '../helpers/temp-dir';

const missing = phrase('merge.problem.missing', { name: 'order' });
const rows: MergeReportRow[] = [
  { row: 1, address: 'ana@example.test', state: 'sent', messageId: '<1@x>', response: '250 ok' },
  { row: 2, address: 'bob@example.test', state: 'skipped', ...(() => { const p = skipReason(missing); return { problem: p.en, problemText: p.text }; })() },
  { row: 3, address: 'eva@example.test', state: 'failed', error: errorInfo('SERVER_PERMANENT', { message: phrase('err.smtp.failed'), hint: phrase('err.smtp.failed.hint') }) },
  // Skipped by an older version: English text only.
  { row: 4, address: 'old@example.test', state: 'skipped', problem: 'the file changed since the check' },
  // A phrase this version's catalogue does not have (written by a newer one): its English as stored.
  { row: 5, address: 'new@example.test', state: 'skipped', problem: 'a reason from later', problemText: { message: [{ key: 'merge.problem.fromTheFuture' as never }], hint: [] } },
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
      expect(said[4]).toBe('a reason from later');
    }
    expect(reasons(ru)[1]).toMatch(/[а-яё]/i);
  });

  it('keeps a skipped row’s reason in English and as phrases (the words of the system with them); rows written before have the English only', () => {
    const { db } = openDatabase(tempDir());
    const repo = new MergeRepository(() => db);
    const spec = { subject: 's', template: { subject: 's', text: 't' }, files: [], columns: { to: 'email' }, locale: 'en', throttle: {} } as unknown as MergeSpec;
    repo.create({ id: 'm1', createdAt: 1, accountId: 'a', state: 'running', spec, total: 3, intervalMs: 0, nextAt: 0 }, [
      { row: 1, address: 'a@x', data: {}, problem: skipReason(missing) },
      { row: 2, address: 'b@x', data: {} },
      { row: 3, address: 'c@x', data: {} },
    ]);
    const unreadable = errorInfo('ATTACHMENT_UNREADABLE', { message: phrase('err.outbox.fileUnreadable'), hint: phrase('err.outbox.fileUnreadable.hint'), quote: 'EIO: i/o error' });
    repo.skip('m1', 2, { en: unreadable.message, text: unreadable.text! });
    db.prepare(`UPDATE merge_rows SET state = 'skipped', problem = 'written by an older version' WHERE row_no = 3`).run();
    const report = repo.report('m1');
    expect(report[0]).toMatchObject({ problem: '"order" has no value in this row', problemText: { message: [missing], hint: [] } });
    expect(report[1]!.problem).toContain('EIO: i/o error');
    expect(reasons(reportCsv(report, 'ru'))[1]).toContain('EIO: i/o error'); // the system's words, in any language
    expect(report[2]).toEqual({ row: 3, address: 'c@x', state: 'skipped', problem: 'written by an older version' });
    db.close();
  });
});
