import { phrase } from '../../../shared/i18n/errors/phrase';
import type { Template, TemplateInput, TemplateSummary } from '../../../shared/model/template';
import type { AttachmentRegistry, RememberedFile } from '../attachments/attachment-registry';
import type { Clock } from '../clock';
import type { Database } from '../db/database';
import { invalidInput, MailwrightError, storageFailed } from '../errors';
import { compileTemplate, type TemplateFields } from './message-template';

/** A template as stored: its fields, and the files behind its attachments (main-only: paths). */
export interface StoredTemplate extends TemplateFields {
  name: string;
  accountId: string;
  files: RememberedFile[];
}

interface Row {
  name: string;
  updated_at: number;
  template: string;
}

const noTemplate = (name: string) => new MailwrightError('INVALID_INPUT', { message: phrase('err.template.none', { name }), hint: phrase('err.template.none.hint') });

/**
 * Saved templates, by name (one per name whatever its case), in the data directory's database. A
 * template is checked as Liquid when it is saved: one that cannot be parsed is refused then, not
 * at the first merge.
 */
export class TemplateStore {
  constructor(private readonly deps: { database: Database; attachments: AttachmentRegistry; clock: Clock }) {}

  async save(input: Omit<TemplateInput, 'attachments'> & { attachments: Array<{ handle: string }> }): Promise<TemplateSummary> {
    const fields: TemplateFields = { subject: input.subject ?? '', html: input.html, text: input.text, listUnsubscribe: input.listUnsubscribe };
    if (!fields.html?.trim() && !fields.text?.trim()) throw invalidInput(phrase('err.template.noBody'), phrase('err.template.noBody.hint'));
    const variables = compileTemplate(fields, 'en').variables;
    const stored: StoredTemplate = { ...fields, name: input.name.trim(), accountId: input.accountId, files: this.deps.attachments.remember(input.attachments.map((a) => a.handle)) };
    const now = this.deps.clock.now().getTime();
    await this.deps.database
      .write((db) => db.prepare(`INSERT INTO templates (name_key, name, updated_at, template) VALUES (?, ?, ?, ?) ON CONFLICT (name_key) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at, template = excluded.template`).run(stored.name.toLowerCase(), stored.name, now, JSON.stringify(stored)))
      .catch((err: unknown) => {
        throw err instanceof MailwrightError ? err : storageFailed('database', err);
      });
    return summary(stored, now, variables);
  }

  list(): TemplateSummary[] {
    const rows = this.deps.database.db.prepare(`SELECT name, updated_at, template FROM templates ORDER BY name_key`).all() as unknown as Row[];
    return rows.map((r) => {
      const t = JSON.parse(r.template) as StoredTemplate;
      return summary(t, r.updated_at, variablesOf(t));
    });
  }

  /** The stored template (main-only: it holds paths). */
  stored(name: string): StoredTemplate & { updatedAt: number } {
    const row = this.deps.database.db.prepare(`SELECT name, updated_at, template FROM templates WHERE name_key = ?`).get(name.trim().toLowerCase()) as Row | undefined;
    if (!row) throw noTemplate(name);
    return { ...(JSON.parse(row.template) as StoredTemplate), updatedAt: row.updated_at };
  }

  /** A template whole, its files with live handles (those gone named in `missing`). */
  async get(name: string): Promise<Template> {
    const t = this.stored(name);
    const { attachments, missing } = await this.deps.attachments.restore(t.files);
    const { files: _files, updatedAt, ...fields } = t;
    return { ...fields, updatedAt: new Date(updatedAt).toISOString(), variables: variablesOf(t), attachments, missing };
  }

  async remove(name: string): Promise<{ removed: string }> {
    const t = this.stored(name);
    await this.deps.database.write((db) => db.prepare(`DELETE FROM templates WHERE name_key = ?`).run(t.name.toLowerCase()));
    return { removed: t.name };
  }
}

function variablesOf(t: TemplateFields): string[] {
  try {
    return compileTemplate(t, 'en').variables;
  } catch {
    return [];
  }
}

const summary = (t: StoredTemplate, updatedAt: number, variables: string[]): TemplateSummary => ({
  name: t.name,
  accountId: t.accountId,
  subject: t.subject,
  updatedAt: new Date(updatedAt).toISOString(),
  variables,
  attachments: t.files.map((f) => f.name),
});
