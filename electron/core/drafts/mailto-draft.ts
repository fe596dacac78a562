// A mailto: link (RFC 6068) becomes a saved draft, never a sent message: `mailwright compose` and
// the desktop app's mailto: handler both reach it through the drafts:from-mailto channel, so both
// read a link the same way.
import { savedDraftInput } from '../../../shared/model/draft';
import { parseMailto } from '../../../shared/model/mailto';
import { textToHtml } from '../../../shared/model/text-to-html';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { invalidInput } from '../errors';

/** The longest subject a draft takes (shared/model/draft.ts: one header line). */
const MAX_SUBJECT = 998;

/**
 * The draft a link asks for: its to, cc, bcc, subject and body; every other header is ignored (see
 * parseMailto). The link comes from outside (the OS, another process), so the draft is checked
 * by the same schema as one the renderer saves (a ZodError is INVALID_INPUT at the door).
 */
export function draftFromMailto(url: string) {
  const parsed = parseMailto(url);
  if (!parsed) throw invalidInput(phrase('err.mailto.notLink', { text: url.slice(0, 200) }), phrase('err.mailto.notLink.hint'));
  // A subject longer than a subject may be (a link that put a whole text there) is cut, and the
  // full text opens the body, so nothing is lost.
  const chars = [...parsed.subject]; // code points: never half of an emoji
  const long = chars.length > MAX_SUBJECT;
  const subject = long ? `${chars.slice(0, MAX_SUBJECT - 1).join('')}…` : parsed.subject;
  const body = long ? `${parsed.subject}\n\n${parsed.body}`.trimEnd() : parsed.body;
  return savedDraftInput.parse({ to: parsed.to.join(', '), cc: parsed.cc.join(', '), bcc: parsed.bcc.join(', '), subject, html: textToHtml(body) });
}
