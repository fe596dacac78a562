import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { AddressObject } from 'mailparser';
import type { OutboxItem } from '../../../shared/model/outbox';
import { byNewest } from '../../../shared/model/outbox-groups';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { errorInfo, storageFailed } from '../errors';
import { fsyncDir, readJsonFile, removeStaleTemps, writeFileAtomic } from '../fs/atomic-file';
import { FILES_AT_ONCE, inBatches } from '../fs/in-batches';
import { claimBinds, claimHeld, removeStaleClaim, takeClaim } from '../fs/claim-file';
import { SentIndex } from './sent-index';

const exists = (path: string) => fs.access(path).then(() => true, () => false);

/** unlink, and fine if it is gone: fs.rm({ force }) costs an lstat first, three times per message sent. */
const removeIfThere = (path: string) =>
  fs.unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });

/** How old an atomic write's temp file must be before start-up repair takes it for a crash's leftover. */
const STALE_MS = 5 * 60_000;


/**
 * The outbox on disk, the Maildir way. Each message is `ID.eml` (the exact bytes to send) plus
 * `ID.json` (its state). A message is built into `outbox/tmp/`, fsynced and renamed into
 * `outbox/`; writing its sidecar is the commit point — before that it does not exist for anyone.
 * Sent messages move to `sent/`: the final state is written there first, then the `.eml` follows
 * and the outbox's sidecar goes, so a crash at any step is finished by `recover()`; while both
 * sidecars exist, the one in `sent/` is the truth.
 */
export class OutboxStore {
  readonly outboxDir: string;
  readonly sentDir: string;
  readonly tmpDir: string;
  private readonly reopenedDir: string;
  /** The folders exist (made once per process; a failure is not remembered, so the next call tries again). */
  private made: Promise<void> | undefined;
  /** outbox/'s sidecars as last read, and the folder's version then (see queuedItems()). */
  private queuedCache: { version: string; items: OutboxItem[] } | undefined;
  private readonly sentIndex: SentIndex;

  constructor(dataDir: string) {
    this.reopenedDir = join(dataDir, 'reopened');
    this.outboxDir = join(dataDir, 'outbox');
    this.sentDir = join(dataDir, 'sent');
    this.tmpDir = join(this.outboxDir, 'tmp');
    this.sentIndex = new SentIndex(this.sentDir);
  }

  init(): Promise<void> {
    // Once, not per message: two mkdir calls per enqueue were measurable in a mail merge (bench/throughput.ts).
    this.made ??= (async () => {
      for (const dir of [this.tmpDir, this.sentDir]) await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    })().catch((err: unknown) => {
      this.made = undefined;
      throw err;
    });
    return this.made;
  }

  /** Time-ordered, unguessable ids. */
  newId(now: Date): string {
    return `${now.getTime().toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`;
  }

  /** The draft kept while a message can still be undone. */
  draftPath(id: string) {
    return join(this.outboxDir, `${id}.draft.json`);
  }

  /** A fresh folder for the attachments of a message opened again as a draft. */
  filesDirFor(id: string): string {
    return join(this.reopenedDir, `${id}-${randomBytes(4).toString('hex')}`);
  }

  /** Every draft kept beside a waiting message. */
  async keptDraftPaths(): Promise<string[]> {
    const names = await fs.readdir(this.outboxDir).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.draft.json')).map((n) => join(this.outboxDir, n));
  }

  async dropDraft(id: string): Promise<void> {
    await removeIfThere(this.draftPath(id));
  }

  /**
   * Claim an item for one delivery attempt, across processes (the app and a CLI may share the
   * outbox): only the claimant may send it. A claim left by a dead process is taken over.
   * Returns a release function, or undefined when another live process holds it.
   */
  claim(id: string): Promise<(() => Promise<void>) | undefined> {
    return takeClaim(this.claimPath(id));
  }

  claimPath(id: string) {
    return join(this.outboxDir, `${id}.claim`);
  }

  /** Remove every file of a message that was never committed (its build failed half-way). */
  async discard(id: string): Promise<void> {
    for (const path of [this.tmpPath(id), join(this.outboxDir, `${id}.json`), join(this.outboxDir, `${id}.eml`), this.draftPath(id)]) {
      await fs.rm(path, { force: true }).catch(() => undefined);
    }
  }

