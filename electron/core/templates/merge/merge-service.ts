import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { phrase } from '../../../../shared/i18n/errors/phrase';
import { sayText } from '../../../../shared/i18n/errors/say';
import type { MergeCheck, MergeRequest, MergeStatus, MergeReportRow, RowProblem } from '../../../../shared/model/merge';
import type { DeliveredPreview } from '../../../../shared/model/message-view';
import type { DomainReport } from '../../../../shared/model/deliverability';
import type { AccountStore } from '../../accounts/account-store';
import type { AttachmentRegistry } from '../../attachments/attachment-registry';
import { uploadsDir } from '../../attachments/uploads';
import type { Clock } from '../../clock';
import type { DkimKeys } from '../../deliverability/dkim-keys';
import type { Database } from '../../db/database';
import { invalidInput, MailwrightError, storageFailed } from '../../errors';
import type { CoreEvents } from '../../events';
import { previewMessage } from '../../message/preview-message';
import type { OutboxService } from '../../outbox/outbox-service';
import { compileTemplate, type TemplateFields } from '../message-template';
import type { TemplateStore } from '../template-store';
import { parseMergeData, type MergeData } from './merge-data';
import { skipReason, type MergeRecord, type MergeRepository, type MergeSpec } from './merge-repository';
import { MergeProgress } from './merge-progress';
import type { MergeRunner } from './merge-runner';
import { MERGE_TRANSITIONS, type MergeTransition } from './merge-transitions';
import { draftOfRow, isRefused, RowPlanner, tooLarge, type RowPlan, type RowRefused } from './row-plan';
import { DEFAULT_SIZE_LIMIT } from '../../../../shared/model/message-size';
import { etaSeconds, intervalOf, throttleOf } from './throttle';

const SAMPLE_ROWS = 20;
/** The longest a check of every row may take before the template is taken for too slow. */
const CHECK_BUDGET_MS = 120_000;
/** The largest data file read (a million rows of a few fields). */
const MAX_DATA_BYTES = 200 * 1024 * 1024;
const LISTED_PROBLEMS = 1_000;

export interface MergeServiceDeps {
  database: Database;
  repo: MergeRepository;
  templates: TemplateStore;
  attachments: AttachmentRegistry;
  accounts: AccountStore;
  outbox: OutboxService;
  runner: MergeRunner;
  events: CoreEvents;
  clock: Clock;
  dataDir: string;
  log: (message: string, err?: unknown) => void;
  /** DKIM-signs the preview as it will be signed when sent. */
  dkim?: Pick<DkimKeys, 'signerFor'>;
  /** The From domain's check, shown with the rows' (none for the Sandbox). */
  domainCheck?: (accountId: string) => Promise<DomainReport> | undefined;
}

/** A merge checked whole: what it would send, row by row. */
interface Prepared {
  spec: MergeSpec;
  columns: string[];
  rows: Array<Record<string, unknown>>;
  /** Each row's outcome: refused with why, checked (its number and address), or for a preview the row's whole plan. */
  outcomes: Array<RowPlan | RowRefused | { row: number; address: string }>;
  /** Mapped columns the data does not have (a check reports them; nothing else goes on). */
  missingColumns: string[];
}

const noMerge = (id: string) => new MailwrightError('INVALID_INPUT', { message: phrase('err.merge.none', { id }), hint: phrase('err.merge.none.hint') });

/**
 * Mail merges: a template and a data file checked row by row before anything is sent; started,
 * every row and the merge are rows in the database, and the runner queues them at the throttle's
 * pace. Pause, resume and cancel are conditional changes (MERGE_TRANSITIONS).
 */
export class MergeService {
  private readonly progress: MergeProgress;
  /** The data file parsed last, by its path, size and time of change. */
  private lastData: { key: string; data: MergeData } | undefined;

  constructor(private readonly deps: MergeServiceDeps) {
    this.progress = new MergeProgress({
      statusOf: (id) => {
        const m = deps.repo.get(id);
        return m && this.statusOf(m);
      },
      events: deps.events,
      log: deps.log,
    });
  }

  /** Every row rendered and checked; nothing sent. */
  async check(req: MergeRequest): Promise<MergeCheck> {
    // The DNS is asked while the rows are checked; a check it cannot finish is left out, never fatal.
    const domain = this.deps.domainCheck?.(req.accountId)?.catch(() => undefined);
    const summary = this.summary(await this.prepare(req, { tolerateMissingColumns: true }));
    const checked = await domain;
    return checked ? { ...summary, domain: checked } : summary;
  }

