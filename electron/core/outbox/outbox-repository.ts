import type { OutboxItem, OutboxState } from '../../../shared/model/outbox';
import type { DatabaseSync, StatementSync } from '../db/sqlite';
import { TRANSITIONS, type Transition } from './transitions';

/** Who is sending a message, and until when it answers for it. */
export interface Lease {
  owner: string;
  until: number;
}

/** A change the item's state did not allow: the item as it is. */
export interface Refused {
  refused: OutboxItem;
}

interface Row {
  id: string;
  state: string;
  due_at: number | null;
  overdue: number;
  past_no_return: number;
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
const COLUMNS = 'id, state, due_at, overdue, past_no_return, item';

/**
 * The outbox's SQL, over the data directory's database. Every method is synchronous and does one
 * job; writes run inside the caller's transaction (GroupCommit), which is what makes a read
 * followed by its conditional write one step for every process on the database.
 */
export class OutboxRepository {
  private readonly statements = new Map<string, StatementSync>();

  constructor(private readonly db: DatabaseSync) {}

  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }

  /** A new message, committed whole; one built to be sent at once is its builder's from the start. */
  insert(item: OutboxItem, lease?: Lease): void {
    this.sql(
      `INSERT INTO outbox_items (id, state, due_at, overdue, account_id, created_at, owner, lease_until, item)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(item.id, item.state, dueAtOf(item), item.overdue ? 1 : 0, item.accountId, Date.parse(item.createdAt), lease?.owner ?? null, lease?.until ?? null, toStored(item));
    this.remember(item.id, Date.parse(item.createdAt), 'queued', null, item.state);
  }

  get(id: string): OutboxItem | undefined {
    const row = this.sql(`SELECT ${COLUMNS} FROM outbox_items WHERE id = ?`).get(id) as Row | undefined;
    return row && toItem(row);
  }

  /**
   * Apply `action` to an item: `make` says what it becomes from what it is. Refused when the
   * table does not allow the action from the item's state, or, for a message being sent, when
   * `lease` is not the one it is sent under (another process's attempt, or one taken over).
   * Undefined when there is no such item.
   */
  change(id: string, action: Transition, make: (current: OutboxItem) => OutboxItem, lease?: Lease): OutboxItem | Refused | undefined {
    const row = this.sql(`SELECT ${COLUMNS}, owner, lease_until FROM outbox_items WHERE id = ?`).get(id) as (Row & { owner: string | null; lease_until: number | null }) | undefined;
    if (!row) return undefined;
    const current = toItem(row);
    const { from, to } = TRANSITIONS[action] as { from: readonly OutboxState[]; to: readonly OutboxState[] };
    if (!from.includes(current.state) || (current.state === 'sending' && row.owner !== (lease?.owner ?? null))) return { refused: current };
    const next = make(current);
    if (!to.includes(next.state)) throw new Error(`${action} may not make ${id} ${next.state}`);
    // Entering "sending" takes the lease; staying keeps it; leaving lets it go.
    const sending = next.state === 'sending';
    const stays = sending && current.state === 'sending';
    // Conditional on the state read above: a change that is not the next one after it changes nothing.
    const written = this.sql(
      `UPDATE outbox_items SET state = ?, due_at = ?, overdue = ?, owner = ?, lease_until = ?, past_no_return = ?, item = ?
       WHERE id = ? AND state = ? RETURNING id`,
    ).get(
      next.state,
      dueAtOf(next),
      next.overdue ? 1 : 0,
      sending ? (lease?.owner ?? null) : null,
      stays ? row.lease_until : sending ? (lease?.until ?? null) : null,
      stays ? row.past_no_return : 0,
      toStored(next),
      id,
      current.state,
    );
    if (!written) return { refused: current };
    this.remember(id, Date.parse(next.updatedAt), action, current.state, next.state);
    return next;
  }

  /**
   * Take up to `limit` items due by `now` for delivery under `lease`, oldest due first: one
   * statement, so of two processes looking at once each item goes to one of them.
   */
  claimDue(now: number, lease: Lease, limit: number): OutboxItem[] {
    const rows = this.sql(
      `UPDATE outbox_items SET state = 'sending', due_at = NULL, owner = ?, lease_until = ?, past_no_return = 0,
         item = json_set(item, '$.attempts', json_extract(item, '$.attempts') + 1, '$.updatedAt', ?)
       WHERE id IN (SELECT id FROM outbox_items WHERE state IN (${WAITING_TO_START}) AND overdue = 0 AND due_at <= ? ORDER BY due_at LIMIT ?)
       RETURNING ${COLUMNS}`,
    ).all(lease.owner, lease.until, new Date(now).toISOString(), now, limit) as unknown as Row[];
    const items = rows.map(toItem).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const item of items) this.remember(item.id, now, 'start', null, 'sending');
    return items;
  }

  /** Keep answering for what `owner` is sending. */
  renewLeases(owner: string, until: number): number {
    return Number(this.sql(`UPDATE outbox_items SET lease_until = ? WHERE state = 'sending' AND owner = ?`).run(until, owner).changes);
  }

  /** Record that the message's bytes may have reached the server from here on (DATA accepted). */
  passedNoReturn(id: string, lease: Lease): boolean {
    return Number(this.sql(`UPDATE outbox_items SET past_no_return = 1 WHERE id = ? AND state = 'sending' AND owner = ?`).run(id, lease.owner).changes) === 1;
  }

  /** Messages whose sender stopped answering for them by `now`, and whether their bytes may have arrived. */
  expiredLeases(now: number): Array<{ item: OutboxItem; pastNoReturn: boolean; lease: Lease }> {
    const rows = this.sql(`SELECT ${COLUMNS}, owner, lease_until FROM outbox_items WHERE state = 'sending' AND (lease_until IS NULL OR lease_until < ?)`).all(now) as unknown as Array<Row & { owner: string | null; lease_until: number | null }>;
    return rows.map((row) => ({ item: toItem(row), pastNoReturn: row.past_no_return === 1, lease: { owner: row.owner ?? '', until: row.lease_until ?? 0 } }));
  }

  /** Everything not yet in a final state (what the scheduler looks at). */
  queued(): OutboxItem[] {
    return (this.sql(`SELECT ${COLUMNS} FROM outbox_items WHERE state IN ('held', 'scheduled', 'retrying', 'sending', 'needs-sign-in')`).all() as unknown as Row[]).map(toItem);
  }

  /** When the next waiting item falls due (not counting those waiting for the user). */
  nextDue(): number | undefined {
    const row = this.sql(`SELECT min(due_at) AS at FROM outbox_items WHERE state IN (${WAITING_TO_START}) AND overdue = 0`).get() as { at: number | null };
    return row.at ?? undefined;
  }

  /** Items newest first, `limit` at a time; `after` is the last item of the page before. */
  page(limit: number, after?: { createdAt: string; id: string }): OutboxItem[] {
    const rows = after
      ? this.sql(`SELECT ${COLUMNS} FROM outbox_items WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?`).all(Date.parse(after.createdAt), after.id, limit)
      : this.sql(`SELECT ${COLUMNS} FROM outbox_items ORDER BY created_at DESC, id DESC LIMIT ?`).all(limit);
    return (rows as unknown as Row[]).map(toItem);
  }

  /** An item's changes, oldest first. */
  history(id: string): Array<{ at: number; action: string; from: OutboxState | null; to: OutboxState }> {
    return this.sql(`SELECT at, action, from_state AS "from", to_state AS "to" FROM outbox_history WHERE item_id = ? ORDER BY rowid`).all(id) as unknown as Array<{ at: number; action: string; from: OutboxState | null; to: OutboxState }>;
  }

  private remember(id: string, at: number, action: string, from: OutboxState | null, to: OutboxState): void {
    this.sql(`INSERT INTO outbox_history (item_id, at, action, from_state, to_state) VALUES (?, ?, ?, ?, ?)`).run(id, at, action, from, to);
  }
}
