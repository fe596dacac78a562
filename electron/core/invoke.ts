import { z } from 'zod';
import type { ErrorInfo, Phrase, Result } from '../../shared/errors';
import { en } from '../../shared/i18n/en';
import { code, phrase } from '../../shared/i18n/errors/phrase';
import type { MessageKey } from '../../shared/i18n/types';
import type { MailboxProblem } from '../../shared/model/mailbox';
import { COMMAND_LINE_ONLY, contract, type Channel } from '../../shared/ipc/contract';
import { errorInfo, MailwrightError } from './errors';
import type { Handlers } from './handlers';

const isChannel = (name: string): name is Channel => Object.hasOwn(contract, name);

// Fields by the name the user sees in the composer and the account form (err.field.*).
const FIELDS = ['to', 'cc', 'bcc', 'replyTo', 'subject', 'accountId', 'attachments', 'name', 'displayName', 'email', 'host', 'port', 'security', 'username', 'password', 'pinnedCertSha256', 'connections', 'privateKey', 'selector', 'domain'] as const;
type Field = (typeof FIELDS)[number];
const fieldLabel = (name: string) => ((FIELDS as readonly string[]).includes(name) ? phrase(`err.field.${name as Field}`) : name);

/** A schema's own refusal (shared/model: `refusal('err.input.…')`): its message is the key. */
const isInputKey = (message: string): message is Extract<MessageKey, `err.input.${string}`> => message.startsWith('err.input.') && Object.hasOwn(en, message);
/** What a refusal's key says is accepted: its `.hint`, or one it shares. */
const HINT_OF: Partial<Record<MessageKey, MessageKey>> = { 'err.input.httpsUrl': 'err.input.url.hint', 'err.input.base64': 'err.callerBug.hint' };
const hintOf = (key: MessageKey): Phrase => {
  const hint = HINT_OF[key] ?? `${key}.hint`;
  return { key: Object.hasOwn(en, hint) ? (hint as MessageKey) : 'err.callerBug.hint' };
};

/** One issue of zod's as what is wrong with the value, and what is accepted instead. */
function problemOf(issue: z.core.$ZodIssue, value: unknown): { problem: Phrase; hint: Phrase } {
  // A mailbox that is not one (shared/model/text `mailbox`): why, in the words its recipient chip shows.
  const mailbox = issue.code === 'custom' ? (issue.params?.mailbox as MailboxProblem | undefined) : undefined;
  if (mailbox) return { problem: { key: `mailbox.problem.${mailbox.code}`, params: { value: 'value' in mailbox ? mailbox.value : '' } }, hint: { key: 'err.input.notEmail.hint' } };
  if (isInputKey(issue.message)) return { problem: { key: issue.message }, hint: hintOf(issue.message) };
  const said = (key: MessageKey, params?: Phrase['params'], hint: MessageKey = `${key}.hint` as MessageKey) => ({ problem: { key, ...(params ? { params } : {}) }, hint: { key: hint, ...(params ? { params } : {}) } });
  switch (issue.code) {
    case 'too_big': {
      const count = Number(issue.maximum);
      if (issue.origin === 'string') return said('err.input.tooLong', { count });
      if (issue.origin === 'array' || issue.origin === 'set') return said('err.input.tooMany', { count });
      return said('err.input.tooBig', { max: count });
    }
    case 'too_small': {
      const count = Number(issue.minimum);
      if (issue.origin === 'string') return count <= 1 ? said('err.input.empty') : said('err.input.tooShort', { count });
      if (issue.origin === 'array' || issue.origin === 'set') return said('err.input.tooFew', { count });
      return said('err.input.tooSmall', { min: count });
    }
    case 'invalid_type':
      if (value === undefined) return said('err.input.missing', undefined, 'err.input.empty.hint');
      if (issue.expected === 'number' || issue.expected === 'int') return said('err.input.notNumber');
      return said('err.input.wrongType', { expected: code(issue.expected) }, 'err.callerBug.hint');
    case 'invalid_value':
      return { problem: phrase('err.input.notOneOf'), hint: phrase('err.input.oneOf.hint', { values: code(issue.values.map(String).join(', ')) }) };
    case 'invalid_format':
      return issue.format === 'datetime' ? said('err.input.notDateTime', undefined, 'err.input.dateTime.hint') : said('err.input.badFormat', undefined, 'err.callerBug.hint');
    case 'unrecognized_keys':
      return said('err.input.unknownFields', { names: issue.keys.join(', ') }, 'err.callerBug.hint');
    default:
      return said('err.input.notValid', undefined, 'err.callerBug.hint');
  }
}

/**
 * "To "bob": is not an email address." rather than "to.0: ...": name the field as the user sees
 * it, quote the bad value, and say what is accepted; in catalogue phrases, so each window says it
 * in its own language.
 */
export function invalidInputInfo(err: z.ZodError, payload: unknown): ErrorInfo {
  const message: Phrase[] = [];
  const hints = new Map<string, Phrase>();
  for (const issue of err.issues.slice(0, 5)) {
    const [field, ...rest] = issue.path.map(String);
    let value: unknown = payload;
    for (const key of issue.path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key as string] : undefined;
    const { problem, hint } = problemOf(issue, value);
    const label = field === undefined ? phrase('err.field.request') : fieldLabel(field);
    // The value is quoted where it is one of several (a recipient among others), and short enough to read.
    const quoted = typeof value === 'string' && value.length <= 200 && rest.length > 0;
    message.push(quoted ? phrase('err.input.issue', { field: label, value: value as string, problem }) : phrase('err.input.issueNoValue', { field: label, problem }));
    hints.set(JSON.stringify(hint), hint);
  }
  return errorInfo('INVALID_INPUT', { message, hint: [...hints.values()] });
}

/**
 * The one door into the core from outside: check the channel (and that a window does not call
 * one of the command line's own), parse the untrusted payload with
 * the contract's schema, run the handler and wrap the outcome in the result envelope. Nothing
 * thrown escapes, and nothing but a named error crosses back.
 */
export async function invokeChannel(
  handlers: Handlers,
  channel: string,
  payload: unknown,
  log: (msg: string, err: unknown) => void = () => {},
  from: 'window' | 'command-line' = 'window',
): Promise<Result<unknown>> {
  try {
    if (!isChannel(channel)) throw new MailwrightError('INVALID_INPUT', { message: phrase('err.unknownOperation', { name: String(channel).slice(0, 80) }), hint: phrase('err.callerBug.hint') });
    if (from === 'window' && COMMAND_LINE_ONLY.includes(channel)) {
      throw new MailwrightError('INVALID_INPUT', { message: phrase('err.commandLineOnly'), hint: phrase('err.commandLineOnly.hint', { command: code('mailwright'), help: code('mailwright --help') }) });
    }
    const parsed = contract[channel].request.safeParse(payload);
    if (!parsed.success) return { ok: false, error: invalidInputInfo(parsed.error, payload) };
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (err instanceof MailwrightError) return { ok: false, error: err.info };
    if (err instanceof z.ZodError) return { ok: false, error: invalidInputInfo(err, payload) };
    log(`unexpected failure in ${channel}`, err);
    return { ok: false, error: internalError() };
  }
}

/** A bug of ours, said without its details (they go to the log). */
export const internalError = () => errorInfo('INTERNAL_ERROR', { message: phrase('err.internal'), hint: phrase('err.internal.hint') });
