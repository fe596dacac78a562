import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { savedDraftInput, type SavedDraft } from '../../../shared/model/draft';
import { phrase } from '../../../shared/i18n/errors/phrase';
import type { AttachmentRegistry, RememberedFile } from '../attachments/attachment-registry';
import type { Clock } from '../clock';
import type { Database } from '../db/database';
import { invalidInput, MailwrightError, storageFailed } from '../errors';
import { readJsonFile } from '../fs/atomic-file';

type DraftFields = z.output<typeof savedDraftInput>;

/** A draft as stored: the composer's fields, and the files behind its attachment handles (main-only). */
interface StoredDraft extends Omit<DraftFields, 'attachments'> {
  id: string;
  updatedAt: string;
  files: RememberedFile[];
}

const DEFAULTS = savedDraftInput.parse({});
const DRAFT_ID = /^d_[A-Za-z0-9_-]+$/;

export interface DraftStoreDeps {
  dataDir: string;
  database: Database;
  attachments: AttachmentRegistry;
  clock: Clock;
  log?: (message: string, err?: unknown) => void;
}

/**
 * Unsent drafts, in the data directory's database, so the composer can reopen them after a
 * restart or a crash. Attachments are remembered by path here and handed back as fresh handles.
 */
export class DraftStore {
  /** The drafts an earlier version kept in drafts/, imported before the first use: whether all of them were. */
  private imported: Promise<boolean> | undefined;

  constructor(private readonly deps: DraftStoreDeps) {}

  /**
   * Once per process: drafts/*.json of an earlier version go into the database (the newer of two
   * with one id wins, so two processes importing at once agree), then their files go. One that
   * cannot be read now stays, and is tried again at the next start; a damaged one is moved aside.
   */
  private ready(): Promise<boolean> {
    this.imported ??= (async () => {
      const dir = join(this.deps.dataDir, 'drafts');
      const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => DRAFT_ID.test(n.replace(/\.json$/, '')) && n.endsWith('.json'));
      let complete = true;
      const found: Array<{ name: string; draft: StoredDraft }> = [];
      for (const name of names) {
        const draft = await readJsonFile<StoredDraft>(join(dir, name)).catch((err: unknown) => {
          complete = false;
          this.deps.log?.(`the draft ${name} could not be read; it is tried again at the next start`, err);
          return undefined;
        });
        if (draft?.id && DRAFT_ID.test(draft.id)) found.push({ name, draft });
      }
      if (found.length) await this.deps.database.write((db) => found.forEach(({ draft }) => this.importOne(db, draft)));
      for (const { name } of found) await fs.unlink(join(dir, name)).catch(() => undefined);
      if (complete) await fs.rmdir(dir).catch(() => undefined); // only if empty: what was moved aside stays
      return complete;
    })().catch((err: unknown) => {
      this.deps.log?.('the drafts of an earlier version could not be imported now; they are tried again', err);
      this.imported = undefined; // at the next use
      return false;
    });
    return this.imported;
  }

  /** One draft of an earlier version, once: an id imported before (by this process or another) is not brought back. */
  private importOne(db: Database['db'], draft: StoredDraft): void {
    if (!db.prepare('INSERT OR IGNORE INTO imported_drafts (id) VALUES (?)').run(draft.id).changes) return;
    this.upsert(db, draft, true);
  }

  private upsert(db: Database['db'], draft: StoredDraft, newerOnly = true): void {
    const { id, updatedAt, ...rest } = draft;
    db.prepare(
      `INSERT INTO drafts (id, updated_at, draft) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, draft = excluded.draft ${newerOnly ? 'WHERE excluded.updated_at > drafts.updated_at' : ''}`,
    ).run(id, Date.parse(updatedAt) || 0, JSON.stringify(rest));
  }

  async save(input: DraftFields): Promise<{ id: string; updatedAt: string }> {
    await this.ready();
    const id = input.id ?? `d_${randomBytes(12).toString('base64url')}`;
    const { attachments, ...fields } = input;
    const draft: StoredDraft = { ...fields, id, updatedAt: this.deps.clock.now().toISOString(), files: this.deps.attachments.remember(attachments.map((a) => a.handle)) };
    try {
      await this.deps.database.write((db) => this.upsert(db, draft, false));
    } catch (err) {
      throw err instanceof MailwrightError ? err : storageFailed('draft', err);
    }
    return { id, updatedAt: draft.updatedAt };
  }

  private async stored(): Promise<StoredDraft[]> {
    const rows = this.deps.database.db.prepare('SELECT id, updated_at AS updatedAt, draft FROM drafts ORDER BY updated_at DESC, rowid DESC').all() as Array<{ id: string; updatedAt: number; draft: string }>;
    return rows.map((r) => ({ ...(JSON.parse(r.draft) as Omit<StoredDraft, 'id' | 'updatedAt'>), id: r.id, updatedAt: new Date(r.updatedAt).toISOString() }));
  }

  /** Every saved draft, newest first, with live attachment handles. */
  async list(): Promise<SavedDraft[]> {
    await this.ready();
    const drafts: SavedDraft[] = [];
    for (const { files, ...fields } of await this.stored()) {
      // A draft saved by an older version lacks the newer fields: they take their defaults.
      drafts.push({ ...DEFAULTS, ...fields, ...(await this.deps.attachments.restore(files ?? [])) });
    }
    return drafts;
  }

  /** The files saved drafts still need (browser mode keeps its uploads for them). */
  async rememberedPaths(): Promise<string[]> {
    // A draft that could not be read must not have its files taken for unneeded.
    if (!(await this.ready())) throw storageFailed('draft', new Error('a draft of an earlier version could not be read'));
    return (await this.stored()).flatMap((d) => d.files?.map((f) => f.path) ?? []);
  }

  async remove(id: string): Promise<void> {
    if (!DRAFT_ID.test(id)) throw invalidInput(phrase('err.draft.badId'), phrase('err.input.draftId.hint'));
    await this.ready();
    await this.deps.database.write((db) => db.prepare('DELETE FROM drafts WHERE id = ?').run(id)).catch((err: unknown) => {
      throw err instanceof MailwrightError ? err : storageFailed('draft', err);
    });
  }
}
