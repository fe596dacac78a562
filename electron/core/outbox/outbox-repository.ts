import type { ErrorInfo } from '../../../shared/errors';
import type { OutboxItem, OutboxState } from '../../../shared/model/outbox';
import type { DatabaseSync, StatementSync } from '../db/sqlite';
import { diedBeforeSending } from './outcome';
import { TRANSITIONS, type Transition } from './transitions';

/** One delivery attempt's hold on a message: the process, the attempt, and until when it answers for it. */
export interface Lease {
  owner: string;
  attempt: string;
  until: number;
}

/** A change the item's state did not allow; `busy` when it is being sent under another lease. */
export interface Refused {
  refused: OutboxItem;
  busy: boolean;
}

interface Row {
  id: string;
  state: string;
  due_at: number | null;
  overdue: number;
  item: string;
}

/** What the columns hold is not repeated in the JSON: the columns are the truth. */
type Stored = Omit<OutboxItem, 'state' | 'dueAt' | 'overdue'>;

const toItem = (row: Row): OutboxItem => {
  const item = JSON.parse(row.item) as OutboxItem;
  item.state = row.state as OutboxState;
  if (row.due_at !== null) item.dueAt = new Date(row.due_at).toISOString();
  if (row.overdue) item.overdue = true;
  return item;
};

const toStored = (item: OutboxItem): string => {
  const { state: _state, dueAt: _dueAt, overdue: _overdue, ...rest } = item;
  return JSON.stringify(rest satisfies Stored);
};

const dueAtOf = (item: OutboxItem) => (item.dueAt ? Date.parse(item.dueAt) : null);
const inList = (states: readonly string[]) => states.map((s) => `'${s}'`).join(', ');
const WAITING_TO_START = inList(TRANSITIONS.start.from);
/** A message waiting to start (not overdue): the condition of the index outbox_items_waiting, word for word. */
const WAITING = `state IN (${WAITING_TO_START}) AND overdue = 0`;
/**
 * Named, not left to the planner: without statistics it took (state, due_at) and read and sorted
 * every waiting row on each take (bench/throughput.ts). A state list that no longer matches the
 * index's fails here, at prepare, rather than slowing down unseen.
 */
const BY_DUE_TIME = 'INDEXED BY outbox_items_waiting';
const COLUMNS = 'id, state, due_at, overdue, item';
/** A message whose sender died before its final dot this many times is left to the user, not tried again: it may be what kills its sender. */
const MAX_SILENT_RETRIES = 5;
/** The lease a statement names is the one the row is held under (or the row is not being sent). */
const UNDER_LEASE = `(state <> 'sending' OR (owner IS ? AND attempt IS ?))`;

/**
 * The outbox's SQL, over the data directory's database. Every method is synchronous; writes run
 * inside the caller's transaction (GroupCommit), and each change is conditional in SQL on what it
 * was decided from, so no other process's change in between can be written over.
 */
export class OutboxRepository {
  private readonly statements = new Map<string, StatementSync>();