  /** Row `row` (1: the first row of data) built exactly as it will be delivered. */
  async preview(req: MergeRequest, row: number): Promise<DeliveredPreview> {
    const p = await this.prepare(req, { only: row });
    const outcome = p.outcomes[row - 1];
    if (!outcome) throw invalidInput(phrase('err.merge.noRow', { row, count: p.rows.length }), phrase('err.merge.noRow.hint'));
    if (isRefused(outcome)) throw invalidInput(phrase('err.merge.rowInvalid', { row, problem: outcome.problem }), phrase('err.merge.rowInvalid.hint'));
    if (!('fields' in outcome)) throw new Error(`row ${row} was not planned for its preview`);
    const attachments = await Promise.all([...p.spec.files, ...outcome.files].map(async (path) => ({ handle: (await this.deps.attachments.register(path)).handle })));
    const { accounts, attachments: registry, dataDir, clock, dkim } = this.deps;
    return previewMessage(draftOfRow(req.accountId, outcome, attachments), { accounts, attachments: registry, dir: join(dataDir, 'previews'), now: () => clock.now(), signerFor: (a) => dkim?.signerFor(a) });
  }

  /** Check, then commit the merge and all its rows at once, and begin sending. Refused while a row is invalid, unless skipInvalid. */
  async start(req: MergeRequest): Promise<MergeStatus> {
    const p = await this.prepare(req, { fresh: true });
    this.lastData = undefined; // not kept in a long-running app once the merge has its rows
    const check = this.summary(p);
    if (check.invalidCount && !req.skipInvalid) throw invalidInput(phrase('err.merge.invalidRows', { count: check.invalidCount, first: check.invalid[0]!.row, problem: check.invalid[0]!.problem }), phrase('err.merge.invalidRows.hint'));
    if (!check.valid) throw invalidInput(phrase('err.merge.nothingValid'), phrase('err.merge.invalidRows.hint'));
    const now = this.deps.clock.now().getTime();
    const id = `m_${now.toString(36).padStart(9, '0')}-${randomBytes(4).toString('hex')}`;
    const rows = p.outcomes.map((o, i) => ({ row: o.row, address: o.address, data: p.rows[i]!, ...(isRefused(o) ? { problem: skipReason(o.problem) } : {}) }));
    const merge = { id, createdAt: now, accountId: req.accountId, state: 'running' as const, spec: { ...p.spec, skippedAtStart: check.invalidCount }, total: rows.length, intervalMs: intervalOf(p.spec.throttle), nextAt: now };
    await this.deps.database.write(() => this.deps.repo.create(merge, rows)).catch((err: unknown) => {
      throw err instanceof MailwrightError ? err : storageFailed('database', err);
    });
    void this.deps.runner.run(id);
    return this.status(id);
  }

  status(id: string): MergeStatus {
    const m = this.deps.repo.get(id);
    if (!m) throw noMerge(id);
    return this.statusOf(m);
  }

  list(): MergeStatus[] {
    return this.deps.repo.list().map((m) => this.statusOf(m));
  }

  report(id: string): MergeReportRow[] {
    this.status(id);
    return this.deps.repo.report(id);
  }

  async pause(id: string): Promise<MergeStatus> {
    await this.transition(id, 'pause');
    this.deps.runner.poke(id);
    return this.status(id);
  }

  async resume(id: string): Promise<MergeStatus> {
    await this.transition(id, 'resume');
    void this.deps.runner.run(id);
    return this.status(id);
  }

  /** Rows not yet queued are cancelled, and so are queued messages that have not gone; sent ones stay sent. */
  async cancel(id: string): Promise<MergeStatus> {
    const { repo, outbox } = this.deps;
    await this.transition(id, 'cancel', () => repo.cancelPending(id));
    this.deps.runner.poke(id);
    for (const item of repo.inFlight(id)) {
      if (item.state === 'sending') continue; // on its way: its outcome is recorded as it comes
      await outbox.cancel(item.itemId).catch(() => undefined); // it went meanwhile: it stays as it is
    }
    return this.status(id);
  }

