import { promises as fs } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Phrase } from '../../../../shared/errors';
import { phrase } from '../../../../shared/i18n/errors/phrase';
import type { Draft } from '../../../../shared/model/draft';
import { checkMailbox, type Mailbox } from '../../../../shared/model/mailbox';
import { estimateMessageSize } from '../../../../shared/model/message-size';
import type { CompiledTemplate, RenderedFields } from '../message-template';
import { rowScope } from '../liquid';

/** Which columns hold what (the merge's mapping). */
export interface ColumnMap {
  toColumn: string;
  nameColumn?: string;
  ccColumn?: string;
  bccColumn?: string;
  attachColumn?: string;
}

/** One row, ready to become a message: rendered, its addresses parsed, its own files found. */
export interface RowPlan {
  row: number;
  address: string;
  to: Mailbox;
  cc: Mailbox[];
  bcc: Mailbox[];
  /** The row's own files, as absolute paths inside the data file's folder. */
  files: string[];
  fields: RenderedFields;
}

export interface RowRefused {
  row: number;
  address: string;
  problem: Phrase;
}

export const isRefused = <T extends object>(r: T | RowRefused): r is RowRefused => 'problem' in r;

const cell = (values: Record<string, unknown>, column: string | undefined) => {
  const v = column === undefined ? undefined : values[column];
  return typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v);
};

/** Several values in one cell: `a@x.test, b@x.test` or `a.pdf; b.pdf`. */
const several = (text: string, by: RegExp) =>
  text
    .split(by)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Turns a row of data into its message, or says why it cannot be one. The same function runs
 * when the merge is checked and when each row is queued, so a row is sent as it was checked.
 */
export class RowPlanner {
  private readonly fileChecks = new Map<string, Promise<{ size: number } | { problem: Phrase }>>();

  constructor(
    private readonly template: CompiledTemplate,
    private readonly columns: ColumnMap,
    /** The data file's folder: a row's files are named relative to it and must stay inside it. */
    private readonly folder: string | undefined,
  ) {}

  /** Everything but the files' readability (see `checkFiles`): synchronous, so a check of 10,000 rows stays quick. */
  plan(values: Record<string, unknown>, row: number): RowPlan | RowRefused {
    const address = cell(values, this.columns.toColumn);
    const refuse = (problem: Phrase): RowRefused => ({ row, address, problem });
    const to = this.mailbox(address, cell(values, this.columns.nameColumn), 'to');
    if ('problem' in to) return refuse(to.problem);
    const copies: Mailbox[][] = [];
    for (const [column, field] of [[this.columns.ccColumn, 'cc'], [this.columns.bccColumn, 'bcc']] as const) {
      const list: Mailbox[] = [];
      for (const text of several(cell(values, column), /[,;]/)) {
        const m = this.mailbox(text, '', field);
        if ('problem' in m) return refuse(m.problem);
        list.push(m);
      }
      copies.push(list);
    }
    const files: string[] = [];
    for (const name of several(cell(values, this.columns.attachColumn), /;/)) {
      const path = this.folder === undefined ? undefined : resolve(this.folder, name);
      if (path === undefined || isAbsolute(name) || !inside(this.folder!, path)) return refuse(phrase('merge.problem.outsideFolder', { name }));
      // A hidden file or folder (.ssh, .env) is never what a customer list means to send.
      if (hidden(name)) return refuse(phrase('merge.problem.hidden', { name }));
      files.push(path);
    }
    const fields = this.template.render(rowScope(values));
    if ('problem' in fields) return refuse(fields.problem);
    return { row, address, to, cc: copies[0]!, bcc: copies[1]!, files, fields };
  }

  /**
   * Whether a row's files can be read and are, links followed, inside the data file's folder (each
   * file looked at once, however many rows name it).
   */
  async checkFiles(plan: RowPlan): Promise<(RowPlan & { fileSizes: number[] }) | RowRefused> {
    const fileSizes: number[] = [];
    for (const path of plan.files) {
      let check = this.fileChecks.get(path);
      if (!check) this.fileChecks.set(path, (check = readable(path, this.folder!)));
      const found = await check;
      if ('problem' in found) return { row: plan.row, address: plan.address, problem: found.problem };
      fileSizes.push(found.size);
    }
    return { ...plan, fileSizes };
  }

  private mailbox(text: string, name: string, field: 'to' | 'cc' | 'bcc'): Mailbox | { problem: Phrase } {
    if (/[\r\n]/.test(text) || /[\r\n]/.test(name)) return { problem: phrase('merge.problem.headerBreak', { field: phrase(`err.field.${field}`) }) };
    const checked = checkMailbox(text);
    if (!checked.ok) return { problem: phrase('merge.problem.address', { problem: { key: `mailbox.problem.${checked.problem.code}`, params: { value: 'value' in checked.problem ? checked.problem.value : text } } }) };
    return { name: name || checked.name, address: checked.address };
  }
}

/** A name with a hidden part (`.ssh/id_rsa`, `.env`). */
const hidden = (name: string) => name.split(/[\\/]/).some((part) => part.startsWith('.') && part !== '.' && part !== '..');

/** `path` is `folder` itself or under it. */
const inside = (folder: string, path: string) => {
  const rel = relative(folder, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
};

async function readable(path: string, folder: string): Promise<{ size: number } | { problem: Phrase }> {
  const name = path.split(/[\\/]/).pop() ?? path;
  try {
    // A link inside the folder that points out of it is refused like a name that leads out, and
    // one that points to a hidden file like a hidden name.
    const real = relative(await fs.realpath(folder), await fs.realpath(path));
    if (real.startsWith('..') || isAbsolute(real)) return { problem: phrase('merge.problem.outsideFolder', { name }) };
    if (hidden(real)) return { problem: phrase('merge.problem.hidden', { name }) };
    const stat = await fs.stat(path);
    if (!stat.isFile()) return { problem: phrase('merge.problem.notFile', { name }) };
    await fs.access(path, fs.constants.R_OK);
    return { size: stat.size };
  } catch {
    return { problem: phrase('merge.problem.unreadable', { name }) };
  }
}

/**
 * A row whose message would be larger than the server takes (its SIZE, learnt by the account's
 * last test; else what most providers accept): refused at the check, not by the server mid-merge.
 */
export function tooLarge(plan: RowPlan, attachmentSizes: number[], limit: { bytes: number; known: boolean }): Phrase | undefined {
  const { html = '', text = '' } = plan.fields;
  const size = estimateMessageSize({ html, text: text || html, attachmentSizes });
  if (size <= limit.bytes) return undefined;
  const mb = { size: Math.ceil(size / 100_000) / 10, limit: Math.floor(limit.bytes / 100_000) / 10 };
  return phrase(limit.known ? 'merge.problem.tooLarge' : 'merge.problem.tooLargeGuess', mb);
}

/** The message a row becomes (sent at once: a merge's pace is its throttle's, not an undo window's). */
export function draftOfRow(accountId: string, plan: RowPlan, attachments: Array<{ handle: string }>): Draft {
  const { fields } = plan;
  return {
    accountId,
    to: [plan.to],
    cc: plan.cc,
    bcc: plan.bcc,
    subject: fields.subject,
    ...(fields.html !== undefined ? { html: fields.html } : {}),
    ...(fields.text !== undefined ? { text: fields.text } : {}),
    ...(fields.listUnsubscribe ? { listUnsubscribe: fields.listUnsubscribe } : {}),
    attachments,
    options: { undoSeconds: 0 },
  };
}
