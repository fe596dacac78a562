// A mailto: link (RFC 6068) becomes a saved draft, never a sent message: `mailwright compose` and
// the desktop app's mailto: handler both come through here, so both read a link the same way.
import type { Result } from '../../../shared/errors';
import { parseMailto } from '../../../shared/model/mailto';
import { textToHtml } from '../../../shared/model/text-to-html';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { errorInfo } from '../errors';
import type { Handlers } from '../handlers';
import { invokeChannel } from '../invoke';

/** The longest subject a draft takes (shared/model/draft.ts: one header line). */
const MAX_SUBJECT = 998;

/**
 * Parse the link and save its to, cc, bcc, subject and body as a draft; every other header is
 * ignored (see parseMailto). The link comes from outside (the OS, another process), so the draft
 * goes through the contract's door and its schema like anything the renderer sends.
 */
export async function draftFromMailto(handlers: Handlers, url: string): Promise<Result<{ id: string }>> {
  const parsed = parseMailto(url);
  if (!parsed) return { ok: false, error: errorInfo('INVALID_INPUT', { message: phrase('err.mailto.notLink', { text: url.slice(0, 200) }), hint: phrase('err.mailto.notLink.hint') }) };
  // A subject longer than a subject may be (a link that put a whole text there) used to fail the
  // whole link; now the subject is cut and the full text opens the body, so nothing is lost.
  const chars = [...parsed.subject]; // code points: never half of an emoji
  const long = chars.length > MAX_SUBJECT;
  const subject = long ? `${chars.slice(0, MAX_SUBJECT - 1).join('')}…` : parsed.subject;
  const body = long ? `${parsed.subject}\n\n${parsed.body}`.trimEnd() : parsed.body;
  const saved = await invokeChannel(handlers, 'drafts:save', { to: parsed.to.join(', '), cc: parsed.cc.join(', '), bcc: parsed.bcc.join(', '), subject, html: textToHtml(body) });
  return saved.ok ? { ok: true, value: { id: (saved.value as { id: string }).id } } : saved;
}