  tmpPath(id: string) {
    return join(this.tmpDir, `${id}.eml`);
  }

  emlPath(item: Pick<OutboxItem, 'id' | 'state'>) {
    return join(item.state === 'sent' ? this.sentDir : this.outboxDir, `${item.id}.eml`);
  }

  /** Move a fully written and fsynced message from tmp/ into the outbox, then commit its sidecar. */
  async commit(item: OutboxItem): Promise<void> {
    try {
      await fs.rename(this.tmpPath(item.id), join(this.outboxDir, `${item.id}.eml`));
      await fsyncDir(this.outboxDir);
      await this.save(item);
    } catch (err) {
      throw storageFailed('outbox', err);
    }
  }

  /** Write an item's state durably, in the folder where it lives. */
  async save(item: OutboxItem): Promise<void> {
    await writeFileAtomic(join(item.state === 'sent' ? this.sentDir : this.outboxDir, `${item.id}.json`), JSON.stringify(item, null, 1));
  }

  /**
   * After the server accepted it: the final state goes straight into sent/ (so it is recorded before
   * anything moves), the message follows, one fsync of sent/ makes both durable, and only then is
   * the outbox's sidecar removed. Writing the state in the outbox first and moving both after took
   * two more fsyncs per message (bench/throughput.ts).
   */
  async moveToSent(item: OutboxItem): Promise<void> {
    await writeFileAtomic(join(this.sentDir, `${item.id}.json`), JSON.stringify(item, null, 1), 'file');
    await this.finishMove(item.id, 'removeOld');
  }

  /**
   * Finish a move to sent/ (also after a crash). `removeOld`: the sent/ sidecar is written and the
   * outbox's is stale. `moveOld`: the outbox's sidecar says "sent" (the way earlier builds
   * recorded it) and moves itself. Removing a stale sidecar needs no fsync: if it comes back after a crash,
   * recover() sees both and removes it again.
   */
  private async finishMove(id: string, old: 'removeOld' | 'moveOld'): Promise<void> {
    const moved = (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err; // already moved before a crash
    };
    await fs.rename(join(this.outboxDir, `${id}.eml`), join(this.sentDir, `${id}.eml`)).catch(moved);
    if (old === 'moveOld') await fs.rename(join(this.outboxDir, `${id}.json`), join(this.sentDir, `${id}.json`));
    await fsyncDir(this.sentDir);
    if (old === 'removeOld') await removeIfThere(join(this.outboxDir, `${id}.json`));
  }

  /**
   * A token that changes whenever a file is added to, replaced in or removed from outbox/ (every
   * write here is a rename, which changes the folder's mtime); undefined when the last change is too
   * recent to tell apart from one still to come (see CachedJsonFile).
   */
  private async outboxVersion(): Promise<string | undefined> {
    const s = await fs.stat(this.outboxDir, { bigint: true });
    return Number(s.mtimeMs) < Date.now() - 1000 ? `${s.ino}:${s.mtimeNs}` : undefined;
  }

  /**
   * The sidecars in `dir`. `movedTo`: where a sidecar listed in `dir` may have gone since (outbox →
   * sent/), to read it there. `complete` is false when something could not be read (EMFILE, EIO):
   * such a listing is never cached, and never taken to mean a message is absent.
   */
  private async readDir(dir: string, movedTo?: string): Promise<{ items: OutboxItem[]; complete: boolean }> {
    let complete = true;
    const unreadable = (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') complete = false;
      return undefined;
    };
    const names = (await fs.readdir(dir).catch(unreadable)) ?? [];
    const files = names.filter((n) => n.endsWith('.json') && !n.endsWith('.draft.json') && !n.startsWith('.'));
    // One unreadable sidecar (moved aside by readJsonFile, or by a concurrent reader first) must not hide the others.
    const items = await inBatches(files, FILES_AT_ONCE, async (n) => (await readJsonFile<OutboxItem>(join(dir, n)).catch(unreadable)) ?? (movedTo ? await readJsonFile<OutboxItem>(join(movedTo, n)).catch(unreadable) : undefined));
    return { items: items.filter((i): i is OutboxItem => !!i && typeof i.id === 'string'), complete };
  }

