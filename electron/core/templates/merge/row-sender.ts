import type { ErrorCode } from '../../../../shared/errors';
import { MailwrightError } from '../../errors';
import { compileTemplate } from '../message-template';
import { skipReason, RowTaken, type MergeRecord, type PendingRow, type SkipReason } from './merge-repository';
import type { MergeRunnerDeps } from './merge-runner';
import { draftOfRow, isRefused, RowPlanner } from './row-plan';

/** A row's own trouble (its values, its file): the row is skipped with why, and the merge goes on. */
const ROW_CODES: readonly ErrorCode[] = ['INVALID_INPUT', 'ATTACHMENT_UNREADABLE'];

/** What became of a row: its outbox item, or why it was not queued here. */
export type RowOutcome = { queued: string } | 'skipped' | 'taken';

/**
 * Turns one pending row into its outbox item, committed with the row's new state. A file every
 * message carries that cannot be read, or any failure that is not the row's own (the account
 * removed, a full disk), is thrown: the runner pauses the merge with it.
 */
export class RowSender {
  private readonly planner: RowPlanner;
  private readonly handles = new Map<string, Promise<string>>();

  constructor(
    private readonly deps: Pick<MergeRunnerDeps, 'database' | 'repo' | 'outbox' | 'attachments' | 'accounts' | 'owner' | 'dkim'>,
    private readonly merge: MergeRecord,
  ) {
    this.planner = new RowPlanner(compileTemplate(merge.spec.template, merge.spec.locale, { checked: true }), merge.spec.columns, merge.spec.folder);
  }

  private handleOf(path: string): Promise<string> {
    let handle = this.handles.get(path);
    if (!handle) this.handles.set(path, (handle = this.deps.attachments.register(path).then((a) => a.handle)));
    return handle;
  }

  async queue(row: PendingRow, intervalMs: number): Promise<RowOutcome> {
    const { outbox, repo, owner } = this.deps;
    const merge = this.merge;
    // What every row needs — the account, the files every message carries — is looked at first:
    // its failure (the account removed, a shared file changed) pauses the merge, never skips rows.
    const account = await this.deps.accounts.getStored(merge.accountId);
    await this.deps.dkim?.signerFor(account); // its key, read once and kept
    const shared = await Promise.all(merge.spec.files.map((path) => this.handleOf(path)));
    await Promise.all(shared.map((handle) => this.deps.attachments.verify(handle)));
    let plan = this.planner.plan(row.data, row.row);
    if (!isRefused(plan)) plan = await this.planner.checkFiles(plan);
    // Valid when the merge started, something changed since (a file moved): skipped, and said why.
    if (isRefused(plan)) return this.skip(row, skipReason(plan.problem));
    try {
      const own = await Promise.all(plan.files.map((path) => this.handleOf(path)));
      const draft = draftOfRow(merge.accountId, plan, [...shared, ...own].map((handle) => ({ handle })));
      const item = await outbox.enqueue(draft, { mergeId: merge.id, row: row.row, alongside: (item) => repo.markQueued(merge.id, row.row, item.id, Date.parse(item.createdAt), Date.parse(item.createdAt) + intervalMs, owner) });
      return { queued: item.id };
    } catch (err) {
      if (err instanceof RowTaken) return 'taken'; // another process queued it, or the merge stopped being ours: nothing to undo
      if (err instanceof MailwrightError && ROW_CODES.includes(err.info.code)) return this.skip(row, { en: err.info.message, ...(err.info.text ? { text: err.info.text } : {}) });
      throw err;
    }
  }

  private async skip(row: PendingRow, why: SkipReason): Promise<RowOutcome> {
    await this.deps.database.write(() => this.deps.repo.skip(this.merge.id, row.row, why));
    return 'skipped';
  }
}
