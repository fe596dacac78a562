import { z } from 'zod';
import type { Result } from '../../shared/errors';
import { COMMAND_LINE_ONLY, contract, type Channel } from '../../shared/ipc/contract';
import { MailwrightError } from './errors';
import type { Handlers } from './handlers';

const isChannel = (name: string): name is Channel => Object.hasOwn(contract, name);

// Field names as the user sees them in the composer and the account form.
const FIELD_LABELS: Record<string, string> = {
  to: 'To', cc: 'Cc', bcc: 'Bcc', replyTo: 'Reply-To', subject: 'Subject', accountId: 'From', attachments: 'Attachments',
  name: 'Account name', displayName: 'Your name', email: 'Email address', host: 'SMTP server', port: 'Port', security: 'Security',
  username: 'User name', password: 'Password', pinnedCertSha256: 'Trusted certificate',
};

/** "To: "bob" is not an email address" rather than "to.0: ..." — name the field and quote the value. */
function describeIssues(err: z.ZodError, payload: unknown): string {
  return err.issues
    .slice(0, 5)
    .map((issue) => {
      const [field, ...rest] = issue.path.map(String);
      if (field === undefined) return issue.message;
      const label = FIELD_LABELS[field] ?? field;
      let value: unknown = payload;
      for (const key of issue.path) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key as string] : undefined;
      const quoted = typeof value === 'string' && value.length <= 200 && rest.length ? ` "${value}"` : '';
      return `${label}${quoted}: ${issue.message}`;
    })
    .join('; ');
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
    if (!isChannel(channel)) throw new MailwrightError('INVALID_INPUT', `Unknown operation "${String(channel).slice(0, 80)}".`, 'This is a bug in the caller.');
    if (from === 'window' && COMMAND_LINE_ONLY.includes(channel)) {
      throw new MailwrightError('INVALID_INPUT', 'This can only be done from the command line.', 'Use the `mailwright` command in a terminal (see `mailwright --help`).');
    }
    const parsed = contract[channel].request.safeParse(payload);
    if (!parsed.success) throw new MailwrightError('INVALID_INPUT', `${describeIssues(parsed.error, payload)}.`, 'Correct it and try again.');
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (err instanceof MailwrightError) return { ok: false, error: err.info };
    if (err instanceof z.ZodError) return { ok: false, error: { code: 'INVALID_INPUT', message: `${describeIssues(err, payload)}.`, hint: 'Correct it and try again.' } };
    log(`unexpected failure in ${channel}`, err);
    return { ok: false, error: { code: 'INTERNAL_ERROR', message: 'Mailwright hit an unexpected problem.', hint: 'Try again; if it persists, report it with the log file.' } };
  }
}
