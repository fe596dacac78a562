import type { Command, CommanderError } from 'commander';
import type { ErrorInfo } from '../../shared/errors';
import { DEFAULT_CONNECTIONS, MAX_CONNECTIONS } from '../../shared/model/connections';
import { MailwrightError } from '../core/errors';
import { CliFailure } from './commands';

// Each parser refuses with the whole error (sentence naming the flag, what it accepts, a hint):
// commander passes any error other than its own InvalidArgumentError through unchanged, so the
// refusal reads the same with and without --json.
const refuse = (message: string, hint: string) => new CliFailure(new MailwrightError('INVALID_INPUT', message, hint).info);

/** A `--port` parser: 1 to 65535 (and 0 where `zero` is allowed), else the refusal with `hint`. */
const portFlag = (hint: string, zero = false) => (v: string): number => {
  const n = /^\d{1,5}$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1 && n <= 65535) && !(zero && v === '0')) throw refuse(`--port takes a port number from 1 to 65535, not "${v}".`, hint);
  return n;
};

/** `account add --connections`: SMTP connections at once, 1 to MAX_CONNECTIONS. */
export const connectionsFlag = (v: string): number => {
  const n = /^\d{1,2}$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1 && n <= MAX_CONNECTIONS)) throw refuse(`--connections takes a number from 1 to ${MAX_CONNECTIONS}, not "${v}".`, `Leave it out for ${DEFAULT_CONNECTIONS}, what Microsoft 365 allows; a server of your own may allow more.`);
  return n;
};

/** `--port` of an SMTP server. */
export const smtpPort = portFlag('Mail submission is usually 587 (with --security starttls) or 465 (with --security tls).');

/** `serve --port`: 0 asks for any free port. */
export const listenPort = portFlag('Leave --port out to take any free port.', true);

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A moment for --send-at and --reschedule-overdue: an ISO 8601 date and time, with a zone
 * (`Z`, `+01:00`) or without one, meaning this computer's local time. Returned as UTC ISO.
 */
export const dateTime =
  (flag: string) =>
  (v: string): string => {
    const refusal = refuse(
      `${flag} takes a date and time such as 2026-12-08T09:00 (this computer’s time) or 2026-12-08T09:00Z, not "${v}".`,
      'Write year-month-day, then hours:minutes (24-hour); add Z or +01:00 for another time zone.',
    );
    const m = DATE_TIME.exec(v.trim());
    if (!m) throw refusal;
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map((n) => Number(n ?? 0)) as [number, number, number, number, number, number];
    // Date would roll 2026-02-30 over into March: a day that does not exist is refused instead.
    const calendar = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    if (calendar.getUTCMonth() !== mo - 1 || calendar.getUTCDate() !== d || calendar.getUTCHours() !== h || calendar.getUTCMinutes() !== mi || s > 59) throw refusal;
    const zone = m[8]?.toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    const ms = Math.round(Number(`0${m[7] ?? ''}`) * 1000);
    let at: Date;
    if (zone) at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${zone}`);
    else {
      // setFullYear, not new Date(y, …): that reads years 0-99 as 1900-1999.
      at = new Date(2000, 0, 1);
      at.setFullYear(y, mo - 1, d);
      at.setHours(h, mi, s);
      // A local time the clock skips (the hour the clocks go forward) does not exist here.
      if (at.getHours() !== h || at.getMinutes() !== mi) throw refuse(`${flag}: ${v} does not exist on this computer's clock (the clocks go forward then).`, 'Pick a time outside the hour the clocks skip, or give the zone, e.g. …T03:30+02:00.');
    }
    at.setMilliseconds(ms);
    if (Number.isNaN(at.getTime())) throw refusal;
    return at.toISOString();
  };

/** One of a fixed set of words, e.g. `--security tls|starttls|none`. */
export const oneOf =
  <T extends string>(flag: string, choices: readonly T[], hint: string) =>
  (v: string): T => {
    if (!(choices as readonly string[]).includes(v)) throw refuse(`${flag} takes ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}, not "${v}".`, hint);
    return v as T;
  };

/** The command that was typed (`mailwright outbox run`), found in the program's own tree of commands. */
function commandTyped(program: Command, argv: string[]): string {
  const path = [program.name()];
  let at = program;
  for (const arg of argv) {
    if (arg.startsWith('-')) continue;
    // An option's value (`--data-dir DIR`) is passed over; only a command's leaves have no subcommands.
    const sub = at.commands.find((c) => c.name() === arg);
    if (!sub) continue;
    path.push(arg);
    at = sub;
  }
  return path.join(' ');
}

const quoted = (message: string) => /'([^']+)'/.exec(message)?.[1] ?? '';
const flagOf = (message: string) => quoted(message).split(' ')[0] ?? '';

/**
 * Commander's own refusals (an unknown option or command, a missing value or argument) as the
 * same error every other refusal is: one plain sentence naming the flag, and a hint pointing at
 * the command's --help. Branches on commander's codes; the message only gives the flag's name.
 */
export function usageError(err: CommanderError, program: Command, argv: string[]): ErrorInfo {
  const command = commandTyped(program, argv);
  const [first = '', ...rest] = err.message.replace(/^error: /, '').split('\n');
  const suggestion = rest.join(' ').replace(/^\((.*)\)$/, '$1').trim();
  const help = `Run \`${command} --help\` to see what it accepts.`;
  const hint = (lead?: string) => [lead, suggestion, help].filter(Boolean).join(' ');
  switch (err.code) {
    case 'commander.missingMandatoryOptionValue':
      return usage(`\`${command}\` needs ${quoted(first)}.`, hint());
    case 'commander.optionMissingArgument':
      return usage(`${flagOf(first)} needs a value after it (${quoted(first)}).`, hint());
    case 'commander.unknownOption':
      return usage(`\`${command}\` has no option ${flagOf(first)}.`, hint());
    case 'commander.unknownCommand':
      return usage(`\`${command}\` has no command "${quoted(first)}".`, hint());
    case 'commander.missingArgument':
      return usage(`\`${command}\` needs the ${quoted(first)} after it.`, hint());
    case 'commander.excessArguments': {
      const extra = argv.filter((a) => !a.startsWith('-') && !command.split(' ').includes(a)).at(-1);
      return usage(`\`${command}\` takes no more arguments${extra ? `, not "${extra}"` : ''}.`, hint());
    }
    default: {
      const sentence = first.charAt(0).toUpperCase() + first.slice(1);
      return usage(/[.!?]$/.test(sentence) ? sentence : `${sentence}.`, hint());
    }
  }
}

const usage = (message: string, hint: string): ErrorInfo => ({ code: 'INVALID_INPUT', message, hint });

/** A repeatable flag's values, in order (`--to a --to b`). */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `--security`: how the SMTP connection is protected. */
export const SECURITY = oneOf('--security', ['tls', 'starttls', 'none'] as const, 'Use tls for port 465, starttls for 587 (and usually 25); none only for a server on this computer or your own network.');