  /** An item from a message's own bytes, for one whose sidecar was lost: what the headers say, and that its state is unknown. */
  private async rebuildFromEml(id: string, dir: string, state: 'sent' | 'outcome-unknown'): Promise<OutboxItem> {
    const path = join(dir, `${id}.eml`);
    const [bytes, info] = await Promise.all([fs.readFile(path), fs.stat(path)]);
    // mailparser is loaded on first use: it was a tenth of every CLI command's start-up (bench/attachment.ts).
    const { simpleParser } = await import('mailparser');
    const parsed = await simpleParser(bytes, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
    const addresses = (field: AddressObject | AddressObject[] | undefined) =>
      (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value).flatMap((m) => (m.address ? [m.address] : []));
    const created = parseInt(id.split('-')[0] ?? '', 36);
    const now = new Date().toISOString();
    return {
      id,
      accountId: '',
      messageId: parsed.messageId ?? '',
      subject: parsed.subject ?? '',
      from: parsed.from?.text ?? '',
      sender: addresses(parsed.from)[0] ?? '',
      // Bcc is kept only in the sidecar: it cannot be recovered from the message.
      recipients: [...addresses(parsed.to), ...addresses(parsed.cc)],
      state,
      createdAt: Number.isFinite(created) ? new Date(created).toISOString() : now,
      updatedAt: now,
      attempts: 0,
      size: info.size,
      ...(state === 'sent'
        ? {}
        : {
            error: errorInfo('STORAGE_FAILED', { message: phrase('err.outbox.damagedRecord'), hint: phrase('err.outbox.damagedRecord.hint') }),
          }),
    };
  }

  /**
   * The items still in outbox/ (everything but sent ones): all the scheduler needs. Reading sent/
   * too made each look at the queue grow with the whole history (bench/scaling.ts).
   */
  listQueued(): Promise<OutboxItem[]> {
    return this.queuedItems();
  }

  /**
   * The sidecars in outbox/, read again only when the folder changed: every change here is a
   * file created, renamed or removed, which moves the folder's mtime (see outboxVersion()). Opening
   * the outbox view read thousands of files each time (bench/outbox-view.ts); a start reads them
   * once, and so does the first look after each change.
   */
  private async queuedItems(movedTo?: string): Promise<OutboxItem[]> {
    const version = await this.outboxVersion().catch(() => undefined); // before reading: a change meanwhile moves it
    if (version !== undefined && this.queuedCache?.version === version) return [...this.queuedCache.items];
    const { items, complete } = await this.readDir(this.outboxDir, movedTo);
    // A listing that missed something (a moment of EMFILE) is never remembered: the folder would not change to correct it.
    this.queuedCache = version === undefined || !complete ? undefined : { version, items };
    return [...items];
  }

  async list(): Promise<OutboxItem[]> {
    // A message that moves to sent/ while the outbox is read must not vanish from the list (it did,
    // now and then, under the load test): the outbox is read first, a sidecar gone from it is read
    // in sent/, and sent/ is read after, so each item is found at least once; by id, sent/ wins.
    const queued = await this.queuedItems(this.sentDir);
    const sent = await this.sentIndex.items();
    const byId = new Map<string, OutboxItem>();
    for (const item of [...queued, ...sent]) byId.set(item.id, item);
    return [...byId.values()].sort(byNewest);
  }

  async get(id: string): Promise<OutboxItem | undefined> {
    const queued = await readJsonFile<OutboxItem>(join(this.outboxDir, `${id}.json`));
    // "sending" or "outcome-unknown" (mark as sent) may be the stale half of a move to sent/ (see
    // moveToSent): sent/ has the truth then, or a resend could send a message recorded as sent.
    if (queued && queued.state !== 'sending' && queued.state !== 'outcome-unknown') return queued;
    return (await readJsonFile<OutboxItem>(join(this.sentDir, `${id}.json`))) ?? queued;
  }

  /**
   * Start-up repair after a crash: drop half-built messages (never committed, never sent),
   * finish interrupted moves to sent/, and report what was mid-send: the caller decides what
   * those become (never resent blindly).
   */
  async recover(): Promise<{ interrupted: OutboxItem[] }> {
    await this.init();
    // Claims of processes still running are their live work (a CLI send next to the app), not the crash's.
    const liveClaims = new Set<string>();
    for (const name of await fs.readdir(this.outboxDir)) {
      const claim = /^(.+)\.claim$/.exec(name);
      if (!claim) continue;
      const holder = await fs.readFile(join(this.outboxDir, name), 'utf8').catch(() => undefined);
      if (holder === undefined) continue; // let go of meanwhile
      if (await claimBinds(join(this.outboxDir, name), holder)) liveClaims.add(claim[1]!);
      else await removeStaleClaim(join(this.outboxDir, name), holder);
    }
    // A process that claims after the claims were read above (a CLI send starting now) must not lose
    // its files: a candidate is removed only if, at that moment, it has neither a claim nor a sidecar.
    // (Its claim comes before its files and goes only after its sidecar is written.)
    const unowned = async (id: string) => !liveClaims.has(id) && !(await exists(join(this.outboxDir, `${id}.claim`))) && !(await exists(join(this.outboxDir, `${id}.json`)));
    for (const name of await fs.readdir(this.tmpDir)) {
      if (await unowned(name.replace(/\.eml$/, ''))) await fs.rm(join(this.tmpDir, name), { force: true });
    }
    // A move to sent/ that a crash interrupted after the final state was written there: finish it.
    const inSent = new Set(await fs.readdir(this.sentDir));
    const items: OutboxItem[] = [];
    // Through the cache: when nothing needs repair (the usual start), the scheduler's first look
    // and the first list that follow read no sidecar again (4,000 files took ~200 ms each time).
    for (const item of await this.queuedItems()) {
      if (inSent.has(`${item.id}.json`)) await this.finishMove(item.id, 'removeOld');
      else {
        // The .eml moved to sent/ but the sent/ sidecar did not survive (a power cut, renames
        // reordered): the bytes go back beside the state that tells the truth.
        if (inSent.has(`${item.id}.eml`) && !(await exists(join(this.outboxDir, `${item.id}.eml`)))) await fs.rename(join(this.sentDir, `${item.id}.eml`), join(this.outboxDir, `${item.id}.eml`));
        items.push(item);
      }
    }
    const ids = new Set(items.map((i) => i.id));
    // A message whose sidecar was damaged (moved aside as ID.json.corrupt-…) still has its exact
    // bytes: it is listed again, rebuilt from them, rather than deleted as never queued below
    // (found by the storage-fault tests). In sent/ it was delivered; in the outbox, what it was
    // doing is unknown, so it waits for the user and is never sent by itself.
    for (const [dir, state] of [[this.outboxDir, 'outcome-unknown'], [this.sentDir, 'sent']] as const) {
      const names = await fs.readdir(dir);
      if (!names.some((n) => /\.json\.corrupt-\d+$/.test(n))) continue;
      // In sent/, a sidecar there by name is known: reading all of them made every start cost the whole history.
      const known = dir === this.outboxDir ? ids : new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)));
      for (const name of names) {
        const id = /^(.+)\.json\.corrupt-\d+$/.exec(name)?.[1];
        if (!id || known.has(id) || liveClaims.has(id) || !names.includes(`${id}.eml`)) continue;
        const rebuilt = await this.rebuildFromEml(id, dir, state).catch(() => undefined);
        if (!rebuilt) continue;
        await writeFileAtomic(join(dir, `${id}.json`), JSON.stringify(rebuilt, null, 1));
        known.add(id);
        if (dir === this.outboxDir) items.push(rebuilt);
      }
    }
    for (const name of await fs.readdir(this.outboxDir)) {
      // A message, or the draft kept beside it, whose sidecar was never committed: it was never queued.
      // A sidecar that is there but could not be read (EIO, EMFILE) is committed all the same.
      const m = /^(.+)\.(?:eml|draft\.json)$/.exec(name);
      if (m && !ids.has(m[1]!) && (await unowned(m[1]!))) await fs.rm(join(this.outboxDir, name), { force: true });
    }
    // Leftovers of atomic writes; young ones may be another process's write in progress.
    for (const dir of [this.outboxDir, this.sentDir]) await removeStaleTemps(dir, Date.now(), STALE_MS);
    const interrupted: OutboxItem[] = [];
    for (const item of items) {
      if (item.state === 'sent') await this.finishMove(item.id, 'moveOld');
      // Claimed now: a process that began sending it after the claims were read above (found in review).
      else if (item.state === 'sending' && !liveClaims.has(item.id) && !(await claimHeld(this.claimPath(item.id)))) interrupted.push(item);
    }
    return { interrupted };
  }
}
