import { promises as fs } from 'node:fs';
import type { ErrorInfo } from '../../shared/errors';
import type { Channel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { ConnectionTestReport } from '../../shared/model/connection-test';
import type { DomainReport } from '../../shared/model/deliverability';
import { sayText } from '../../shared/i18n/errors/say';
import type { OutboxItem } from '../../shared/model/outbox';
import type { Core } from '../core/core';
import { MailwrightError } from '../core/errors';
import { invokeChannel } from '../core/invoke';
import type { Command } from 'commander';
import { inFlagTerms } from './flag-terms';
import type { Output } from './output';

/** A CLI failure that already has its error envelope. */
export class CliFailure extends Error {
  constructor(readonly error: ErrorInfo, readonly human: string[] = []) {
    super(error.message);
  }
}

/** What each group of commands gets from the program (see main.ts). */
export interface CliContext {
  io: { stdout: (s: string) => void; stderr: (s: string) => void; env: NodeJS.ProcessEnv };
  output: Output;
  getCore: (opts?: { longRunning?: boolean }) => Promise<Core>;
  run: <A extends unknown[]>(action: (...args: A) => Promise<number>) => (...args: A) => Promise<void>;
  stdin: StdinReader;
  /** The vault's passphrase: --passphrase-stdin's first line, else MAILWRIGHT_PASSPHRASE. */
  passphrase: () => Promise<string | undefined>;
  /** The doctor's --rcpt and --send-test-to. */
  checks: (cmd: Command) => Command;
}

/**
 * Standard input, read once: with --passphrase-stdin its first line is the vault's passphrase
 * and a password (--password-stdin) or a new passphrase follows on the next.
 */
export class StdinReader {
  private text: Promise<string> | undefined;

  constructor(
    private readonly stdin: NodeJS.ReadableStream,
    private readonly startsWithPassphrase: () => boolean,
  ) {}

  private read() {
    return (this.text ??= readStdin(this.stdin));
  }

  async passphrase(): Promise<string> {
    return (await this.read()).split(/\r?\n/, 1)[0] ?? '';
  }

  /** Everything, or everything after the passphrase's line. */
  async rest(): Promise<string> {
    const text = await this.read();
    if (!this.startsWithPassphrase()) return text;
    const end = text.search(/\r?\n/);
    return end < 0 ? '' : text.slice(end).replace(/^\r?\n/, '');
  }
}

/** Call a contract channel exactly as the IPC registrar would (and as the command line: its own channels too). */
export async function call<C extends Channel>(core: Core, channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = await invokeChannel(core.handlers, channel, payload, undefined, 'command-line');
  if (!result.ok) throw new CliFailure(inFlagTerms(result.error));
  return result.value as ResponseOf<C>;
}

export async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export async function readInputFile(path: string, what: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (err) {
    throw new CliFailure(new MailwrightError('INVALID_INPUT', `Cannot read the ${what} file "${path}": ${(err as Error).message}`, 'Check the path.').info);
  }
}

export async function accountIdByName(core: Core, name: string): Promise<string> {
  const all = await call(core, 'accounts:list', undefined);
  const found = all.find((a) => a.name.toLowerCase() === name.toLowerCase());
  if (!found) {
    throw new CliFailure(new MailwrightError('INVALID_INPUT', `There is no account named "${name}".`, `Known accounts: ${all.map((a) => a.name).join(', ')}.`).info);
  }
  return found.id;
}

const PHASE_LABEL: Record<string, string> = { resolve: 'Resolve', connect: 'Connect', greeting: 'Greeting', tls: 'TLS', auth: 'Login', envelope: 'Envelope', send: 'Send' };

export function formatReport(report: ConnectionTestReport): string[] {
  const lines = report.phases.map((p) => {
    const head = `${p.status === 'passed' ? 'PASS' : p.status === 'failed' ? 'FAIL' : 'SKIP'}  ${(PHASE_LABEL[p.name] ?? p.name).padEnd(9)} ${String(p.ms).padStart(5)} ms${p.note ? `  ${p.note}` : ''}`;
    return p.code ? `${head}\n      ${p.code}: ${p.message}\n      Hint: ${p.hint}${p.field ? ` (setting: ${p.field})` : ''}` : head;
  });
  const caps = report.capabilities;
  if (caps) {
    const flags = [caps.starttls && 'STARTTLS', caps.auth.length && `AUTH ${caps.auth.join(' ')}`, caps.size && `SIZE ${caps.size}`, caps.smtputf8 && 'SMTPUTF8', caps.eightBitMime && '8BITMIME', caps.dsn && 'DSN', caps.pipelining && 'PIPELINING'].filter(Boolean);
    lines.push('', `Server offers: ${flags.join(', ') || '(nothing beyond basic SMTP)'}`);
  }
  if (report.mx?.length) lines.push(`MX of the address's domain: ${report.mx.join(', ')}`);
  if (report.certificate) {
    const c = report.certificate;
    lines.push('', `Certificate: ${c.subject}  (${c.trusted ? (c.pinned ? 'trusted: pinned' : 'trusted') : `NOT trusted: ${c.problem}`})`, `  issuer ${c.issuer}; valid ${c.validFrom} to ${c.validTo}`, `  ${c.protocol ?? ''} ${c.cipher ?? ''}`.trimEnd(), `  SHA-256 ${c.fingerprint256}`);
  }
  if (report.domain) lines.push('', ...formatDomainReport(report.domain));
  lines.push('', 'Transcript:');
  // swaks-like: '->' sent, '<-' received, '~' inside TLS, with the time since the start.
  for (const t of report.transcript) lines.push(`${String(t.ms).padStart(5)}ms ${t.tls ? '~' : ' '}${t.dir === 'sent' ? ' -> ' : t.dir === 'received' ? '<-  ' : ' === '}${t.text}`);
  return lines;
}

/** The From domain's checks, one line each in English, with what was found and what to change. */
export function formatDomainReport(report: DomainReport): string[] {
  const lines = [`The From domain ${report.domain} (${report.ms} ms):`];
  for (const c of report.checks) {
    lines.push(`${c.status.toUpperCase().padEnd(4)}  ${sayText('en', c.text)}`);
    // A record is anyone's text: no control character of it reaches the terminal.
    if (c.found) lines.push(`      found: ${c.found.replace(/\p{Cc}/gu, '?')}`);
    if (c.hint && c.status !== 'pass') lines.push(`      Hint: ${sayText('en', c.hint)}`);
  }
  return lines;
}

/** The error of the failed phase, as the run's verdict. */
export function failedPhaseError(report: ConnectionTestReport): ErrorInfo {
  const p = report.phases.find((x) => x.status === 'failed')!;
  const info: ErrorInfo = { code: p.code!, message: p.message!, hint: p.hint! };
  if (p.smtp) info.smtp = p.smtp;
  if (p.details) info.details = p.details;
  return info;
}

export function formatItem(item: OutboxItem): string {
  const blind = new Set((item.bcc ?? []).map((a) => a.toLowerCase()));
  const named = item.recipients.filter((a) => !blind.has(a.toLowerCase()));
  const state = item.takenBack ? 'taken-back' : item.state;
  const parts = [`${item.id}  ${state.padEnd(19)} ${item.subject || '(no subject)'}  → ${named.join(', ')}${item.bcc?.length ? `  (bcc: ${item.bcc.join(', ')})` : ''}`];
  if (item.error) parts.push(`    ${item.error.code}: ${item.error.message}${item.error.smtp?.response ? `  [${item.error.smtp.response}]` : ''}`);
  else if (item.response) parts.push(`    server: ${item.response}`);
  if (item.overdue) parts.push('    overdue: became due while nothing ran; `outbox run --send-overdue | --reschedule-overdue TIME | --discard-overdue`');
  else if (item.dueAt && ['held', 'scheduled', 'retrying'].includes(item.state)) parts.push(`    ${item.state === 'retrying' ? 'next attempt' : 'goes out'}: ${item.dueAt}`);
  if (item.rejected?.length) parts.push(`    refused: ${item.rejected.map((r) => `${r.address} (${r.response})`).join('; ')}`);
  if (item.takenBack) parts.push('    cancelled when it went back to the composer (undo or edit): kept only as a record');
  return parts.join('\n');
}
