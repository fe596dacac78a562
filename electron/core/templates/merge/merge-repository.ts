import type { ErrorInfo, ErrorText, Phrase } from '../../../../shared/errors';
import { sayText } from '../../../../shared/i18n/errors/say';
import { FINAL_STATES, type OutboxItem, type OutboxState } from '../../../../shared/model/outbox';
import type { MergeCounts, MergeReportRow, MergeRowState, MergeState, Throttle } from '../../../../shared/model/merge';
import type { DatabaseSync, StatementSync } from '../../db/sqlite';
import type { TemplateFields } from '../message-template';
import { MERGE_TRANSITIONS, type MergeTransition } from './merge-transitions';
import type { ColumnMap } from './row-plan';

/** What a merge sends from, fixed at its start: a resume sends exactly what was checked. */
export interface MergeSpec {
  subject: string;
  template: TemplateFields;
  /** Files every message carries (paths). */
  files: string[];
  columns: ColumnMap;
  /** The data file's folder (a row's own files are named relative to it). */
  folder?: string;
  locale: 'en' | 'ru' | 'es';
  throttle: Throttle;
  /** Rows found invalid and skipped when it started (skip-invalid). */
  skippedAtStart?: number;
}

export interface MergeRecord {
  id: string;
  createdAt: number;
  accountId: string;
  state: MergeState;
  spec: MergeSpec;
  total: number;
  intervalMs: number;
  nextAt: number;
  owner: string | null;
  leaseUntil: number | null;
  /** Why it was paused by itself (not by the user). */
  error?: ErrorInfo;
}

export interface PendingRow {
  row: number;
  data: Record<string, unknown>;
}

export interface NewRow {
  row: number;
  address: string;
  data: Record<string, unknown>;
  /** Why it is skipped (an invalid row of a merge started with skip-invalid). */
  problem?: SkipReason;
}

/** Why a row was skipped: in English (the command line, --json) and as catalogue phrases, for each reader's language. */
export interface SkipReason {
  en: string;
  text?: ErrorText;
}

const textOf = (p: SkipReason) => (p.text ? JSON.stringify(p.text) : null);

/** A row's refusal (a phrase of the check) as the reason it is skipped. */
export const skipReason = (problem: Phrase): SkipReason => ({ en: sayText('en', problem), text: { message: [problem], hint: [] } });

interface MergeSqlRow {
  id: string;
  created_at: number;
  account_id: string;
  state: string;
  spec: string;
  total: number;
  interval_ms: number;
  next_at: number;
  owner: string | null;
  lease_until: number | null;
  error: string | null;
}

const inList = (states: readonly string[]) => states.map((s) => `'${s}'`).join(', ');
/** A queued row whose message is still on its way (nothing more happens to the others by itself). */
const IN_FLIGHT = `i.state NOT IN (${inList(FINAL_STATES)})`;

/** An outbox item of a merge as its runner follows it. */
export interface ItemState {
  itemId: string;
  state: OutboxState;
  dueAt?: string;
  error?: ErrorInfo;
}

interface ItemRow {
  id: string;
  state: string;
  due_at: number | null;
  error: string | null;
}

const toItemState = (r: ItemRow): ItemState => ({
  itemId: r.id,
  state: r.state as OutboxState,
  ...(r.due_at !== null ? { dueAt: new Date(r.due_at).toISOString() } : {}),
  ...(r.error ? { error: JSON.parse(r.error) as ErrorInfo } : {}),
});

/** Nothing more happens to an item in these states by itself. */
export const SETTLED: readonly OutboxState[] = FINAL_STATES;

const toRecord = (r: MergeSqlRow): MergeRecord => ({
  id: r.id,
  createdAt: r.created_at,
  accountId: r.account_id,
  state: r.state as MergeState,
  spec: JSON.parse(r.spec) as MergeSpec,
  total: r.total,
  intervalMs: r.interval_ms,
  nextAt: r.next_at,
  owner: r.owner,
  leaseUntil: r.lease_until,
  ...(r.error ? { error: JSON.parse(r.error) as ErrorInfo } : {}),
});

/**
 * A merge's SQL: the merge, its rows, and their join with the outbox items they became. Writes
 * run in the caller's transaction (Database.write); each change is conditional, so two
 * processes never both queue a row or both run a merge.
 */
export class MergeRepository {
  private readonly statements = new Map<string, StatementSync>();

