import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { savedDraftInput } from '../../shared/model/draft';
import { AttachmentRegistry } from '../../electron/core/attachments/attachment-registry';
import { Database } from '../../electron/core/db/database';
import { DraftStore } from '../../electron/core/drafts/draft-store';
import { FakeClock } from '../helpers/fake-clock';
import { tempDir } from '../helpers/temp-dir';

function store(dataDir = tempDir()) {
  const database = new Database({ dataDir });
  onTestFinished(() => database.close());
  const clock = new FakeClock();
  const attachments = new AttachmentRegistry();
  const logged: string[] = [];
  const drafts = new DraftStore({ dataDir, database, attachments, clock, log: (m) => logged.push(m) });
  return { drafts, database, clock, attachments, logged, dataDir };
}
const fields = (extra: Record<string, unknown> = {}) => savedDraftInput.parse({ to: 'bob@example.test', subject: 'Hello', html: '<p>Hi</p>', ...extra });

/** A draft file as an earlier version wrote it in drafts/. */
const legacy = (id: string, subject: string, updatedAt: string) => JSON.stringify({ ...fields({ subject }), attachments: undefined, id, updatedAt, files: [] });

describe('the drafts in the database', () => {
  it('saves, lists newest first with the attachments’ files as new handles, and removes', async () => {
    const s = store();
    const file = join(s.dataDir, 'sheet.csv');
    await fs.writeFile(file, 'a,b\n');
    const { handle } = await s.attachments.register(file);
    const first = await s.drafts.save(fields({ subject: 'First', attachments: [{ handle }] }));
    s.clock.advance(1000);
    const second = await s.drafts.save(fields({ subject: 'Second' }));
    const listed = await s.drafts.list();
    expect(listed.map((d) => d.subject)).toEqual(['Second', 'First']);
    expect(listed[1]!.attachments).toHaveLength(1);
    expect((await s.attachments.describe(listed[1]!.attachments[0]!.handle)).name).toBe('sheet.csv');
    expect(await s.drafts.rememberedPaths()).toEqual([file]);
    // Saved again under its id: the same draft, changed.
    await s.drafts.save(fields({ id: first.id, subject: 'First, changed' }));
    await s.drafts.remove(second.id);
    expect((await s.drafts.list()).map((d) => d.subject)).toEqual(['First, changed']);
  });

  it('imports the drafts an earlier version kept in drafts/, once, and removes the files', async () => {
    const dataDir = tempDir();
    await fs.mkdir(join(dataDir, 'drafts'));
    await fs.writeFile(join(dataDir, 'drafts', 'd_oldone0000.json'), legacy('d_oldone0000', 'Old one', '2026-11-01T10:00:00.000Z'));
    await fs.writeFile(join(dataDir, 'drafts', 'd_oldtwo0000.json'), legacy('d_oldtwo0000', 'Old two', '2026-11-02T10:00:00.000Z'));
    const s = store(dataDir);
    expect((await s.drafts.list()).map((d) => [d.id, d.subject])).toEqual([
      ['d_oldtwo0000', 'Old two'],
      ['d_oldone0000', 'Old one'],
    ]);
    await expect(fs.access(join(dataDir, 'drafts'))).rejects.toMatchObject({ code: 'ENOENT' });
    // A file that comes back (a crash before it was removed) does not undo a newer save.
    await s.drafts.save(fields({ id: 'd_oldone0000', subject: 'Changed since' }));
    await fs.mkdir(join(dataDir, 'drafts'));
    await fs.writeFile(join(dataDir, 'drafts', 'd_oldone0000.json'), legacy('d_oldone0000', 'Old one', '2026-11-01T10:00:00.000Z'));
    const again = store(dataDir);
    expect((await again.drafts.list()).find((d) => d.id === 'd_oldone0000')?.subject).toBe('Changed since');
    // Nor one removed (sent, discarded) since: another process importing the same old files later brings nothing back.
    await again.drafts.remove('d_oldtwo0000');
    await fs.mkdir(join(dataDir, 'drafts'));
    await fs.writeFile(join(dataDir, 'drafts', 'd_oldtwo0000.json'), legacy('d_oldtwo0000', 'Old two', '2026-11-02T10:00:00.000Z'));
    const third = store(dataDir);
    expect((await third.drafts.list()).map((d) => d.id)).toEqual(['d_oldone0000']);
  });

  it('a draft file of an earlier version that cannot be read stays, is said, and keeps its files from being taken for unneeded', async () => {
    const dataDir = tempDir();
    await fs.mkdir(join(dataDir, 'drafts', 'd_unreadable0.json'), { recursive: true }); // a folder where a file must be
    await fs.writeFile(join(dataDir, 'drafts', 'd_readable00.json'), legacy('d_readable00', 'Readable', '2026-11-01T10:00:00.000Z'));
    const s = store(dataDir);
    expect((await s.drafts.list()).map((d) => d.subject)).toEqual(['Readable']);
    await expect(s.drafts.rememberedPaths()).rejects.toMatchObject({ info: { code: 'STORAGE_FAILED' } });
    expect(s.logged).toEqual(['the draft d_unreadable0.json could not be read; it is tried again at the next start']);
    expect(await fs.readdir(join(dataDir, 'drafts'))).toEqual(['d_unreadable0.json']);
  });

  it('where the database cannot be written, saving is STORAGE_FAILED and nothing is kept', async () => {
    const s = store();
    s.database.db.exec('PRAGMA query_only = ON');
    await expect(s.drafts.save(fields())).rejects.toMatchObject({ info: { code: 'STORAGE_FAILED' } });
    s.database.db.exec('PRAGMA query_only = OFF');
    expect(await s.drafts.list()).toEqual([]);
  });
});
