import { whileBusy } from './sqlite-codes';
import type { DatabaseSync } from './sqlite';

/**
 * The schema, one numbered step at a time; a database records the last step it has in
 * `PRAGMA user_version`. A step is never edited once released: a change is a new step.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the outbox. A row is a message's state; `item` holds what the outbox shows of it (JSON),
  // the columns what the queries choose by. While it is sent, `owner` (the process), `attempt`
  // (this try) and `lease_until` say who answers for it and until when. (`past_no_return` is unused:
  // step 5's `retry_safe` says it the other way round, so that a row no attempt vouched for is
  // taken for one whose bytes may have arrived.)
  `
  CREATE TABLE outbox_items (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    due_at INTEGER,
    overdue INTEGER NOT NULL DEFAULT 0,
    account_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    owner TEXT,
    attempt TEXT,
    lease_until INTEGER,
    past_no_return INTEGER NOT NULL DEFAULT 0,
    item TEXT NOT NULL,
    CHECK (state <> 'sending' OR (owner IS NOT NULL AND attempt IS NOT NULL AND lease_until IS NOT NULL)),
    CHECK (state NOT IN ('held', 'scheduled', 'retrying') OR due_at IS NOT NULL)
  ) STRICT;
  CREATE INDEX outbox_items_due ON outbox_items (state, due_at);
  CREATE INDEX outbox_items_newest ON outbox_items (created_at DESC, id DESC);
  CREATE TABLE outbox_history (
    item_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL
  ) STRICT;
  CREATE INDEX outbox_history_item ON outbox_history (item_id, at);
  `,
  // 2: the addresses the user has sent to, for the recipient fields' suggestions. `address_key`
  // is the address in lower case: one entry whatever case it was typed in.
  `
  CREATE TABLE recent_recipients (
    address_key TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    name TEXT NOT NULL,
    uses INTEGER NOT NULL,
    last_used INTEGER NOT NULL
  ) STRICT;
  `,
  // 3: the composer's unsent drafts: the fields as JSON, and the files behind their attachments.
  // `imported_drafts`: the ids an earlier version's drafts/ gave, so a second process importing
  // the same files never brings back a draft that was sent or removed meanwhile.
  `
  CREATE TABLE drafts (
    id TEXT PRIMARY KEY,
    updated_at INTEGER NOT NULL,
    draft TEXT NOT NULL
  ) STRICT;
  CREATE TABLE imported_drafts (id TEXT PRIMARY KEY) STRICT;
  `,
  // 4: a message's exact bytes, when it has no file attached, committed with its row (one commit
  // instead of a file's fsync; bench/throughput.ts); a message with files stays in messages/ID.eml,
  // fsynced before its row commits. The draft kept beside a waiting message (to give it back on
  // undo or edit). The processes that send due mail by themselves (the app, browser mode), and
  // until when each answers for itself: one starting beside them leaves the queue to them.
  // `outbox_rescue_pending`: a damaged database was replaced by this one, and the message files
  // not yet brought back from their own bytes must not be taken for a crashed build's.
  `
  CREATE TABLE outbox_bytes (id TEXT PRIMARY KEY, bytes BLOB NOT NULL) STRICT;
  CREATE TABLE outbox_kept_drafts (id TEXT PRIMARY KEY, kept TEXT NOT NULL) STRICT;
  CREATE TABLE outbox_runners (owner TEXT PRIMARY KEY, until INTEGER NOT NULL) STRICT;
  CREATE TABLE outbox_rescue_pending (since INTEGER NOT NULL) STRICT;
  `,
  // 5: templates and mail merges. A template is a saved message whose fields are Liquid (by name;
  // `name_key` its lower case: one template whatever case it is typed in). A merge keeps what it
  // sends from (the message's template as it was at its start, the rows' values) so a resume
  // sends exactly what the start checked; a row becomes an outbox item in the same transaction as
  // its state turns `queued`, so no row is queued twice or lost between the two. `next_at` is when
  // the throttle lets its next row go, `owner`/`lease_until` which process runs it.
  // `outbox_items.retry_safe`: set by an attempt when it takes a message and cleared before its
  // final dot can go (delivery.ts heldBack): a lease that runs out while it is set left a message
  // the server cannot have taken, which is tried again. Every row already here, and any an older
  // version takes, has 0: its outcome stays unknown, as that version promised.
  `
  ALTER TABLE outbox_items ADD COLUMN retry_safe INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE templates (
    name_key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    template TEXT NOT NULL
  ) STRICT;
  CREATE TABLE merges (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    state TEXT NOT NULL,
    spec TEXT NOT NULL,
    total INTEGER NOT NULL,
    interval_ms INTEGER NOT NULL,
    next_at INTEGER NOT NULL,
    owner TEXT,
    lease_until INTEGER,
    error TEXT
  ) STRICT;
  CREATE TABLE merge_rows (
    merge_id TEXT NOT NULL,
    row_no INTEGER NOT NULL,
    state TEXT NOT NULL,
    address TEXT NOT NULL,
    data TEXT NOT NULL,
    item_id TEXT,
    queued_at INTEGER,
    problem TEXT,
    PRIMARY KEY (merge_id, row_no),
    CHECK (state <> 'queued' OR (item_id IS NOT NULL AND queued_at IS NOT NULL))
  ) STRICT;
  CREATE INDEX merge_rows_by_state ON merge_rows (merge_id, state, row_no);
  CREATE INDEX merge_rows_queued ON merge_rows (queued_at) WHERE queued_at IS NOT NULL;
  `,
  // 6: the messages waiting to start, by due time: what the scheduler takes next, and when. Without it
  // each take read every waiting row and sorted them (a long queue made each take slower).
  // The states are TRANSITIONS.start.from, written out as the queries write them (outbox-repository.ts).
  `
  CREATE INDEX outbox_items_waiting ON outbox_items (due_at) WHERE state IN ('held', 'scheduled', 'retrying') AND overdue = 0;
  `,
  // 7: why a merge's row was skipped, as catalogue phrases (ErrorText, JSON) beside the English in
  // `problem`: a report is said in the reader's language.
  `
  ALTER TABLE merge_rows ADD COLUMN problem_text TEXT;
  `,
];

/**
 * Bring the schema up to date. Each step runs in its own write transaction, which also decides
 * between two processes starting at once: the second finds the step done and skips it.
 */
export function migrate(db: DatabaseSync, steps: readonly string[] = MIGRATIONS): void {
  for (let version = 1; version <= steps.length; version++) {
    whileBusy(() => db.exec('BEGIN IMMEDIATE'));
    try {
      const { user_version: have } = db.prepare('PRAGMA user_version').get() as { user_version: number };
      if (have < version) {
        db.exec(steps[version - 1]!);
        db.exec(`PRAGMA user_version = ${version}`);
      }
      db.exec('COMMIT');
    } catch (err) {
      // SQLite may have rolled back by itself already (an I/O error): the step's own error is the news.
      if (db.isTransaction) db.exec('ROLLBACK');
      throw err;
    }
  }
}

/** The schema step a database is at. */
export const schemaVersion = (db: DatabaseSync) => (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