  constructor(private readonly connection: () => DatabaseSync) {}

  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.connection().prepare(text)));
    return statement;
  }

  create(m: Omit<MergeRecord, 'owner' | 'leaseUntil' | 'error'>, rows: NewRow[]): void {
    this.sql(`INSERT INTO merges (id, created_at, account_id, state, spec, total, interval_ms, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(m.id, m.createdAt, m.accountId, m.state, JSON.stringify(m.spec), m.total, m.intervalMs, m.nextAt);
    const insert = this.sql(`INSERT INTO merge_rows (merge_id, row_no, state, address, data, problem, problem_text) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    for (const r of rows) insert.run(m.id, r.row, r.problem === undefined ? 'pending' : 'skipped', r.address, JSON.stringify(r.data), r.problem?.en ?? null, r.problem ? textOf(r.problem) : null);
  }

  get(id: string): MergeRecord | undefined {
    const row = this.sql(`SELECT * FROM merges WHERE id = ?`).get(id) as MergeSqlRow | undefined;
    return row && toRecord(row);
  }

  /** What a runner looks at on each turn: the state and the pace (not the spec, parsed once). */
  pace(id: string): Pick<MergeRecord, 'state' | 'intervalMs' | 'nextAt'> | undefined {
    const r = this.sql(`SELECT state, interval_ms, next_at FROM merges WHERE id = ?`).get(id) as { state: string; interval_ms: number; next_at: number } | undefined;
    return r && { state: r.state as MergeState, intervalMs: r.interval_ms, nextAt: r.next_at };
  }

  list(): MergeRecord[] {
    return (this.sql(`SELECT * FROM merges ORDER BY created_at DESC, id DESC`).all() as unknown as MergeSqlRow[]).map(toRecord);
  }

  /** A change of state the table allows from the state it is in now; false when it does not. */
  change(id: string, action: MergeTransition): boolean {
    const { from, to } = MERGE_TRANSITIONS[action];
    return Number(this.sql(`UPDATE merges SET state = ?, error = NULL WHERE id = ? AND state IN (${inList(from)})`).run(to, id).changes) === 1;
  }

  /** Running merges nobody answers for now (their runner ended, or died): to be taken up. */
  orphans(now: number): string[] {
    return (this.sql(`SELECT id FROM merges WHERE state = 'running' AND (lease_until IS NULL OR lease_until < ?)`).all(now) as Array<{ id: string }>).map((r) => r.id);
  }

  /** This process runs the merge until `until` (renewed as it goes); false when another does. */
  takeLease(id: string, owner: string, until: number, now: number): boolean {
    return Number(this.sql(`UPDATE merges SET owner = ?, lease_until = ? WHERE id = ? AND state = 'running' AND (owner IS NULL OR owner = ? OR lease_until IS NULL OR lease_until < ?)`).run(owner, until, id, owner, now).changes) === 1;
  }

  releaseLease(id: string, owner: string): void {
    this.sql(`UPDATE merges SET owner = NULL, lease_until = NULL WHERE id = ? AND owner = ?`).run(id, owner);
  }

  /** The next rows to queue, in order. */
  pending(id: string, limit: number): PendingRow[] {
    return (this.sql(`SELECT row_no, data FROM merge_rows WHERE merge_id = ? AND state = 'pending' ORDER BY row_no LIMIT ?`).all(id, limit) as Array<{ row_no: number; data: string }>).map((r) => ({ row: r.row_no, data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  /**
   * A row became outbox item `itemId`: in the transaction that inserts the item, so both are or
   * neither is. Throws when the row is no longer pending (another process queued it, or the merge
   * was cancelled): the item's insert is undone with it.
   */
  markQueued(id: string, row: number, itemId: string, now: number, nextAt: number, owner: string): void {
    const changed = this.sql(`UPDATE merge_rows SET state = 'queued', item_id = ?, queued_at = ? WHERE merge_id = ? AND row_no = ? AND state = 'pending' AND EXISTS (SELECT 1 FROM merges WHERE id = ? AND state = 'running' AND owner = ?)`).run(itemId, now, id, row, id, owner);
    if (Number(changed.changes) !== 1) throw new RowTaken(id, row);
    // Without a pace the next row may go at once: the merge's row (its spec ~4 KB) is not rewritten for it.
    if (nextAt > now) this.sql(`UPDATE merges SET next_at = ? WHERE id = ?`).run(nextAt, id);
  }

  /** A row that can no longer become its message (a file changed since the check): skipped, with why. */
  skip(id: string, row: number, problem: SkipReason): void {
    this.sql(`UPDATE merge_rows SET state = 'skipped', problem = ?, problem_text = ? WHERE merge_id = ? AND row_no = ? AND state = 'pending'`).run(problem.en, textOf(problem), id, row);
  }

  /** Stopped for what the user must see to (the account gone, a full disk): paused, with the error. */
  pauseWith(id: string, error: ErrorInfo): void {
    this.sql(`UPDATE merges SET state = 'paused', error = ? WHERE id = ? AND state = 'running'`).run(JSON.stringify(error), id);
  }

  /** Slower after the server said it was busy. */
  setPace(id: string, intervalMs: number, nextAt: number): void {
    this.sql(`UPDATE merges SET interval_ms = ?, next_at = ? WHERE id = ?`).run(intervalMs, nextAt, id);
  }

  /** Rows not yet queued are cancelled with their merge. */
  cancelPending(id: string): number {
    return Number(this.sql(`UPDATE merge_rows SET state = 'cancelled' WHERE merge_id = ? AND state = 'pending'`).run(id).changes);
  }

  /** The outbox items of a merge that have not settled (every queued row looked at: at a runner's start, or a cancel). */
  inFlight(id: string): ItemState[] {
    return (this.sql(`SELECT i.id, i.state, i.due_at, json_extract(i.item, '$.error') AS error FROM merge_rows r JOIN outbox_items i ON i.id = r.item_id WHERE r.merge_id = ? AND r.state = 'queued' AND ${IN_FLIGHT}`).all(id) as unknown as ItemRow[]).map(toItemState);
  }

  /** Where these outbox items are now (a runner follows the few it has on their way, not every row). */
  states(itemIds: readonly string[]): ItemState[] {
    // Driven from the list (each id looked up by the primary key), not a scan of every item.
    return (this.sql(`SELECT i.id, i.state, i.due_at, json_extract(i.item, '$.error') AS error FROM json_each(?) AS j CROSS JOIN outbox_items AS i ON i.id = j.value`).all(JSON.stringify(itemIds)) as unknown as ItemRow[]).map(toItemState);
  }

  /** How many messages merges of this account queued since `since` (a provider's daily limit counts them). */
  queuedSince(accountId: string, since: number): { count: number; oldest?: number } {
    const r = this.sql(`SELECT count(*) AS n, min(r.queued_at) AS oldest FROM merge_rows r JOIN merges m ON m.id = r.merge_id WHERE m.account_id = ? AND r.queued_at >= ?`).get(accountId, since) as { n: number; oldest: number | null };
    return { count: r.n, ...(r.oldest !== null ? { oldest: r.oldest } : {}) };
  }

  counts(id: string): MergeCounts {
    const rows = this.sql(`SELECT r.state AS row_state, i.state AS item_state, count(*) AS n FROM merge_rows r LEFT JOIN outbox_items i ON i.id = r.item_id WHERE r.merge_id = ? GROUP BY 1, 2`).all(id) as Array<{ row_state: string; item_state: string | null; n: number }>;
    const counts: MergeCounts = { pending: 0, inFlight: 0, sent: 0, failed: 0, unknown: 0, skipped: 0, cancelled: 0 };
    for (const r of rows) {
      const state = (r.row_state === 'queued' ? r.item_state : r.row_state) ?? 'pending';
      counts[bucketOf(state as MergeRowState)] += r.n;
    }
    return counts;
  }

  report(id: string): MergeReportRow[] {
    const rows = this.sql(`SELECT r.row_no, r.address, r.state, r.item_id, r.problem, r.problem_text, i.state AS item_state, i.item FROM merge_rows r LEFT JOIN outbox_items i ON i.id = r.item_id WHERE r.merge_id = ? ORDER BY r.row_no`).all(id) as Array<{ row_no: number; address: string; state: string; item_id: string | null; problem: string | null; problem_text: string | null; item_state: string | null; item: string | null }>;
    return rows.map((r) => {
      const item = r.item ? (JSON.parse(r.item) as Partial<OutboxItem>) : undefined;
      const out: MergeReportRow = { row: r.row_no, address: r.address, state: (r.state === 'queued' ? r.item_state : r.state) as MergeRowState };
      if (r.item_id) out.itemId = r.item_id;
      if (item?.messageId) out.messageId = item.messageId;
      if (item?.response) out.response = item.response;
      if (item?.error) out.error = item.error as ErrorInfo;
      if (r.problem) out.problem = r.problem;
      if (r.problem_text) out.problemText = JSON.parse(r.problem_text) as ErrorText;
      return out;
    });
  }
}

/** Which count of the status a row's state adds to. */
export function bucketOf(state: MergeRowState): keyof MergeCounts {
  switch (state) {
    case 'pending':
      return 'pending';
    case 'skipped':
      return 'skipped';
    case 'cancelled':
      return 'cancelled';
    case 'sent':
    case 'partially-delivered':
      return 'sent';
    case 'failed':
    case 'needs-sign-in':
      return 'failed';
    case 'outcome-unknown':
      return 'unknown';
    default:
      return 'inFlight';
  }
}

/** A row already queued (or no longer this process's to queue): its item must not be written. */
export class RowTaken extends Error {
  constructor(
    readonly mergeId: string,
    readonly row: number,
  ) {
    super(`row ${row} of ${mergeId} is no longer pending here`);
    this.name = 'RowTaken';
  }
}
