import { z } from 'zod';
import type { Result } from '../../shared/errors';
import { contract, type Channel } from '../../shared/ipc/contract';
import { MailwrightError } from './errors';
import type { Handlers } from './handlers';

const isChannel = (name: string): name is Channel => Object.hasOwn(contract, name);

const describeIssues = (err: z.ZodError) =>
  err.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');

/**
 * The one door into the core from outside: check the channel, parse the untrusted payload with
 * the contract's schema, run the handler and wrap the outcome in the result envelope. Nothing
 * thrown escapes, and nothing but a named error crosses back.
 */
export async function invokeChannel(handlers: Handlers, channel: string, payload: unknown, log: (msg: string, err: unknown) => void = () => {}): Promise<Result<unknown>> {
  try {
    if (!isChannel(channel)) throw new MailwrightError('INVALID_INPUT', `Unknown operation "${String(channel).slice(0, 80)}".`, 'This is a bug in the caller.');
    const parsed = contract[channel].request.safeParse(payload);
    if (!parsed.success) throw new MailwrightError('INVALID_INPUT', `Invalid request: ${describeIssues(parsed.error)}.`, 'Correct the highlighted values and try again.');
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (err instanceof MailwrightError) return { ok: false, error: err.info };
    if (err instanceof z.ZodError) return { ok: false, error: { code: 'INVALID_INPUT', message: `Invalid request: ${describeIssues(err)}.`, hint: 'Correct the values and try again.' } };
    log(`unexpected failure in ${channel}`, err);
    return { ok: false, error: { code: 'INTERNAL_ERROR', message: 'Mailwright hit an unexpected problem.', hint: 'Try again; if it persists, report it with the log file.' } };
  }
}
