import { promises as fs } from 'node:fs';
import type { Command } from 'commander';
import type { MergeCheck, MergeReportRow, MergeStatus, ThrottlePreset } from '../../shared/model/merge';
import { THROTTLE_PRESETS } from '../../shared/model/merge';
import { LANGUAGES } from '../../shared/i18n/languages';
import type { Core } from '../core/core';
import { MailwrightError } from '../core/errors';
import { collect, oneOf } from './arguments';
import { accountIdByName, call, CliFailure, formatDomainReport, type CliContext } from './commands';
import { EXIT_FAILED, EXIT_OK, EXIT_PARTIAL } from './output';
import { messageFromFlags } from './template-commands';

const refuse = (message: string, hint: string) => new CliFailure(new MailwrightError('INVALID_INPUT', message, hint).info);

/** `--rate 30/min` (or `30`): messages a minute. */
const rate = (v: string): number => {
  const m = /^(\d{1,6})(?:\/min)?$/.exec(v.trim());
  if (!m || Number(m[1]) < 1) throw refuse(`--rate takes messages a minute, such as 30/min, not "${v}".`, 'Microsoft 365 allows 30/min; leave --rate out to send as fast as the server takes them.');
  return Number(m[1]);
};
const count = (flag: string) => (v: string): number => {
  if (!/^\d{1,8}$/.test(v) || Number(v) < 1) throw refuse(`${flag} takes a whole number from 1, not "${v}".`, `Give ${flag} a number, such as 500.`);
  return Number(v);
};
const PRESET = oneOf('--preset', Object.keys(THROTTLE_PRESETS) as ThrottlePreset[], 'Pick your provider’s limits, or give --rate and --per-day yourself.');
const LOCALE = oneOf('--locale', LANGUAGES, 'How local_date and money write dates and amounts.');

interface MergeFlags {
  account?: string;
  template?: string;
  subject?: string;
  htmlFile?: string;
  textFile?: string;
  attach: string[];
  data?: string;
  toColumn: string;
  nameColumn?: string;
  ccColumn?: string;
  bccColumn?: string;
  attachColumn?: string;
  rate?: number;
  perDay?: number;
  preset?: ThrottlePreset;
  skipInvalid?: boolean;
  dryRun?: boolean;
  preview?: number;
  listUnsubscribe?: string;
  report?: string;
  locale?: (typeof LANGUAGES)[number];
  resume?: string;
}

const pace = (s: { throttle: MergeCheck['throttle'] }) => [s.throttle.perMinute && `${s.throttle.perMinute}/min`, s.throttle.perDay && `${s.throttle.perDay}/day`].filter(Boolean).join(', ') || 'no limit';
const duration = (seconds: number) => (seconds >= 3600 ? `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min` : seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`);
const statusLine = (s: MergeStatus) => {
  const c = s.counts;
  const done = c.sent + c.failed + c.unknown + c.skipped + c.cancelled;
  return `${s.id}  ${s.state}  ${done}/${s.total} done: ${c.sent} sent, ${c.failed} failed, ${c.unknown} unknown, ${c.skipped} skipped, ${c.cancelled} cancelled; ${c.pending + c.inFlight} to go${c.pending && s.etaSeconds ? ` (about ${duration(s.etaSeconds)})` : ''}`;
};

/** Progress on stderr: a bar on a terminal, else a line every 100 rows settled. */
function progress(core: Core, id: string, stderr: (s: string) => void): () => void {
  const tty = !!process.stderr.isTTY;
  let lastHundred = 0;
  const started = Date.now();
  return core.events.on('merge:progress', (s) => {
    if (s.id !== id) return;
    const c = s.counts;
    const done = c.sent + c.failed + c.unknown + c.skipped + c.cancelled;
    if (tty) {
      const width = 30;
      const filled = Math.round((done / Math.max(1, s.total)) * width);
      const perRow = done ? (Date.now() - started) / done : 0;
      const eta = Math.max(s.etaSeconds, Math.round(((s.total - done) * perRow) / 1000));
      stderr(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${s.total}  sent ${c.sent}  failed ${c.failed}  ETA ${duration(eta)}   `);
    } else if (Math.floor(done / 100) > lastHundred || done === s.total) {
      lastHundred = Math.floor(done / 100);
      stderr(`${statusLine(s)}\n`);
    }
  });
}

/** Refusals of the server's that concern the message or its recipients (not the connection or login). */
const REFUSED_BY_SERVER = new Set(['SERVER_PERMANENT', 'RECIPIENTS_REJECTED', 'SENDER_REJECTED', 'MESSAGE_TOO_LARGE']);

/**
 * The exit code, from each row's state: 0 every row delivered (rows skipped at the check aside,
 * when --skip-invalid asked for that); 3 the server refused some rows and nothing else went wrong;
 * 1 anything else (a row not settled, outcome unknown, a login, a row skipped while sending, the
 * merge paused or cancelled).
 */
