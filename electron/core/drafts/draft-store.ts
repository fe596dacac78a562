import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { FILES_AT_ONCE, inBatches } from '../fs/in-batches';
import { savedDraftInput, type SavedDraft } from '../../../shared/model/draft';
import type { z } from 'zod';
import type { AttachmentRegistry, RememberedFile } from '../attachments/attachment-registry';
import type { Clock } from '../clock';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { invalidInput, storageFailed } from '../errors';
import { readJsonFile, writeFileAtomic } from '../fs/atomic-file';

type DraftFields = z.output<typeof savedDraftInput>;

/** A draft on disk: the composer's fields, and the files behind its attachment handles (main-only). */
interface DraftFile extends Omit<DraftFields, 'attachments'> {
  id: string;
  updatedAt: string;
  files: RememberedFile[];
}

/**
 * Unsent drafts, one atomic JSON file each in drafts/, so the composer can reopen them after
 * a restart or a crash. Attachments are remembered by path here and handed back as fresh handles.
 */
const DEFAULTS = savedDraftInput.parse({});

export class DraftStore {
  private readonly dir: string;

  constructor(dataDir: string, private readonly deps: { attachments: AttachmentRegistry; clock: Clock }) {
    this.dir = join(dataDir, 'drafts');
  }

  private path(id: string) {
    return join(this.dir, `${id}.json`);
  }

  async save(input: DraftFields): Promise<{ id: string; updatedAt: string }> {
    const id = input.id ?? `d_${randomBytes(12).toString('base64url')}`;
    const { attachments, ...fields } = input;
    const file: DraftFile = { ...fields, id, updatedAt: this.deps.clock.now().toISOString(), files: this.deps.attachments.remember(attachments.map((a) => a.handle)) };
    try {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.path(id), JSON.stringify(file));
    } catch (err) {
      throw storageFailed('draft', err);
    }
    return { id, updatedAt: file.updatedAt };
  }

  /**
   * The draft files as stored. A damaged one is skipped (readJsonFile moves it aside); one that
   * cannot be read at all is skipped when `strict` is off, and throws when on.
   */
  private async readAll(strict = false): Promise<DraftFile[]> {
    const names = (await fs.readdir(this.dir).catch(() => [] as string[])).filter((n) => /^d_[A-Za-z0-9_-]+\.json$/.test(n));
    const files = await inBatches(names, FILES_AT_ONCE, (n) => {
      const read = readJsonFile<DraftFile>(join(this.dir, n));
      return strict ? read : read.catch(() => undefined);
    });
    return files.filter((f): f is DraftFile => !!f?.id);
  }

  /** Every saved draft, newest first, with live attachment handles. */
  async list(): Promise<SavedDraft[]> {
    const drafts: SavedDraft[] = [];
    for (const file of await this.readAll()) {
      const { files: remembered, ...fields } = file;
      // A draft saved by an older version lacks the newer fields: they take their defaults.
      drafts.push({ ...DEFAULTS, ...fields, ...(await this.deps.attachments.restore(remembered ?? [])) });
    }
    return drafts.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  /** The files saved drafts still need (browser mode keeps its uploads for them). */
  async rememberedPaths(): Promise<string[]> {
    // Strict: a draft that cannot be read must not have its files taken for unneeded.
    return (await this.readAll(true)).flatMap((f) => f.files?.map((r) => r.path) ?? []);
  }

  async remove(id: string): Promise<void> {
    if (!/^d_[A-Za-z0-9_-]+$/.test(id)) throw invalidInput(phrase('err.draft.badId'), phrase('err.input.draftId.hint'));
    await fs.rm(this.path(id), { force: true });
  }
}
