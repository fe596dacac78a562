import { cpSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { Database } from '../../electron/core/db/database';
import { importLegacyOutbox } from '../../electron/core/outbox/legacy-import';
import { MessageBytes } from '../../electron/core/outbox/message-bytes';
import { OutboxRepository } from '../../electron/core/outbox/outbox-repository';
import type { OutboxItem } from '../../shared/model/outbox';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { tempDir } from '../helpers/temp-dir';

// A data directory written by the release before the database (test/fixtures/make-legacy-data-dir.ts
// made it with that code): the first start brings every message in, with its exact bytes.
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'legacy-data-dir');

async function legacyDir(): Promise<string> {
  const dir = tempDir();
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** Every old sidecar, by id, with the bytes beside it. */
async function oldItems(dir: string): Promise<Map<string, { item: OutboxItem; eml: Buffer; draft?: string }>> {
  const found = new Map<string, { item: OutboxItem; eml: Buffer; draft?: string }>();
  for (const sub of ['outbox', 'sent']) {
    for (const name of await fs.readdir(join(dir, sub))) {
      if (!name.endsWith('.json') || name.endsWith('.draft.json')) continue;
      const item = JSON.parse(await fs.readFile(join(dir, sub, name), 'utf8')) as OutboxItem;
      const draft = await fs.readFile(join(dir, sub, `${item.id}.draft.json`), 'utf8').catch(() => undefined);
      found.set(item.id, { item, eml: await fs.readFile(join(dir, sub, `${item.id}.eml`)), ...(draft ? { draft } : {}) });
    }
  }
  return found;
}

describe('the first start on a data directory of the file-based outbox', () => {
  it('brings in every message in its state, with its exact bytes, Bcc and kept draft; sends nothing; sets the old folders aside', async () => {
    const dir = await legacyDir();
    // A message a killed process of that release left mid-send.
    const old = await oldItems(dir);
    const sent = [...old.values()].find((o) => o.item.state === 'sent')!;
    const midSend: OutboxItem = { ...sent.item, id: '0mxd7u799-000000000001', state: 'sending' };
    await fs.writeFile(join(dir, 'outbox', `${midSend.id}.json`), JSON.stringify(midSend));
    await fs.writeFile(join(dir, 'outbox', `${midSend.id}.eml`), sent.eml);
    const before = await oldItems(dir);

    const logged: string[] = [];
    const core = await createCore({ dataDir: dir, keychain: new MemorySecretStore(), log: (m) => logged.push(m) });
    try {
      const items = new Map((await core.outbox.list()).map((i) => [i.id, i]));
      expect([...items.keys()].sort()).toEqual([...before.keys()].sort());
      expect(logged).toContain(`${before.size} messages of the earlier outbox were brought into the database`);
      for (const [id, { item, eml }] of before) {
        const now = items.get(id)!;
        expect(await core.outbox.readMessage(now), id).toEqual(eml);
        const expected = item.state === 'sending' ? 'outcome-unknown' : item.state;
        expect(now, id).toMatchObject({ state: expected, messageId: item.messageId, subject: item.subject, recipients: item.recipients, attempts: item.attempts, size: item.size });
      }
      expect(items.get(midSend.id)!.error?.code).toBe('OUTCOME_UNKNOWN');
      const scheduled = [...items.values()].find((i) => i.state === 'scheduled')!;
      expect(scheduled).toMatchObject({ bcc: ['secret@example.test'], dueAt: '2099-01-04T09:00:00.000Z' });
      expect(scheduled.overdue).toBeFalsy();
      expect([...items.values()].find((i) => i.state === 'retrying')!.dueAt).toBe([...before.values()].find((o) => o.item.state === 'retrying')!.item.dueAt);
      // Held in its undo window when that release stopped: due long ago, so it waits for the user, and its draft comes back exactly.
      const held = [...items.values()].find((i) => i.state === 'held')!;
      expect(held.overdue).toBe(true);
      const kept = JSON.parse(before.get(held.id)!.draft!) as { draft: { html: string; subject: string } };
      const back = await core.outbox.edit(held.id);
      expect(back.draft).toMatchObject({ subject: kept.draft.subject, html: kept.draft.html });
      // Set aside whole, now that everything is in.
      expect(await fs.readdir(dir)).toEqual(expect.arrayContaining(['outbox.imported', 'sent.imported']));
      expect(await fs.readdir(dir)).not.toEqual(expect.arrayContaining(['outbox']));
      expect((await fs.readdir(join(dir, 'outbox.imported'))).length).toBeGreaterThan(0);
    } finally {
      await core.close();
    }
    // A second start imports nothing more and changes nothing.
    const first = await createCore({ dataDir: dir, keychain: new MemorySecretStore() });
    const listed = await first.outbox.list();
    await first.close();
    const again = await createCore({ dataDir: dir, keychain: new MemorySecretStore() });
    expect(await again.outbox.list()).toEqual(listed);
    expect(listed.length).toBe(before.size);
    await again.close();
  });

  it('an import cut short is finished by the next start: what was in stays as it became, the rest comes in once', async () => {
    const dir = await legacyDir();
    const before = await oldItems(dir);
    const [firstId, first] = [...before.entries()].find(([, o]) => o.item.state === 'failed')!;
    // The cut-short import had brought in one message (since cancelled by the user) and linked another's bytes.
    const database = new Database({ dataDir: dir });
    const repo = new OutboxRepository(() => database.db);
    const bytes = new MessageBytes(dir, () => repo);
    await bytes.prepare();
    await database.write(() => repo.insert({ ...first.item, state: 'cancelled' }, undefined, { bytes: first.eml }));
    const [linkedId] = [...before.keys()].filter((id) => id !== firstId);
    await fs.copyFile(join(dir, before.get(linkedId!)!.item.state === 'sent' ? 'sent' : 'outbox', `${linkedId}.eml`), bytes.filePath(linkedId!));

    const imported = await importLegacyOutbox({ dataDir: dir, database, repo, bytes, now: () => Date.now(), log: () => undefined });
    expect(imported).toBe(before.size - 1);
    expect(repo.get(firstId)?.state).toBe('cancelled'); // never brought back
    expect(repo.page(100).length).toBe(before.size);
    expect(await importLegacyOutbox({ dataDir: dir, database, repo, bytes, now: () => Date.now(), log: () => undefined })).toBe(0);
    await database.close();
  });

  it('rows the database refuses (a full disk) leave the old folders where they are, to be imported at the next start', async () => {
    const dir = await legacyDir();
    const before = await oldItems(dir);
    const database = new Database({ dataDir: dir });
    const repo = new OutboxRepository(() => database.db);
    const bytes = new MessageBytes(dir, () => repo);
    const logged: string[] = [];
    const deps = { dataDir: dir, database, repo, bytes, now: () => Date.now(), log: (m: string) => logged.push(m) };
    database.db.exec(`CREATE TEMP TRIGGER full_disk BEFORE INSERT ON outbox_items WHEN NEW.state = 'failed' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
    expect(await importLegacyOutbox(deps)).toBe(before.size - 1);
    expect(logged.some((m) => m.includes('could not be imported'))).toBe(true);
    expect(await fs.readdir(dir)).toEqual(expect.arrayContaining(['outbox', 'sent']));
    database.db.exec('DROP TRIGGER temp.full_disk');
    expect(await importLegacyOutbox(deps)).toBe(1);
    expect(await fs.readdir(dir)).toEqual(expect.arrayContaining(['outbox.imported', 'sent.imported']));
    expect(repo.page(100).length).toBe(before.size);
    await database.close();
  });

  it('a move into sent/ that a crash cut short (both sidecars, the .eml already in sent/): sent/ is the truth, with its bytes', async () => {
    const dir = await legacyDir();
    const sentName = (await fs.readdir(join(dir, 'sent'))).find((n) => n.endsWith('.json'))!;
    const sent = JSON.parse(await fs.readFile(join(dir, 'sent', sentName), 'utf8')) as OutboxItem;
    await fs.writeFile(join(dir, 'outbox', sentName), JSON.stringify({ ...sent, state: 'sending' }));
    const core = await createCore({ dataDir: dir, keychain: new MemorySecretStore() });
    try {
      const item = await core.outbox.get(sent.id);
      expect(item.state).toBe('sent');
      expect(await core.outbox.readMessage(item)).toEqual(await fs.readFile(join(dir, 'sent.imported', `${sent.id}.eml`)));
    } finally {
      await core.close();
    }
  });

  it('a sidecar that cannot be read, or that says nonsense, is left in the folder set aside, said in the log; the others come in', async () => {
    const dir = await legacyDir();
    const heldName = (await fs.readdir(join(dir, 'outbox'))).find((n) => n.endsWith('.draft.json'))!.replace('.draft.json', '.json');
    const held = JSON.parse(await fs.readFile(join(dir, 'outbox', heldName), 'utf8')) as OutboxItem;
    await fs.writeFile(join(dir, 'outbox', heldName), JSON.stringify({ ...held, dueAt: 'tomorrow-ish' }));
    await fs.writeFile(join(dir, 'outbox', 'broken.json'), '{"id": "broken", "sta');
    const logged: string[] = [];
    const core = await createCore({ dataDir: dir, keychain: new MemorySecretStore(), log: (m) => logged.push(m) });
    try {
      expect((await core.outbox.list()).map((i) => i.id)).not.toContain(held.id);
      expect((await core.outbox.list()).length).toBe(7); // every other message of the fixture
      expect(logged.some((m) => m.includes('broken.json'))).toBe(true);
      expect(logged.some((m) => m.includes(heldName))).toBe(true);
      expect(await fs.readFile(join(dir, 'outbox.imported', 'broken.json'), 'utf8')).toContain('"sta');
    } finally {
      await core.close();
    }
  });
});
