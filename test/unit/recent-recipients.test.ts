import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Database } from '../../electron/core/db/database';
import { RecentRecipients, type RecentRecipientsOptions } from '../../electron/core/recipients/recent-recipients';
import { tempDir } from '../helpers/temp-dir';

// Suggestions come from what the user actually sent: ranked by use, then recency, capped, and never fatal.
const clockFrom = (start: number) => {
  let t = start;
  return () => new Date((t += 1000));
};

function recents(opts: Partial<RecentRecipientsOptions> & { dataDir?: string } = {}) {
  const dataDir = opts.dataDir ?? tempDir();
  const database = new Database({ dataDir });
  onTestFinished(() => database.close());
  const store = new RecentRecipients({ ...opts, dataDir, database });
  /** Every address kept, best ranked first. */
  const kept = () => (database.db.prepare('SELECT address FROM recent_recipients ORDER BY uses DESC, last_used DESC').all() as Array<{ address: string }>).map((r) => r.address);
  return { store, database, kept, dataDir };
}

describe('RecentRecipients', () => {
  it('ranks by use count, then by recency, and merges the same address in any case', async () => {
    const { store } = recents({ now: clockFrom(Date.UTC(2025, 0, 1)) });
    await store.record([{ name: 'Bob One', address: 'bob1@example.test' }]);
    await store.record([{ name: 'Bob Two', address: 'bob2@example.test' }]);
    await store.record([{ name: 'Bob Three', address: 'bob3@example.test' }, { name: '', address: 'BOB1@example.test' }]);
    // bob1 twice; bob3 more recent than bob2
    expect((await store.suggest('bob')).map((m) => m.address)).toEqual(['bob1@example.test', 'bob3@example.test', 'bob2@example.test']);
    // a later use without a name keeps the name it had, and the address as first written
    expect((await store.suggest('bob1'))[0]).toEqual({ name: 'Bob One', address: 'bob1@example.test' });
  });

  it('the uses of messages queued together are written together, each one counted', async () => {
    const { store, database } = recents({ now: clockFrom(Date.UTC(2025, 0, 1)) });
    const kept = () => (database.db.prepare('SELECT count(*) AS n FROM recent_recipients').get() as { n: number }).n;
    // A merge's worth at once: ann in every message, each other address in one.
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.record([{ name: 'Ann', address: 'ann@example.test' }, { name: '', address: `r${i}@example.test` }])));
    expect(kept()).toBe(31);
    expect(database.db.prepare(`SELECT uses FROM recent_recipients WHERE address_key = 'ann@example.test'`).get()).toEqual({ uses: 30 });
    // A use recorded just before quitting is written by flushed(), not lost to the gathering.
    void store.record([{ name: 'Last', address: 'last@example.test' }]);
    await store.flushed();
    expect((await store.suggest('last')).map((m) => m.address)).toEqual(['last@example.test']);
  });

  it('matches words of the name and of the address, case- and accent-insensitively, at most 8', async () => {
    const { store } = recents();
    await store.record([
      { name: 'José Álvarez', address: 'jalvarez@example.test' },
      { name: 'Zoë Ödegaard', address: 'zoe@example.test' },
      { name: '', address: 'john.smith@corp.example' },
      { name: 'Иван Петров', address: 'ivan@пример.рф' },
    ]);
    const names = async (q: string) => (await store.suggest(q)).map((m) => m.address);
    expect(await names('jose')).toEqual(['jalvarez@example.test']);
    expect(await names('ALVA')).toEqual(['jalvarez@example.test']);
    expect(await names('odeg')).toEqual(['zoe@example.test']);
    expect(await names('smith')).toEqual(['john.smith@corp.example']);
    expect(await names('corp')).toEqual(['john.smith@corp.example']);
    expect(await names('петр')).toEqual(['ivan@пример.рф']);
    expect(await names('varez')).toEqual([]); // word starts only, not anywhere inside
    expect(await names('   ')).toEqual([]);
    await store.record(Array.from({ length: 12 }, (_, i) => ({ name: `Team ${i}`, address: `team${i}@example.test` })));
    expect(await names('team')).toHaveLength(8);
  });

  it('keeps at most the cap, dropping the least used first', async () => {
    const { store, kept } = recents({ cap: 3, now: clockFrom(0) });
    await store.record([{ name: '', address: 'keep@example.test' }]);
    await store.record([{ name: '', address: 'keep@example.test' }]);
    for (const n of ['a', 'b', 'c', 'd']) await store.record([{ name: '', address: `${n}@example.test` }]);
    expect(kept()).toEqual(['keep@example.test', 'd@example.test', 'c@example.test']);
  });

  it('a new address gets in even when every kept one was used more often', async () => {
    const { store, kept } = recents({ cap: 2, now: clockFrom(0) });
    for (let i = 0; i < 2; i++) await store.record([{ name: '', address: 'a@example.test' }, { name: '', address: 'b@example.test' }]);
    await store.record([{ name: 'New', address: 'new@example.test' }]);
    expect(kept().sort()).toEqual(['a@example.test', 'new@example.test']);
  });

  it('loses no use when records overlap: the uses of a mail merge share commits and each counts', async () => {
    const { store, database } = recents();
    await Promise.all(Array.from({ length: 5 }, () => store.record([{ name: 'Same', address: 'same@example.test' }])));
    await store.record([{ name: 'Other', address: 'other@example.test' }]);
    await store.record([{ name: 'Other', address: 'other@example.test' }]);
    // same (5 uses) stays ahead of other (2 uses, more recent)
    expect((await store.suggest('s'))[0]!.address).toBe('same@example.test');
    expect((await store.suggest('example')).map((m) => m.address)).toEqual(['same@example.test', 'other@example.test']);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.record([{ name: `Reader ${i}`, address: `reader${i}@example.test` }])));
    expect(await store.suggest('reader', 100)).toHaveLength(50);
    expect(database.db.prepare(`SELECT count(*) AS n FROM recent_recipients WHERE uses = 1 AND address LIKE 'reader%'`).get()).toEqual({ n: 50 });
  });

  it('imports the list an earlier version kept in recent-recipients.json, once, and removes the file', async () => {
    const dataDir = tempDir();
    const legacy = join(dataDir, 'recent-recipients.json');
    await fs.writeFile(legacy, JSON.stringify({ version: 1, recipients: [{ name: 'Ana', address: 'ana@example.test', uses: 4, lastUsed: '2026-01-01T00:00:00.000Z' }, { name: 'Ben', address: 'ben@example.test', uses: 1, lastUsed: '2026-02-01T00:00:00.000Z' }] }));
    const first = recents({ dataDir });
    expect(await first.store.suggest('example')).toEqual([
      { name: 'Ana', address: 'ana@example.test' },
      { name: 'Ben', address: 'ben@example.test' },
    ]);
    await expect(fs.access(legacy)).rejects.toMatchObject({ code: 'ENOENT' });
    // A file that comes back (a crash before it was removed) is not counted twice.
    await fs.writeFile(legacy, JSON.stringify({ version: 1, recipients: [{ name: 'Ana', address: 'ana@example.test', uses: 4, lastUsed: '2026-01-01T00:00:00.000Z' }] }));
    const second = recents({ dataDir });
    await second.store.record([{ name: 'Ben', address: 'ben@example.test' }]);
    expect(second.database.db.prepare('SELECT address, uses FROM recent_recipients ORDER BY address').all()).toEqual([
      { address: 'ana@example.test', uses: 4 },
      { address: 'ben@example.test', uses: 2 },
    ]);
  });

  it('moves a corrupt recent-recipients.json aside, says so, and starts empty', async () => {
    const dataDir = tempDir();
    await fs.writeFile(join(dataDir, 'recent-recipients.json'), '{"version":1,"recipients":[{"addr');
    const told: string[] = [];
    const { store } = recents({ dataDir, onCorrupt: (movedTo) => told.push(movedTo) });
    expect(await store.suggest('a')).toEqual([]);
    expect(told).toHaveLength(1);
    expect((await fs.readdir(dataDir)).some((f) => f.startsWith('recent-recipients.json.corrupt-'))).toBe(true);
    await store.record([{ name: 'Ana', address: 'ana@example.test' }]);
    expect(await store.suggest('ana')).toEqual([{ name: 'Ana', address: 'ana@example.test' }]);
  });

  it('where the database cannot be opened, suggests nothing and refuses to record with STORAGE_FAILED', async () => {
    const dataDir = tempDir();
    await fs.mkdir(join(dataDir, 'mailwright.db')); // a folder where the database must be
    const { store } = recents({ dataDir });
    expect(await store.suggest('a')).toEqual([]);
    await expect(store.record([{ name: '', address: 'a@example.test' }])).rejects.toMatchObject({ info: { code: 'STORAGE_FAILED' } });
  });

  it('an earlier version’s file that cannot be imported now is left for later; suggestions go on from the database', async () => {
    const dataDir = tempDir();
    await fs.mkdir(join(dataDir, 'recent-recipients.json')); // unreadable as a file (EISDIR)
    const logged: string[] = [];
    const { store } = recents({ dataDir, log: (m) => logged.push(m) });
    await store.record([{ name: 'Ana', address: 'ana@example.test' }]);
    expect(await store.suggest('ana')).toEqual([{ name: 'Ana', address: 'ana@example.test' }]);
    expect(logged).toEqual(['recent-recipients.json could not be imported; it is tried again at the next start']);
    expect((await fs.stat(join(dataDir, 'recent-recipients.json'))).isDirectory()).toBe(true);
  });

  it('imports counts an earlier version wrote oddly as whole numbers of at least one', async () => {
    const dataDir = tempDir();
    // As JSON text: 1e400 parses as Infinity, which JSON.stringify could not write.
    const entry = (i: number, uses: string) => `{"name":"","address":"r${i}@example.test","uses":${uses},"lastUsed":"2026-01-01T00:00:00.000Z"}`;
    await fs.writeFile(join(dataDir, 'recent-recipients.json'), `{"version":1,"recipients":[${['1.5', '1e400', '-3', '"many"'].map((u, i) => entry(i, u)).join(',')}]}`);
    const { store, database } = recents({ dataDir });
    expect(await store.suggest('r', 10)).toHaveLength(4);
    expect(database.db.prepare('SELECT address, uses FROM recent_recipients ORDER BY address').all()).toEqual([
      { address: 'r0@example.test', uses: 2 },
      { address: 'r1@example.test', uses: 1 },
      { address: 'r2@example.test', uses: 1 },
      { address: 'r3@example.test', uses: 1 },
    ]);
  });
});