  /** The connection, or how to get it: a database opened on first use, so a core starts even where it cannot be. */
  constructor(private readonly connection: DatabaseSync | (() => DatabaseSync)) {}

  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    const db = typeof this.connection === 'function' ? this.connection() : this.connection;
    if (!statement) this.statements.set(text, (statement = db.prepare(text)));
    return statement;
  }

  /**
   * A new message, committed whole: its row, its bytes when they are kept here (see
   * MessageBytes), and the draft kept beside it. One built to be sent at once is under its
   * builder's lease from the start. `ifAbsent`: an id already here is left as it is (an import run
   * again); returns whether the row was written.
   */
  insert(item: OutboxItem, lease?: Lease, extra: { bytes?: Uint8Array; keptDraft?: string; ifAbsent?: boolean } = {}): boolean {
    const written = this.sql(
      `INSERT ${extra.ifAbsent ? 'OR IGNORE ' : ''}INTO outbox_items (id, state, due_at, overdue, account_id, created_at, owner, attempt, lease_until, retry_safe, item)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(item.id, item.state, dueAtOf(item), item.overdue ? 1 : 0, item.accountId, Date.parse(item.createdAt), lease?.owner ?? null, lease?.attempt ?? null, lease?.until ?? null, lease ? 1 : 0, toStored(item));
    if (!Number(written.changes)) return false;
    if (extra.bytes) this.sql(`INSERT INTO outbox_bytes (id, bytes) VALUES (?, ?)`).run(item.id, extra.bytes);
    if (extra.keptDraft !== undefined) this.sql(`INSERT INTO outbox_kept_drafts (id, kept) VALUES (?, ?)`).run(item.id, extra.keptDraft);
    this.remember(item.id, Date.parse(item.createdAt), 'queued', null, item.state);
    return true;
  }

  /** A message's bytes, when they are kept in the database (undefined: they are a file). */
  bytes(id: string): Uint8Array | undefined {
    return (this.sql(`SELECT bytes FROM outbox_bytes WHERE id = ?`).get(id) as { bytes: Uint8Array } | undefined)?.bytes;
  }

  /** The draft kept beside a waiting message (to give it back on undo or edit). */
  keptDraft(id: string): string | undefined {
    return (this.sql(`SELECT kept FROM outbox_kept_drafts WHERE id = ?`).get(id) as { kept: string } | undefined)?.kept;
  }

  private dropKeptDraft(id: string): void {
    this.sql(`DELETE FROM outbox_kept_drafts WHERE id = ?`).run(id);
  }

  /** A damaged database was replaced: message files are to be brought back, not removed (see rescueMessages). */
  markRescuePending(now: number): void {
    this.sql(`INSERT INTO outbox_rescue_pending (since) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM outbox_rescue_pending)`).run(now);
  }

  /** Since when message files are to be brought back (undefined: none are). */
  rescuePending(): number | undefined {
    return (this.sql(`SELECT min(since) AS since FROM outbox_rescue_pending`).get() as { since: number | null }).since ?? undefined;
  }

  rescueDone(): void {
    this.sql(`DELETE FROM outbox_rescue_pending`).run();
  }

  /** Every draft kept beside a waiting message. */
  keptDrafts(): string[] {
    return (this.sql(`SELECT kept FROM outbox_kept_drafts`).all() as Array<{ kept: string }>).map((r) => r.kept);
  }

  /** Whether a message (by id) is in the outbox at all: files without a row are a build that never committed. */
  has(id: string): boolean {
    return !!this.sql(`SELECT 1 FROM outbox_items WHERE id = ?`).get(id);
  }

  /**
   * What came due while nothing was sending (held or scheduled, due by `now`, not asked for since):
   * marked overdue, to wait for the user. Returns them.
   */
  markOverdue(now: number): OutboxItem[] {
    const rows = this.sql(
      `UPDATE outbox_items SET overdue = 1, item = json_set(item, '$.updatedAt', ?)
       WHERE state IN (${inList(TRANSITIONS.markOverdue.from)}) AND overdue = 0 AND due_at <= ?
         AND coalesce(json_extract(item, '$.sendAtNextRun'), 0) = 0
       RETURNING ${COLUMNS}`,
    ).all(new Date(now).toISOString(), now) as unknown as Row[];
    const items = rows.map(toItem);
    for (const item of items) this.remember(item.id, now, 'markOverdue', item.state, item.state);
    return items;
  }

  /** This process sends due mail by itself until `until` (renewed on each look). */
  keepRunner(owner: string, until: number): void {
    this.sql(`INSERT INTO outbox_runners (owner, until) VALUES (?, ?) ON CONFLICT (owner) DO UPDATE SET until = excluded.until`).run(owner, until);
  }

  dropRunner(owner: string): void {
    this.sql(`DELETE FROM outbox_runners WHERE owner = ?`).run(owner);
  }

  /** Whether a process other than `owner` sends due mail by itself now. */
  otherRunnerAt(now: number, owner: string): boolean {
    return !!this.sql(`SELECT 1 FROM outbox_runners WHERE until >= ? AND owner <> ?`).get(now, owner);
  }

  get(id: string): OutboxItem | undefined {
    const row = this.sql(`SELECT ${COLUMNS} FROM outbox_items WHERE id = ?`).get(id) as Row | undefined;
    return row && toItem(row);
  }

  /**
   * Apply `action` to an item: `make` says what it becomes from what it is. Refused when the
   * table does not allow it, or when the item is being sent under a lease other than `lease`.
   * Undefined when there is no such item. A message leaving "sending" lets go of its lease.
   */
  change(id: string, action: Transition, make: (current: OutboxItem) => OutboxItem, lease?: Lease): OutboxItem | Refused | undefined {
    const row = this.sql(`SELECT ${COLUMNS}, owner, attempt FROM outbox_items WHERE id = ?`).get(id) as (Row & { owner: string | null; attempt: string | null }) | undefined;
    if (!row) return undefined;
    const current = toItem(row);
    const busy = current.state === 'sending' && (row.owner !== lease?.owner || row.attempt !== lease?.attempt);
    const { from, to } = TRANSITIONS[action] as { from: readonly OutboxState[]; to: readonly OutboxState[] | 'same' };
    if (busy || !from.includes(current.state)) return { refused: current, busy };
    const next = make(current);
    if (to === 'same' ? next.state !== current.state : !to.includes(next.state)) throw new Error(`${action} may not make ${id} ${next.state}`);
    // A message starts sending only under a new attempt's lease (claimDue, or insert with a lease); every change here leaves or avoids "sending".
    if (next.state === 'sending') throw new Error(`${action}: a message starts sending only under a lease of its own`);
    const written = this.sql(
      `UPDATE outbox_items SET state = ?, due_at = ?, overdue = ?, item = ?, owner = NULL, attempt = NULL, lease_until = NULL, retry_safe = 0
       WHERE id = ? AND state = ? AND ${UNDER_LEASE} RETURNING id`,
    ).get(next.state, dueAtOf(next), next.overdue ? 1 : 0, toStored(next), id, current.state, lease?.owner ?? null, lease?.attempt ?? null);
    if (!written) return { refused: current, busy: false };
    // Cancelled (undone, taken back to edit, or cancelled): its kept draft is no longer needed, nor the files behind it.
    if (next.state === 'cancelled') this.dropKeptDraft(id);
    this.remember(id, Date.parse(next.updatedAt), action, current.state, next.state);
    return next;
  }

  /**
   * Take up to `limit` items due by `now`, oldest due first, each under a lease of `owner`'s
   * with an attempt of its own. Read and taken in the caller's write transaction, so of two
   * processes looking at once each item goes to one of them.
   */
  claimDue(now: number, owner: string, until: number, limit: number): Array<{ item: OutboxItem; lease: Lease }> {
    const due = this.sql(`SELECT id, state FROM outbox_items ${BY_DUE_TIME} WHERE ${WAITING} AND due_at <= ? ORDER BY due_at LIMIT ?`).all(now, limit) as Array<{ id: string; state: OutboxState }>;
    const take = this.sql(
      `UPDATE outbox_items SET state = 'sending', due_at = NULL, owner = ?, attempt = lower(hex(randomblob(16))), lease_until = ?, retry_safe = 1,
         item = json_set(item, '$.attempts', coalesce(json_extract(item, '$.attempts'), 0) + 1, '$.updatedAt', ?)
       WHERE id = ? AND state = ? RETURNING ${COLUMNS}, attempt`,
    );
    const taken: Array<{ item: OutboxItem; lease: Lease }> = [];
    for (const { id, state } of due) {
      const row = take.get(owner, until, new Date(now).toISOString(), id, state) as (Row & { attempt: string }) | undefined;
      if (!row) continue;
      // From here it is being sent: an undo or an edit can no longer take its draft back.
      this.dropKeptDraft(id);
      taken.push({ item: toItem(row), lease: { owner, attempt: row.attempt, until } });
      this.remember(id, now, 'start', state, 'sending');
    }
    return taken;
  }

  /**
   * Keep answering for `owner`'s running attempts. The attempt id is the proof: a lease that ran out
   * (a machine asleep) is renewed if no other process has taken the message over meanwhile.
   */
  renewLeases(owner: string, attempts: readonly string[], until: number): number {
    return Number(this.sql(`UPDATE outbox_items SET lease_until = ? WHERE state = 'sending' AND owner = ? AND attempt IN (SELECT value FROM json_each(?))`).run(until, owner, JSON.stringify(attempts)).changes);
  }

  /**
   * Messages whose sender stopped answering for them by `now` (a process that died or froze), in one
   * statement; `alive`: the attempts the process asking is running, which it knows are alive (a
   * clock that jumped after a sleep must not make it give up on them). One past the point of no
   * return becomes `outcome-unknown` with `unknown` as its error, since its bytes may have reached
   * the server (the user decides); one before it is retried. Returns them as they are now.
   */
  expireLeases(now: number, unknown: ErrorInfo, alive: readonly string[] = []): OutboxItem[] {
    // Still retry-safe (its attempt had not let its final dot go): the server cannot have taken the
    // message, so it is tried again, due now — unless its senders died with it this often (it may
    // be what kills them) or its deadline passed: then it failed, never sent. Otherwise the server
    // may have it: outcome unknown.
    // (SET reads the row as it was: each CASE sees the old values.)
    const silent = `coalesce(json_extract(item, '$.silentRetries'), 0)`;
    const retry = `retry_safe = 1 AND ${silent} < ${MAX_SILENT_RETRIES} AND (json_extract(item, '$.giveUpAt') IS NULL OR json_extract(item, '$.giveUpAt') > $iso)`;
    const rows = this.sql(
      `UPDATE outbox_items SET
         state = CASE WHEN ${retry} THEN 'retrying' WHEN retry_safe = 1 THEN 'failed' ELSE 'outcome-unknown' END,
         due_at = CASE WHEN ${retry} THEN $now ELSE NULL END,
         item = CASE WHEN ${retry} THEN json_set(json_remove(item, '$.error'), '$.sendAtNextRun', json('true'), '$.silentRetries', ${silent} + 1, '$.updatedAt', $iso)
                WHEN retry_safe = 1 THEN json_set(item, '$.error', json($died), '$.updatedAt', $iso)
                ELSE json_set(item, '$.error', json($unknown), '$.updatedAt', $iso) END,
         owner = NULL, attempt = NULL, lease_until = NULL, retry_safe = 0
       WHERE state = 'sending' AND lease_until < $now AND attempt NOT IN (SELECT value FROM json_each($alive)) RETURNING ${COLUMNS}`,
    ).all({ now, iso: new Date(now).toISOString(), unknown: JSON.stringify(unknown), died: JSON.stringify(diedBeforeSending(MAX_SILENT_RETRIES)), alive: JSON.stringify(alive) }) as unknown as Row[];
    const items = rows.map(toItem);
    for (const item of items) this.remember(item.id, now, 'leaseExpired', 'sending', item.state);
    return items;
  }

  /**
   * The attempt under `lease` may now end the message with its final dot (the point of no
   * return): from here a process that dies leaves it outcome-unknown. False when the lease is no
   * longer this attempt's (another process took the message over): then it must not be ended.
   */
  passNoReturn(id: string, lease: Lease): boolean {
    return Number(this.sql(`UPDATE outbox_items SET retry_safe = 0 WHERE id = ? AND state = 'sending' AND owner = ? AND attempt = ?`).run(id, lease.owner, lease.attempt).changes) === 1;
  }

  /** The items in `state` (by the state index: no reading of the rest). */
  inState(state: OutboxState): OutboxItem[] {
    return (this.sql(`SELECT ${COLUMNS} FROM outbox_items WHERE state = ?`).all(state) as unknown as Row[]).map(toItem);
  }

  /** The accounts with mail waiting for a sign-in. */
  accountsWaitingForSignIn(): string[] {
    return (this.sql(`SELECT DISTINCT account_id AS id FROM outbox_items WHERE state = 'needs-sign-in'`).all() as Array<{ id: string }>).map((r) => r.id);
  }

  /** When the next waiting item falls due (not counting those waiting for the user). */
  nextDue(): number | undefined {
    const row = this.sql(`SELECT min(due_at) AS at FROM outbox_items ${BY_DUE_TIME} WHERE ${WAITING}`).get() as { at: number | null };
    return row.at ?? undefined;
  }

  /** Items newest first, `limit` at a time; `after` is the last item of the page before. */
  page(limit: number, after?: { createdAt: string; id: string }): OutboxItem[] {
    const rows = after
      ? this.sql(`SELECT ${COLUMNS} FROM outbox_items WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?`).all(Date.parse(after.createdAt), after.id, limit)
      : this.sql(`SELECT ${COLUMNS} FROM outbox_items ORDER BY created_at DESC, id DESC LIMIT ?`).all(limit);
    return (rows as unknown as Row[]).map(toItem);
  }

  /** What every item's section is chosen by, newest first: three columns, not the whole item (the overview of 10,000). */
  groupKeys(): Array<{ id: string; state: OutboxState; overdue?: boolean; takenBack?: boolean }> {
    const rows = this.sql(`SELECT id, state, overdue, CASE WHEN state = 'cancelled' THEN json_extract(item, '$.takenBack') END AS taken_back FROM outbox_items ORDER BY created_at DESC, id DESC`).all() as Array<{ id: string; state: OutboxState; overdue: number; taken_back: number | null }>;
    return rows.map((r) => ({ id: r.id, state: r.state, ...(r.overdue ? { overdue: true } : {}), ...(r.taken_back ? { takenBack: true } : {}) }));
  }

  /** These items, newest first. */
  some(ids: readonly string[]): OutboxItem[] {
    return (this.sql(`SELECT ${COLUMNS} FROM outbox_items WHERE id IN (SELECT value FROM json_each(?)) ORDER BY created_at DESC, id DESC`).all(JSON.stringify(ids)) as unknown as Row[]).map(toItem);
  }

  /** An item's changes, oldest first. */
  history(id: string): Array<{ at: number; action: string; from: OutboxState | null; to: OutboxState }> {
    return this.sql(`SELECT at, action, from_state AS "from", to_state AS "to" FROM outbox_history WHERE item_id = ? ORDER BY rowid`).all(id) as unknown as Array<{ at: number; action: string; from: OutboxState | null; to: OutboxState }>;
  }

  private remember(id: string, at: number, action: string, from: OutboxState | null, to: OutboxState): void {
    this.sql(`INSERT INTO outbox_history (item_id, at, action, from_state, to_state) VALUES (?, ?, ?, ?, ?)`).run(id, at, action, from, to);
  }
}
