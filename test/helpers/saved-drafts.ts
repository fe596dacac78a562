import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../../electron/core/db/open-database';
import { sqlite } from '../../electron/core/db/sqlite';

/** The drafts saved in a data directory, as stored (read beside a running app, read-only). */
export function savedDrafts(dataDir: string): Array<{ id: string; subject: string; html?: string; to?: string; cc?: string; bcc?: string; [field: string]: unknown }> {
  const path = join(dataDir, DATABASE_FILE);
  if (!existsSync(path)) return [];
  const db = new (sqlite().DatabaseSync)(path, { readOnly: true });
  try {
    const made = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'drafts'`).get();
    if (!made) return [];
    return (db.prepare('SELECT id, draft FROM drafts ORDER BY updated_at').all() as Array<{ id: string; draft: string }>).map((r) => ({ ...JSON.parse(r.draft), id: r.id }));
  } finally {
    db.close();
  }
}
