import type { ErrorInfo, Phrase } from '../../shared/errors';
import { englishOf } from '../../shared/i18n/errors/say';
import type { MessageKey } from '../../shared/i18n/types';

/** The flag that sets each field the core names by its label in the window (err.field.*). */
const FLAGS: Partial<Record<MessageKey, string>> = {
  'err.field.to': '--to',
  'err.field.cc': '--cc',
  'err.field.bcc': '--bcc',
  'err.field.replyTo': '--reply-to',
  'err.field.subject': '--subject',
  'err.field.displayName': '--display-name',
  'err.field.email': '--email',
  'err.field.host': '--host',
  'err.field.port': '--port',
  'err.field.security': '--security',
  'err.field.username': '--user',
  'err.field.pinnedCertSha256': '--accept-cert',
  'err.field.connections': '--connections',
};

const flagOf = (field: unknown) => (typeof field === 'object' && field !== null && 'key' in field ? FLAGS[(field as Phrase).key] : undefined);

/**
 * A refusal of the core as the command line says it: the flag that was typed ("--to "bob": is
 * not an email address.") where the window would name the field ("To").
 */
export function inFlagTerms(error: ErrorInfo): ErrorInfo {
  if (error.code !== 'INVALID_INPUT' || !error.text) return error;
  const message = error.text.message.map((p) => {
    const flag = flagOf(p.params?.field);
    return flag ? { ...p, params: { ...p.params, field: flag } } : p;
  });
  if (message.every((p, i) => p === error.text!.message[i])) return error;
  const text = { ...error.text, message };
  return { ...error, text, ...englishOf(text) };
}
