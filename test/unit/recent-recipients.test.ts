import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecentRecipients } from '../../electron/core/recipients/recent-recipients';
import { tempDir } from '../helpers/temp-dir';

// Suggestions come from what the user actually sent: ranked by use, then recency, capped, and never fatal.
const clockFrom = (start: number) => {
  let t = start;
  return () => new Date((t += 1000));
};

describe('RecentRecipients', () => {
  it('ranks by use count, then by recency, and merges the same address in any case', async () => {
    const store = new RecentRecipients({ dataDir: tempDir(), now: clockFrom(Date.UTC(2025, 0, 1)) });
    await store.record([{ name: 'Bob One', address: 'bob1@example.test' }]);
    await store.record([{ name: 'Bob Two', address: 'bob2@example.test' }]);
    await store.record([{ name: 'Bob Three', address: 'bob3@example.test' }, { name: '', address: 'BOB1@example.test' }]);
    // bob1 twice; bob3 more recent than bob2
    expect((await store.suggest('bob')).map((m) => m.address)).toEqual(['bob1@example.test', 'bob3@example.test', 'bob2@example.test']);
    // a later use without a name keeps the name it had
    expect((await store.suggest('bob1'))[0]).toEqual({ name: 'Bob One', address: 'bob1@example.test' });
  });

  it('matches words of the name and of the address, case- and accent-insensitively, at most 8', async () => {
    const store = new RecentRecipients({ dataDir: tempDir() });
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
    const dir = tempDir();
    const store = new RecentRecipients({ dataDir: dir, cap: 3, now: clockFrom(0) });
    await store.record([{ name: '', address: 'keep@example.test' }]);
    await store.record([{ name: '', address: 'keep@example.test' }]);
    for (const n of ['a', 'b', 'c', 'd']) await store.record([{ name: '', address: `${n}@example.test` }]);
    const file = JSON.parse(await fs.readFile(join(dir, 'recent-recipients.json'), 'utf8'));
    expect(file.recipients.map((r: { address: string }) => r.address)).toEqual(['keep@example.test', 'd@example.test', 'c@example.test']);
  });

  it('a new address gets in even when every kept one was used more often', async () => {
    const dir = tempDir();
    const store = new RecentRecipients({ dataDir: dir, cap: 2, now: clockFrom(0) });
    for (let i = 0; i < 2; i++) await store.record([{ name: '', address: 'a@example.test' }, { name: '', address: 'b@example.test' }]);
    await store.record([{ name: 'New', address: 'new@example.test' }]);
    const file = JSON.parse(await fs.readFile(join(dir, 'recent-recipients.json'), 'utf8'));
    expect(file.recipients.map((r: { address: string }) => r.address).sort()).toEqual(['a@example.test', 'new@example.test']);
  });

  it('loses no use when records overlap', async () => {
    const store = new RecentRecipients({ dataDir: tempDir() });
    await Promise.all(Array.from({ length: 5 }, () => store.record([{ name: 'Same', address: 'same@example.test' }])));
    await store.record([{ name: 'Other', address: 'other@example.test' }]);
    await store.record([{ name: 'Other', address: 'other@example.test' }]);
    // same (5 uses) stays ahead of other (2 uses, more recent)
    expect((await store.suggest('s'))[0]!.address).toBe('same@example.test');
    expect((await store.suggest('o'))[0]!.address).toBe('other@example.test');
    expect((await store.suggest('example')).map((m) => m.address)).toEqual(['same@example.test', 'other@example.test']);
  });

  it('the uses of a mail merge share one write; suggestions count them before it, and flushed() writes them at once', async () => {
    const dir = tempDir();
    const path = join(dir, 'recent-recipients.json');
    const store = new RecentRecipients({ dataDir: dir, writeDelayMs: 60_000 });
    const recorded = Array.from({ length: 50 }, (_, i) => store.record([{ name: `Reader ${i}`, address: `reader${i}@example.test` }]));
    // Nothing written yet (the write waits for more uses), yet every use already counts.
    await expect(fs.access(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.suggest('reader', 100)).toHaveLength(50);
    await store.flushed(); // what quitting does: no minute-long wait
    await Promise.all(recorded);
    const file = JSON.parse(await fs.readFile(path, 'utf8'));
    expect(file.recipients).toHaveLength(50);
    expect(file.recipients.every((r: { uses: number }) => r.uses === 1)).toBe(true);
  });

  it('moves a corrupt file aside, says so, and starts empty', async () => {
    const dir = tempDir();
    await fs.writeFile(join(dir, 'recent-recipients.json'), '{"version":1,"recipients":[{"addr');
    const told: string[] = [];
    const store = new RecentRecipients({ dataDir: dir, onCorrupt: (movedTo) => told.push(movedTo) });
    expect(await store.suggest('a')).toEqual([]);
    expect(told).toHaveLength(1);
    expect((await fs.readdir(dir)).some((f) => f.startsWith('recent-recipients.json.corrupt-'))).toBe(true);
    await store.record([{ name: 'Ana', address: 'ana@example.test' }]);
    expect(await store.suggest('ana')).toEqual([{ name: 'Ana', address: 'ana@example.test' }]);
  });
});