  /** Until the merge is no longer running here (ended, paused, cancelled, or run by another process). */
  async wait(id: string): Promise<MergeStatus> {
    this.status(id);
    // The runner sleeps on timers that do not keep a command-line process alive; this one does.
    const keepAlive = setInterval(() => {}, 60_000);
    try {
      await this.deps.runner.run(id);
      // Run by another process: if its lease runs out (it died), go on here; once, so a live one keeps it.
      const held = this.deps.repo.get(id);
      const until = held?.state === 'running' ? held.leaseUntil : null;
      if (until !== null) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - this.deps.clock.now().getTime()) + 50));
        await this.deps.runner.run(id);
      }
    } finally {
      clearInterval(keepAlive);
    }
    return this.status(id);
  }

  /** Running merges whose runner is gone (the app's start, its periodic look): run here. */
  resumeOrphans(): void {
    for (const id of this.deps.repo.orphans(this.deps.clock.now().getTime())) void this.deps.runner.run(id);
  }

  /** A merge's rows changed (told soon), or its state did (told at once): see MergeProgress. */
  changed(id: string, stateChanged = false): void {
    this.progress.changed(id, stateChanged);
  }

  /** Nothing more is told (the database is about to close). */
  close(): void {
    this.progress.close();
  }

  private async transition(id: string, action: MergeTransition, alongside?: () => void): Promise<void> {
    const m = this.deps.repo.get(id);
    if (!m) throw noMerge(id);
    const changed = await this.deps.database.write(() => {
      const ok = this.deps.repo.change(id, action);
      if (ok) alongside?.();
      return ok;
    });
    if (!changed) throw invalidInput(phrase('err.merge.cannot', { id, state: m.state }), phrase('err.merge.cannot.hint', { states: MERGE_TRANSITIONS[action].from.join(', ') }));
    this.changed(id, true);
  }

  private statusOf(m: MergeRecord): MergeStatus {
    const counts = this.deps.repo.counts(m.id);
    return {
      id: m.id,
      accountId: m.accountId,
      subject: m.spec.subject,
      state: m.state,
      createdAt: new Date(m.createdAt).toISOString(),
      total: m.total,
      counts,
      throttle: m.spec.throttle,
      // Without a pace the next row goes as soon as there is room: no time to tell.
      ...(m.state === 'running' && counts.pending && m.intervalMs ? { nextAt: new Date(m.nextAt).toISOString() } : {}),
      etaSeconds: etaSeconds(m.spec.throttle, counts.pending, m.intervalMs),
      skippedAtStart: m.spec.skippedAtStart ?? 0,
      ...(m.error ? { error: m.error } : {}),
    };
  }

  private summary(p: Prepared): MergeCheck {
    const invalid: RowProblem[] = [];
    let invalidCount = 0;
    for (const o of p.outcomes) {
      if (!isRefused(o)) continue;
      invalidCount++;
      if (invalid.length < LISTED_PROBLEMS) invalid.push({ row: o.row, address: o.address, problem: o.problem, text: sayText('en', o.problem) });
    }
    const valid = p.outcomes.length - invalidCount;
    return {
      columns: p.columns,
      missingColumns: p.missingColumns,
      total: p.rows.length,
      valid,
      sample: p.rows.slice(0, SAMPLE_ROWS).map((r) => Object.fromEntries(p.columns.map((c) => [c, typeof r[c] === 'string' ? (r[c] as string) : r[c] === undefined ? '' : JSON.stringify(r[c])]))),
      invalid,
      invalidCount,
      throttle: p.spec.throttle,
      etaSeconds: etaSeconds(p.spec.throttle, valid, intervalOf(p.spec.throttle)),
    };
  }

  /** The template, the data and every row's outcome (`only`: just that row's, for a preview). */
  private async prepare(req: MergeRequest, { only, tolerateMissingColumns = false, fresh = false }: { only?: number; tolerateMissingColumns?: boolean; fresh?: boolean } = {}): Promise<Prepared> {
    const { attachments, templates } = this.deps;
    const account = await this.deps.accounts.getStored(req.accountId); // an unknown account is refused before the data is read
    const sizeLimit = { bytes: account.lastTest?.maxSize ?? DEFAULT_SIZE_LIMIT, known: account.lastTest?.maxSize !== undefined };
    let fields: TemplateFields;
    let files: string[];
    if (req.template !== undefined) {
      const t = templates.stored(req.template);
      fields = { subject: t.subject, html: t.html, text: t.text, listUnsubscribe: t.listUnsubscribe };
      files = t.files.map((f) => f.path);
    } else {
      const m = req.message!;
      fields = { subject: m.subject, html: m.html, text: m.text, listUnsubscribe: m.listUnsubscribe };
      files = m.attachments.map((a) => attachments.resolve(a.handle).path);
    }
    // Files every message carries: one that cannot be read stops the merge here, not at its first row.
    const sharedSizes: number[] = [];
    for (const path of files) sharedSizes.push((await attachments.register(path)).size);
    if (req.listUnsubscribe !== undefined) fields = { ...fields, listUnsubscribe: req.listUnsubscribe || undefined };
    if (!fields.html?.trim() && !fields.text?.trim()) throw invalidInput(phrase('err.template.noBody'), phrase('err.template.noBody.hint'));
    const compiled = compileTemplate(fields, req.locale);
    const dataFile = attachments.resolve(req.data.handle);
    let data: MergeData;
    try {
      const stat = await fs.stat(dataFile.path);
      if (stat.size > MAX_DATA_BYTES) throw invalidInput(phrase('err.merge.tooLarge', { name: dataFile.name, max: MAX_DATA_BYTES / 1024 / 1024 }), phrase('err.merge.tooMany.hint'));
      // The file read last, while it is unchanged: a preview of one row after another need not parse it again.
      // A start always reads the file as it is now: what it commits is what gets sent.
      const key = `${dataFile.path}\0${stat.ino}\0${stat.size}\0${stat.mtimeMs}\0${stat.ctimeMs}`;
      if (fresh || this.lastData?.key !== key) this.lastData = { key, data: parseMergeData(await fs.readFile(dataFile.path), dataFile.name) };
      data = this.lastData.data;
    } catch (err) {
      if (err instanceof MailwrightError) throw err;
      throw new MailwrightError('ATTACHMENT_UNREADABLE', { message: phrase('err.merge.unreadable', { name: dataFile.name }), hint: phrase('err.attachment.unreadable.hint'), quote: (err as NodeJS.ErrnoException).code ?? String(err) }, { cause: err });
    }
    const columns = { toColumn: req.toColumn, nameColumn: req.nameColumn, ccColumn: req.ccColumn, bccColumn: req.bccColumn, attachColumn: req.attachColumn };
    const missingColumns = Object.values(columns).filter((c): c is string => c !== undefined && !data.columns.includes(c));
    const throttle = throttleOf(req);
    if (missingColumns.length) {
      // A check still tells the columns there are, so the mapping can be chosen from them.
      if (!tolerateMissingColumns) throw invalidInput(phrase('err.merge.noColumn', { column: missingColumns[0]!, columns: data.columns.join(', ') }), phrase('err.merge.noColumn.hint'));
      return { spec: { subject: fields.subject, template: fields, files, columns, locale: req.locale, throttle }, columns: data.columns, rows: data.rows, outcomes: [], missingColumns };
    }
    // A file uploaded in browser mode has no folder of its own to name files in.
    const folder = dataFile.path.startsWith(uploadsDir(this.deps.dataDir)) ? undefined : dirname(dataFile.path);
    const planner = new RowPlanner(compiled, columns, folder);
    const outcomes: Prepared['outcomes'] = [];
    const checkStarted = performance.now();
    for (let i = 0; i < data.rows.length; i++) {
      if (only !== undefined && i !== only - 1) {
        outcomes.push({ row: i + 1, address: '', problem: phrase('merge.problem.notChecked') });
        continue;
      }
      // A long file is checked in turns, so the window's other requests are answered meanwhile; a
      // template so slow that the check would take minutes is refused as a whole.
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
      if (performance.now() - checkStarted > CHECK_BUDGET_MS) throw invalidInput(phrase('err.merge.tooSlow', { rows: i + 1, seconds: CHECK_BUDGET_MS / 1000 }), phrase('err.merge.tooSlow.hint'));
      const planned = planner.plan(data.rows[i]!, i + 1);
      let checked: (RowPlan & { fileSizes?: number[] }) | RowRefused = isRefused(planned) || !planned.files.length ? planned : await planner.checkFiles(planned);
      if (!isRefused(checked) && (sharedSizes.length || checked.files.length)) {
        const problem = tooLarge(checked, [...sharedSizes, ...(checked.fileSizes ?? [])], sizeLimit);
        if (problem) checked = { row: checked.row, address: checked.address, problem };
      }
      // Only the row previewed keeps what it renders to: 10,000 rendered bodies are not held for a check.
      outcomes.push(isRefused(checked) || only !== undefined ? checked : { row: checked.row, address: checked.address });
    }
    const spec: MergeSpec = { subject: fields.subject, template: fields, files, columns, ...(folder ? { folder } : {}), locale: req.locale, throttle };
    return { spec, columns: data.columns, rows: data.rows, outcomes, missingColumns: [] };
  }
}
