import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../electron/core/fs/atomic-file';
import { OutboxStore } from '../../electron/core/outbox/outbox-store';
import type { OutboxItem } from '../../shared/model/outbox';
import { tempDir } from '../helpers/temp-dir';

// Listing the outbox must not open a file per message once it has seen them, and must never show
// less (or other) than the sidecars on disk say.

const item = (id: string, state: OutboxItem['state'], subject = id): OutboxItem => ({
  id,
  accountId: 'a',
  messageId: `<${id}@x>`,
  subject,
  from: 'f@x',
  sender: 'f@x',
  recipients: ['t@x'],
  state,
  createdAt: new Date(Date.parse('2026-01-01T00:00:00Z') + Number(id.replace(/\D/g, '')) * 1000).toISOString(),
  updatedAt: '2026-01-01T00:00:00.000Z',
  attempts: 1,
  size: 3,
});

/** Count the sidecar reads (readJsonFile reads through fs.promises.readFile). */
const readFile = fs.readFile;
let reads: string[] = [];
fs.readFile = ((path: Parameters<typeof readFile>[0], ...rest: unknown[]) => {
  reads.push(String(path));
  return (readFile as (...a: unknown[]) => Promise<unknown>)(path, ...rest);
}) as typeof readFile;
afterEach(() => {
  reads = [];
});

async function store(sent: number, queued: number) {
  const dir = tempDir();
  const s = new OutboxStore(dir);
  await s.init();
  for (let i = 0; i < sent; i++) await fs.writeFile(join(s.sentDir, `s${i}.json`), JSON.stringify(item(`s${i}`, 'sent')));
  for (let i = 0; i < queued; i++) await fs.writeFile(join(s.outboxDir, `q${i}.json`), JSON.stringify(item(`q${i}`, 'scheduled')));
  // Settled folders (last changed a while ago), as after a restart.
  const past = new Date('2026-01-01T00:00:00Z');
  await fs.utimes(s.outboxDir, past, past);
  return { dir, s };
}

const ids = (items: OutboxItem[]) => items.map((i) => i.id).sort();

describe('listing sent/ through its index, and outbox/ while it has not changed', () => {
  it('reads each sidecar once; later lists read none until something changes', async () => {
    const { s } = await store(30, 5);
    expect(ids(await s.list())).toHaveLength(35);
    expect(reads.filter((p) => p.endsWith('.json'))).toHaveLength(35);
    reads = [];
    expect(ids(await s.list())).toHaveLength(35);
    expect(reads.filter((p) => p.endsWith('.json'))).toEqual([]); // the index and the unchanged outbox folder answered
    expect((await fs.readFile(join(s.sentDir, '.index.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(30);
  });

  it('sees what another process sent or queued since, and forgets what was removed', async () => {
    const { s } = await store(3, 2);
    await s.list();
    // Another process: one more sent, one more queued (an atomic rename changes outbox/'s mtime), one sent removed by hand.
    await writeFileAtomic(join(s.sentDir, 's9.json'), JSON.stringify(item('s9', 'sent')));
    await writeFileAtomic(join(s.outboxDir, 'q9.json'), JSON.stringify(item('q9', 'held')));
    await fs.rm(join(s.sentDir, 's0.json'));
    reads = [];
    expect(ids(await s.list())).toEqual(['q0', 'q1', 'q9', 's1', 's2', 's9']);
    expect(reads.filter((p) => p.startsWith(s.sentDir) && p.endsWith('.json'))).toEqual([join(s.sentDir, 's9.json')]);
    // A fresh store (another process) reads the index the first did, lines for removed files and all.
    const other = new OutboxStore(join(s.outboxDir, '..'));
    reads = [];
    expect(ids(await other.list())).toEqual(['q0', 'q1', 'q9', 's1', 's2', 's9']);
    expect(reads.filter((p) => p.startsWith(s.sentDir) && p.endsWith('.json'))).toEqual([]);
  });

  it('a torn or foreign line costs a re-read of that sidecar, never a wrong item', async () => {
    const { s } = await store(3, 0);
    await s.list();
    // A crash mid-append, then another process's good line glued after it; and a line for a message that is not there.
    await fs.appendFile(join(s.sentDir, '.index.jsonl'), `{"id":"s1","state":"sent","subj` + `${JSON.stringify(item('ghost', 'sent'))}\n`);
    const fresh = new OutboxStore(join(s.outboxDir, '..'));
    const listed = await fresh.list();
    expect(ids(listed)).toEqual(['s0', 's1', 's2']);
    expect(listed.find((i) => i.id === 's1')).toEqual(item('s1', 'sent'));
  });

  it('a line being appended (no newline yet) is left for the next look', async () => {
    const { s } = await store(1, 0);
    await s.list();
    await fs.writeFile(join(s.sentDir, 's5.json'), JSON.stringify(item('s5', 'sent', 'from the sidecar')));
    await fs.appendFile(join(s.sentDir, '.index.jsonl'), JSON.stringify(item('s5', 'sent', 'half-appended')).slice(0, 40));
    expect((await s.list()).find((i) => i.id === 's5')?.subject).toBe('from the sidecar');
  });
});
