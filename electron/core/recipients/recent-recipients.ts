import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Mailbox } from '../../../shared/model/mailbox';
import type { Database } from '../db/database';
import { readJsonFile } from '../fs/atomic-file';

/** One address the user has sent to: how often, when last, and the name it last went with. */
interface Recent extends Mailbox {
  uses: number;
  lastUsed: number;
}

/** What earlier versions kept in recent-recipients.json, imported once into the database. */
interface LegacyFile {
  version: 1;
  recipients: Array<Mailbox & { uses: number; lastUsed: string }>;
}

export interface RecentRecipientsOptions {
  dataDir: string;
  database: Database;
  /** Addresses kept at most; the least used, least recent go first. */
  cap?: number;
  now?: () => Date;
  onCorrupt?: (movedTo: string, err: Error) => void;
  log?: (message: string, err?: unknown) => void;
}

/** A count from a file of an earlier version, as the table takes it: a whole number, at least 1. */
const wholeUses = (uses: unknown) => (typeof uses === 'number' && Number.isFinite(uses) ? Math.max(1, Math.min(Math.round(uses), Number.MAX_SAFE_INTEGER)) : 1);

/** Lower case without accents, so "jose" finds "José" and "ZOE" finds "Zoë". */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const RANKED = 'ORDER BY uses DESC, last_used DESC, address_key';
/** How long the uses of messages queued together are gathered before they are written. */
const BATCH_MS = 100;

/**
 * Recently used recipients, for the composer's suggestions, in the data directory's database: the
 * uses of messages queued together (a mail merge) share one commit. Kept on this machine only;
 * suggestions are never a reason to fail.
 */
export class RecentRecipients {
  private readonly cap: number;
  /** recent-recipients.json of an earlier version, imported before the first use (never rejects). */
  private imported: Promise<void> | undefined;
  /** Uses recorded and not yet written (see record), by address key. */
  private pending = new Map<string, { name: string; address: string; uses: number; at: number }>();
  private batch: { start: () => void; timer: ReturnType<typeof setTimeout>; done: Promise<void> } | undefined;
  /** Prepared once per connection: preparing them for every message queued was a tenth of a mail merge's time (bench/throughput.ts). */
  private readonly statements = new WeakMap<object, Map<string, ReturnType<Database['db']['prepare']>>>();

  constructor(private readonly opts: RecentRecipientsOptions) {
    this.cap = opts.cap ?? 500;
  }

  /**
   * Once per process: the list an earlier version kept in a file goes into the database, if the
   * database has none yet (two processes starting at once import it once), then the file goes.
   * Best effort: a file that cannot be read or imported now is logged and left for the next start,
   * and suggestions go on from the database meanwhile.
   */
  private ready(): Promise<void> {
    this.imported ??= (async () => {
      const path = join(this.opts.dataDir, 'recent-recipients.json');
      const legacy = await readJsonFile<LegacyFile>(path, this.opts.onCorrupt);
      if (!legacy) return;
      const kept = Array.isArray(legacy.recipients) ? legacy.recipients.filter((r) => typeof r?.address === 'string') : [];
      await this.opts.database.write((db) => {
        if (db.prepare('SELECT 1 FROM recent_recipients LIMIT 1').get()) return;
        const insert = db.prepare('INSERT OR IGNORE INTO recent_recipients (address_key, address, name, uses, last_used) VALUES (?, ?, ?, ?, ?)');
        for (const r of kept) insert.run(r.address.toLowerCase(), r.address, typeof r.name === 'string' ? r.name : '', wholeUses(r.uses), Date.parse(r.lastUsed) || 0);
      });
      await fs.unlink(path).catch(() => undefined);
    })().catch((err: unknown) => this.opts.log?.('recent-recipients.json could not be imported; it is tried again at the next start', err));
    return this.imported;
  }

