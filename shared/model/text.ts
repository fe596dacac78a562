import { z } from 'zod';
import type { MessageKey } from '../i18n/types';
import { checkMailbox, type Mailbox } from './mailbox';

/**
 * A schema's refusal, by its catalogue key (shared/i18n/errors): main names the field and says
 * the problem in each window's language, with the key's `.hint` saying what is accepted. Zod's own
 * checks (too long, not a number…) need none: main words them from the issue.
 */
export const refusal = (key: Extract<MessageKey, `err.input.${string}`>) => ({ message: key });

// Header fields go into RFC 5322 headers: CR, LF, NUL and DEL there would let a value
// start a new header (header injection), so the schema refuses them outright.
const HEADER_UNSAFE = /[\r\n\0\x7f]/;

export const headerText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !HEADER_UNSAFE.test(s), refusal('err.input.lineBreaks'));

/** One mailbox as typed by a person: "Name <a@b>" or "a@b", checked loosely (an address to look up, a test recipient). */
export const mailboxText = headerText(998)
  .refine((s) => s.trim().length > 0, refusal('err.input.empty'))
  .refine((s) => s.includes('@'), refusal('err.input.notEmail'));

/** The issue a mailbox that is not one raises: `params.mailbox` says why (main words it, as the composer's chip does). */
export const MAILBOX_REFUSAL = 'err.input.notEmail';

/**
 * One mailbox as typed, parsed once, here, by the checker the composer's chips use: what comes
 * out is the name and address that main writes into the headers, the envelope and the
 * suggestions, never parsed again.
 */
export const mailbox = mailboxText.transform((text, ctx): Mailbox => {
  const checked = checkMailbox(text);
  if (checked.ok) return { name: checked.name, address: checked.address };
  ctx.addIssue({ code: 'custom', message: MAILBOX_REFUSAL, params: { mailbox: checked.problem }, input: text });
  return z.NEVER;
});

/** SHA-256 certificate fingerprint: 64 hex digits, colons optional; normalised to upper case with colons. */
export const fingerprintSha256 = z
  .string()
  .transform((s) => s.replace(/[:\s]/g, '').toUpperCase())
  .refine((s) => /^[0-9A-F]{64}$/.test(s), refusal('err.input.fingerprint'))
  .transform((s) => s.match(/../g)!.join(':'));
