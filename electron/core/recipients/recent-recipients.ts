import { join } from 'node:path';
import type { Mailbox } from '../../../shared/model/mailbox';
import { writeFileAtomic } from '../fs/atomic-file';
import { CachedJsonFile } from '../fs/cached-json-file';

/** One address the user has sent to: how often, when last, and the name it last went with. */
interface Recent extends Mailbox {
  uses: number;
  lastUsed: string;
}

interface RecentFile {
  version: 1;
  recipients: Recent[];
}

export interface RecentRecipientsOptions {
  dataDir: string;
  /** Addresses kept at most; the least used, least recent go first. */
  cap?: number;
  now?: () => Date;
  onCorrupt?: (movedTo: string, err: Error) => void;
  /** How long uses gather before one write takes them all (default 250 ms). */
  writeDelayMs?: number;
}

/** Lower case without accents, so "jose" finds "José" and "ZOE" finds "Zoë". */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** More uses first; among equals, the most recent (ISO times compare as strings; localeCompare was a tenth of a mail merge's queueing). */
const byRank = (a: Recent, b: Recent) => b.uses - a.uses || (a.lastUsed < b.lastUsed ? 1 : a.lastUsed > b.lastUsed ? -1 : 0);

/**
 * Recently used recipients in `recent-recipients.json`, for the composer's suggestions. Kept on this
 * machine only; a damaged file is moved aside and the list starts again, as suggestions are never
 * a reason to fail.
 */
export class RecentRecipients {
  private readonly path: string;
  private readonly file: CachedJsonFile<RecentFile>;
  private readonly cap: number;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: RecentRecipientsOptions) {
    this.path = join(opts.dataDir, 'recent-recipients.json');
    this.file = new CachedJsonFile(this.path, opts.onCorrupt);
    this.cap = opts.cap ?? 500;
  }

  private async read(): Promise<Recent[]> {
    // The cache's own objects, not a copy (copying 500 entries per message showed in bench/throughput.ts): never changed here.
    const data = await this.file.peek();
    return Array.isArray(data?.recipients) ? data.recipients.filter((r) => typeof r?.address === 'string' && typeof r.uses === 'number') : [];
  }

  /** Uses asked for and not yet written, each with its caller's promise. */
  private pending: Array<{ mailboxes: Mailbox[]; at: string; done: (err?: unknown) => void }> = [];

  /** The write waiting for more uses to gather, if any. */
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Count one more use of each mailbox (one message's To, Cc and Bcc). The uses of the next
   * writeDelayMs share one write, and writes never overlap, so none is lost: rewriting the list
   * (hundreds of entries, sorted and serialised) for every message of a mail merge was a tenth of
   * its queueing time (bench/throughput.ts). The list written is the same as with one write per use.
   * Resolves once written.
   */
  record(mailboxes: Mailbox[]): Promise<void> {
    const at = (this.opts.now?.() ?? new Date()).toISOString();
    const result = new Promise<void>((resolve, reject) => this.pending.push({ mailboxes, at, done: (err) => (err ? reject(err) : resolve()) }));
    this.timer ??= setTimeout(() => void this.flush(), this.opts.writeDelayMs ?? 250);
    return result;
  }

  /** Write every use recorded so far now, after any write already running. */
  private flush(): Promise<unknown> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(async () => {
      const batch = this.pending.splice(0);
      if (!batch.length) return; // an earlier write took these uses
      try {
        let list = await this.read();
        for (const use of batch) list = this.counted(list, use.mailboxes, use.at);
        // Never torn, but not fsynced: suggestions lost in a power cut are not worth a disk flush.
        await writeFileAtomic(this.path, JSON.stringify({ version: 1, recipients: list } satisfies RecentFile), 'none');
        for (const use of batch) use.done();
      } catch (err) {
        for (const use of batch) use.done(err);
      }
    });
    return this.writing;
  }

  /** Resolves when every use recorded so far is written (or failed to be): before quitting. */
  async flushed(): Promise<void> {
    await (this.timer ? this.flush() : this.writing);
  }

  /** The list after one message's use of `mailboxes`, capped. */
  private counted(list: Recent[], mailboxes: Mailbox[], at: string): Recent[] {
    const seen = new Set<string>();
    const index = new Map(list.map((r, i) => [r.address.toLowerCase(), i]));
    for (const { name, address } of mailboxes) {
      const key = address.toLowerCase();
      if (seen.has(key)) continue; // twice in one message is one use
      seen.add(key);
      const i = index.get(key);
      const known = i === undefined ? undefined : list[i];
      // A new entry, not a changed one: the entries may be the file cache's own (see read()).
      if (known) list[i!] = { ...known, uses: known.uses + 1, lastUsed: at, name: name || known.name };
      else index.set(key, list.push({ name, address, uses: 1, lastUsed: at }) - 1);
    }
    // Full: the least used and longest unused go, never one this message just used (a new
    // address has one use, and would otherwise never get in once every entry has two).
    const fresh = list.filter((r) => seen.has(r.address.toLowerCase()));
    const older = list.filter((r) => !seen.has(r.address.toLowerCase())).sort(byRank);
    return [...fresh, ...older].slice(0, Math.max(this.cap, fresh.length)).sort(byRank);
  }

  /** Up to `limit` recipients whose address, or a word of whose name, starts with the query; best ranked first. */
  async suggest(query: string, limit = 8): Promise<Mailbox[]> {
    const q = fold(query.trim());
    if (!q) return [];
    // The whole name or address, or any word of either ("smith" finds john.smith@example.com).
    const words = (r: Recent) => [fold(r.name), fold(r.address), ...fold(`${r.name} ${r.address}`).split(/[^\p{L}\p{N}]+/u)];
    const matches = (r: Recent) => words(r).some((w) => w.startsWith(q));
    // The uses recorded so far count, written or not (a write running now has taken its uses out of `pending`).
    await this.writing;
    let list = await this.read();
    for (const use of this.pending) list = this.counted(list, use.mailboxes, use.at);
    return list
      .filter(matches)
      .sort(byRank)
      .slice(0, limit)
      .map(({ name, address }) => ({ name, address }));
  }
}