export function mergeExitCode(s: MergeStatus, rows: MergeReportRow[], skippedAtCheck: number): number {
  let refused = false;
  let other = s.state !== 'done';
  let skipped = 0;
  for (const r of rows) {
    if (r.state === 'sent') continue;
    if (r.state === 'skipped') skipped++;
    else if (r.state === 'partially-delivered' || (r.state === 'failed' && REFUSED_BY_SERVER.has(r.error?.code ?? ''))) refused = true;
    else other = true;
  }
  if (other || skipped > skippedAtCheck) return EXIT_FAILED;
  return refused ? EXIT_PARTIAL : EXIT_OK;
}

/** `mailwright merge …`: one message per row of a CSV or JSON file, checked whole first, throttled, resumable. */
export function setupMergeCommands(program: Command, cli: CliContext): void {
  const { getCore, run, output, io } = cli;
  const merge = program
    .command('merge')
    .description('send one message per row of a CSV or JSON file (a template with {{ variables }}), every row checked before anything is sent')
    .option('--account <name>', 'the account to send with')
    .option('--template <name>', 'a saved template (`mailwright template save`)')
    .option('--subject <text>', 'or the subject, with --html-file and/or --text-file')
    .option('--html-file <file>', 'HTML body (Liquid)')
    .option('--text-file <file>', 'plain-text body (Liquid)')
    .option('--attach <file>', 'a file every message carries (repeatable)', collect, [])
    .option('--data <file>', 'the rows: CSV with a header line (any delimiter, UTF-8) or a JSON array of objects')
    .option('--to-column <column>', 'the column of each recipient’s address', 'email')
    .option('--name-column <column>', 'the column of each recipient’s name')
    .option('--cc-column <column>', 'a column of copy recipients (several separated by , or ;)')
    .option('--bcc-column <column>', 'a column of blind copy recipients')
    .option('--attach-column <column>', 'a column naming each row’s own files, relative to the data file’s folder (several separated by ;)')
    .option('--rate <n/min>', 'at most this many messages a minute', rate)
    .option('--per-day <n>', 'at most this many messages in any 24 hours (a longer merge goes on the next day)', count('--per-day'))
    .option('--preset <provider>', `a provider’s limits: ${Object.keys(THROTTLE_PRESETS).join(', ')}`, PRESET)
    .option('--skip-invalid', 'send the valid rows and report the invalid ones as skipped')
    .option('--dry-run', 'check and render every row; send nothing')
    .option('--preview <row>', 'show row N (1: the first after the header) exactly as it would be delivered; send nothing', count('--preview'))
    .option('--list-unsubscribe <url>', 'List-Unsubscribe: https:// (one-click, RFC 8058) or mailto:, may use variables')
    .option('--report <file>', 'write a CSV report per row at the end')
    .option('--locale <lang>', 'how local_date and money write dates and amounts: en, ru or es', LOCALE)
    .option('--resume <id>', 'go on with a merge that was paused or whose process ended')
    .exitOverride()
    .action(run(async (o: MergeFlags) => (o.resume ? resume(o.resume, o) : start(o))));

  async function start(o: MergeFlags): Promise<number> {
    if (!o.account) throw refuse('`mailwright merge` needs --account.', 'Name the account to send with (`mailwright account list`).');
    if (!o.data) throw refuse('`mailwright merge` needs --data FILE.', 'Give a CSV file with a header line, or a JSON array of objects.');
    if ((o.template === undefined) === (o.subject === undefined && !o.htmlFile && !o.textFile)) throw refuse('Give either --template NAME, or --subject with --html-file or --text-file.', 'Save a template with `mailwright template save`, or give the message here.');
    const c = await getCore();
    const accountId = await accountIdByName(c, o.account);
    const data = { handle: (await call(c, 'attachments:register-path', { path: o.data })).handle };
    const request = {
      accountId,
      ...(o.template !== undefined ? { template: o.template } : { message: await messageFromFlags(c, o) }),
      data,
      toColumn: o.toColumn,
      ...(o.nameColumn ? { nameColumn: o.nameColumn } : {}),
      ...(o.ccColumn ? { ccColumn: o.ccColumn } : {}),
      ...(o.bccColumn ? { bccColumn: o.bccColumn } : {}),
      ...(o.attachColumn ? { attachColumn: o.attachColumn } : {}),
      ...(o.preset ? { preset: o.preset } : {}),
      ...(o.rate ? { perMinute: o.rate } : {}),
      ...(o.perDay ? { perDay: o.perDay } : {}),
      ...(o.listUnsubscribe !== undefined ? { listUnsubscribe: o.listUnsubscribe } : {}),
      skipInvalid: !!o.skipInvalid,
      locale: o.locale ?? 'en',
    };
    if (o.preview !== undefined) {
      const shown = await call(c, 'merge:preview', { merge: request, row: o.preview });
      const lines = [...shown.headers.map((h) => `${h.key}: ${h.value}`), '', shown.text ?? '(no text part)'];
      return output.success({ preview: shown }, lines);
    }
    const check = await call(c, 'merge:check', request);
    if (check.missingColumns.length) throw refuse(`The data has no column "${check.missingColumns[0]}" (it has: ${check.columns.join(', ')}).`, 'Name the column that holds each address with --to-column (and --name-column …), or rename the column in the data.');
    const lines = [`Checked ${check.total} rows: ${check.valid} can be sent, ${check.invalidCount} cannot. Pace: ${pace(check)}${check.etaSeconds ? `, about ${duration(check.etaSeconds)}` : ''}.`, ...check.invalid.map((p) => `  row ${p.row}${p.address ? ` <${p.address}>` : ''}: ${p.text}`)];
    if (check.invalidCount > check.invalid.length) lines.push(`  … and ${check.invalidCount - check.invalid.length} more`);
    // What receivers will think of the From domain: said, never a reason to refuse.
    if (check.domain && check.domain.status !== 'pass') lines.push(...formatDomainReport(check.domain).map((l, i) => (i ? `  ${l}` : l)));
    if (check.invalidCount && !o.skipInvalid) {
      const refusal = new MailwrightError('INVALID_INPUT', `${check.invalidCount} of ${check.total} rows cannot be sent; nothing was sent.`, 'Correct those rows (listed above) in the data or the template, or add --skip-invalid to send the others.');
      return output.failure(refusal.info, lines, { check });
    }
    if (o.dryRun) return output.success({ check }, [...lines, 'Dry run: nothing was sent.']);
    if (!output.json) io.stdout(lines.join('\n') + '\n');
    const started = await call(c, 'merge:start', request);
    io.stderr(`Merge ${started.id} started; \`mailwright merge --resume ${started.id}\` goes on with it if this stops.\n`);
    return follow(c, started.id, o);
  }

  async function resume(id: string, o: MergeFlags): Promise<number> {
    const c = await getCore();
    const now = await call(c, 'merge:status', { id });
    if (now.state === 'paused' || now.state === 'running') await call(c, 'merge:resume', { id });
    return follow(c, id, o);
  }

  async function follow(c: Core, id: string, o: MergeFlags): Promise<number> {
    const off = progress(c, id, io.stderr);
    let final: MergeStatus;
    try {
      final = await call(c, 'merge:wait', { id });
    } finally {
      off();
      if (process.stderr.isTTY) io.stderr('\n');
    }
    const { rows, csv } = await call(c, 'merge:report', { id });
    if (o.report) await fs.writeFile(o.report, csv, { mode: 0o600 });
    const lines = [statusLine(final), ...rows.filter((r) => r.state !== 'sent').slice(0, 50).map((r) => `  row ${r.row} <${r.address}>: ${r.state}${r.error ? ` — ${r.error.code}: ${r.error.message}` : r.problem ? ` — ${r.problem}` : ''}`)];
    if (o.report) lines.push(`Report: ${o.report}`);
    if (final.state === 'running') lines.push('Another Mailwright process is sending this merge now.');
    if (final.state === 'paused' && final.error) lines.push(`Paused: ${final.error.code}: ${final.error.message} ${final.error.hint}`);
    const code = mergeExitCode(final, rows, final.skippedAtStart);
    return output.success({ merge: final, report: rows }, lines, code);
  }

  merge
    .command('list')
    .description('the merges and their counts')
    .exitOverride()
    .action(
      run(async () => {
        const all = await call(await getCore(), 'merge:list', undefined);
        return output.success({ merges: all }, all.length ? all.map(statusLine) : ['No merges yet.']);
      }),
    );
  const byId = (name: string, channel: 'merge:status' | 'merge:pause' | 'merge:cancel', description: string) =>
    merge
      .command(name)
      .argument('<id>', 'the merge id (`mailwright merge list`)')
      .description(description)
      .exitOverride()
      .action(
        run(async (id: string) => {
          const s = await call(await getCore(), channel, { id });
          return output.success({ merge: s }, [statusLine(s)]);
        }),
      );
  byId('status', 'merge:status', 'where a merge is');
  byId('pause', 'merge:pause', 'stop queuing rows (messages on their way still go); `merge --resume ID` goes on');
  byId('cancel', 'merge:cancel', 'send no more rows of this merge (sent ones stay sent)');
  merge
    .command('report')
    .argument('<id>')
    .argument('[file]', 'write the report here as CSV (else print it)')
    .description('per row: its number, address, state, Message-ID and the server’s reply')
    .exitOverride()
    .action(
      run(async (id: string, file?: string) => {
        const { rows, csv } = await call(await getCore(), 'merge:report', { id });
        if (file) await fs.writeFile(file, csv, { mode: 0o600 });
        return output.success({ report: rows }, file ? [`Wrote ${file}`] : [csv.trimEnd()]);
      }),
    );
}