  /**
   * Count one more use of each mailbox (one message's To, Cc and Bcc), and keep at most the cap:
   * the least used and longest unused go, never one just used (a new address has one use, and
   * would otherwise never get in once every entry has two). The uses of the messages queued within
   * BATCH_MS go in one write: one per message was a tenth of a mail merge's time
   * (bench/throughput.ts). Resolves once committed; quitting writes what waits (flushed).
   */
  async record(mailboxes: Mailbox[]): Promise<void> {
    await this.ready();
    const at = (this.opts.now?.() ?? new Date()).getTime();
    const used = new Map<string, Mailbox>();
    for (const m of mailboxes) if (!used.has(m.address.toLowerCase())) used.set(m.address.toLowerCase(), m); // twice in one message is one use
    for (const [key, { name, address }] of used) {
      const seen = this.pending.get(key);
      if (!seen) this.pending.set(key, { name, address, uses: 1, at });
      else Object.assign(seen, { uses: seen.uses + 1, at, ...(name ? { name } : {}) });
    }
    if (!this.batch) {
      let start!: () => void;
      const started = new Promise<void>((resolve) => (start = resolve));
      this.batch = { start, timer: setTimeout(start, BATCH_MS), done: started.then(() => this.writePending()) };
    }
    return this.batch.done;
  }

  private writePending(): Promise<void> {
    this.batch = undefined;
    const uses = [...this.pending];
    this.pending = new Map();
    return this.opts.database.write((db) => {
      const count = this.sql(
        db,
        `INSERT INTO recent_recipients (address_key, address, name, uses, last_used) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (address_key) DO UPDATE SET uses = uses + excluded.uses, last_used = excluded.last_used,
           name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END`,
      );
      for (const [key, { name, address, uses: n, at }] of uses) count.run(key, address, name, n, at);
      // Ranking every entry is needed only once there are more than the cap.
      if ((this.sql(db, 'SELECT count(*) AS n FROM recent_recipients').get() as { n: number }).n <= this.cap) return;
      this.sql(
        db,
        `DELETE FROM recent_recipients WHERE address_key IN (
           SELECT address_key FROM recent_recipients WHERE address_key NOT IN (SELECT value FROM json_each(?)) ${RANKED} LIMIT -1 OFFSET ?)`,
      ).run(JSON.stringify(uses.map(([key]) => key)), Math.max(this.cap - uses.length, 0));
    });
  }

  private sql(db: Database['db'], text: string) {
    let cache = this.statements.get(db);
    if (!cache) this.statements.set(db, (cache = new Map()));
    let statement = cache.get(text);
    if (!statement) cache.set(text, (statement = db.prepare(text)));
    return statement;
  }

  /** Resolves when every use recorded so far is committed: before quitting. */
  async flushed(): Promise<void> {
    await this.imported;
    const batch = this.batch;
    if (batch) {
      clearTimeout(batch.timer);
      batch.start();
      await batch.done.catch(() => undefined);
    }
    await this.opts.database.write(() => undefined).catch(() => undefined);
  }

  /** Up to `limit` recipients whose address, or a word of whose name, starts with the query; best ranked first. */
  async suggest(query: string, limit = 8): Promise<Mailbox[]> {
    const q = fold(query.trim());
    if (!q) return [];
    // A database that cannot be opened now (a read-only data directory) means no suggestions, not an error.
    await this.ready();
    const ranked = await Promise.resolve()
      .then(() => this.opts.database.db.prepare(`SELECT name, address, uses, last_used AS lastUsed FROM recent_recipients ${RANKED}`).all() as unknown as Recent[])
      .catch(() => [] as Recent[]);
    // The whole name or address, or any word of either ("smith" finds john.smith@example.com).
    const words = (r: Recent) => [fold(r.name), fold(r.address), ...fold(`${r.name} ${r.address}`).split(/[^\p{L}\p{N}]+/u)];
    const matches = (r: Recent) => words(r).some((w) => w.startsWith(q));
    // At most `cap` (500) rows: folding them here is cheaper than keeping folded words in the table.
    return ranked
      .filter(matches)
      .slice(0, limit)
      .map(({ name, address }) => ({ name, address }));
  }
}
