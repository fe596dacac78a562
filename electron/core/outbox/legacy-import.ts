import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { OUTBOX_STATES, type OutboxItem } from '../../../shared/model/outbox';
import type { Database } from '../db/database';
import type { MessageBytes } from './message-bytes';
import { interruptedError } from './outcome';
import type { OutboxRepository } from './outbox-repository';

export interface LegacyImportDeps {
  dataDir: string;
  database: Database;
  repo: OutboxRepository;
  bytes: MessageBytes;
  now: () => number;
  log: (message: string, err?: unknown) => void;
}

/**
 * What the release before the database kept: sent/ and outbox/ (waiting mail), a sidecar per
 * message. sent/ first: a move into it that a crash cut short left both sidecars, and then sent/'s
 * is the truth.
 */
const LEGACY_DIRS = ['sent', 'outbox'] as const;
/** Rows written per commit. */
const BATCH = 200;

const isTime = (v: unknown) => typeof v === 'string' && Number.isFinite(Date.parse(v));
const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

const isItem = (v: unknown): v is OutboxItem => {
  const i = v as OutboxItem;
  return (
    !!i &&
    typeof i.id === 'string' &&
    /^[\w-]+$/.test(i.id) &&
    OUTBOX_STATES.includes(i.state) &&
    typeof i.accountId === 'string' &&
    isTime(i.createdAt) &&
    isCount(i.size) &&
    isCount(i.attempts) &&
    (i.dueAt === undefined || isTime(i.dueAt))
  );
};

/**
 * Bring the file-based outbox of the release before the database into it, once. Each message's
 * bytes are hard-linked into messages/ (no copy; the old file stays where it was), then its row is
 * inserted unless its id is there already, so an import cut short by a crash is simply run again.
 * Only when every message is in are the old folders set aside (renamed `outbox.imported`, `sent.imported`).
 * A message that was mid-send is outcome-unknown (it may have arrived); waiting ones keep their due time.
 */
export async function importLegacyOutbox(deps: LegacyImportDeps): Promise<number> {
  const { dataDir, database, repo, bytes } = deps;
  const dirs = (await Promise.all(LEGACY_DIRS.map(async (d) => ((await fs.stat(join(dataDir, d)).catch(() => undefined))?.isDirectory() ? d : undefined)))).filter((d) => d !== undefined);
  if (!dirs.length) return 0;
  await bytes.prepare();
  let imported = 0;
  let failed = 0;
  for (const dir of dirs) {
    const names = (await fs.readdir(join(dataDir, dir))).filter((n) => n.endsWith('.json') && !n.endsWith('.draft.json') && !n.startsWith('.'));
    for (let start = 0; start < names.length; start += BATCH) {
      const batch: Array<{ item: OutboxItem; keptDraft?: string }> = [];
      for (const name of names.slice(start, start + BATCH)) {
        const found = await readLegacy(join(dataDir, dir), name, deps);
        if (!found || repo.has(found.item.id)) continue;
        await linkBytes(dataDir, dir, found.item.id, bytes.filePath(found.item.id));
        batch.push(found);
      }
      if (!batch.length) continue;
      await bytes.settle();
      // Each row its own write (they share one commit): one the database refuses is named, and the others come in.
      const written = await Promise.allSettled(batch.map(({ item, keptDraft }) => database.write(() => repo.insert(item, undefined, { ...(keptDraft ? { keptDraft } : {}), ifAbsent: true }))));
      written.forEach((w, i) => {
        if (w.status === 'fulfilled') imported += w.value ? 1 : 0;
        else {
          failed++;
          deps.log(`${batch[i]!.item.id} in the old outbox could not be imported`, w.reason);
        }
      });
    }
  }
  // Set aside only once every message is in: what the database refused (a full disk) is tried again at the next start.
  if (failed) return imported;
  for (const dir of dirs) await fs.rename(join(dataDir, dir), join(dataDir, `${dir}.imported`)).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : deps.log(`the imported ${dir}/ folder could not be set aside`, err)));
  return imported;
}

/**
 * Link a message's old .eml into messages/ (no copy; the old file stays). It may be in the other
 * folder (a move to sent/ cut short), or linked already by an import a crash cut short; bytes that
 * were lost are left missing, and the attempt's size check says so.
 */
async function linkBytes(dataDir: string, dir: string, id: string, target: string): Promise<void> {
  for (const from of [dir, ...LEGACY_DIRS.filter((d) => d !== dir)]) {
    try {
      return await fs.link(join(dataDir, from, `${id}.eml`), target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return;
      if (code !== 'ENOENT') throw err;
    }
  }
}

/** One old sidecar as a row to insert, with its kept draft; undefined when it cannot be read (it stays in the folder set aside). */
async function readLegacy(dir: string, name: string, deps: LegacyImportDeps): Promise<{ item: OutboxItem; keptDraft?: string } | undefined> {
  let item: unknown;
  try {
    item = JSON.parse(await fs.readFile(join(dir, name), 'utf8'));
  } catch (err) {
    deps.log(`${name} in the old outbox could not be read and was not imported`, err);
    return undefined;
  }
  if (!isItem(item)) return void deps.log(`${name} in the old outbox is not a message record and was not imported`);
  const now = new Date(deps.now()).toISOString();
  if (item.state === 'sending') {
    item = {
      ...item,
      state: 'outcome-unknown',
      updatedAt: now,
      error: interruptedError(),
    } satisfies OutboxItem;
  }
  const waiting = item as OutboxItem;
  if ((waiting.state === 'held' || waiting.state === 'scheduled' || waiting.state === 'retrying') && !waiting.dueAt) waiting.dueAt = now;
  const keptDraft = await fs.readFile(join(dir, `${waiting.id}.draft.json`), 'utf8').catch(() => undefined);
  return { item: waiting, ...(keptDraft ? { keptDraft } : {}) };
}
