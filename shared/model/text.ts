import { z } from 'zod';
import type { MessageKey } from '../i18n/types';

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

/** One mailbox as typed by a person: "Name <a@b>" or "a@b". The core parses it strictly. */
export const mailboxText = headerText(998)
  .refine((s) => s.trim().length > 0, refusal('err.input.empty'))
  .refine((s) => s.includes('@'), refusal('err.input.notEmail'));

/** SHA-256 certificate fingerprint: 64 hex digits, colons optional; normalised to upper case with colons. */
export const fingerprintSha256 = z
  .string()
  .transform((s) => s.replace(/[:\s]/g, '').toUpperCase())
  .refine((s) => /^[0-9A-F]{64}$/.test(s), refusal('err.input.fingerprint'))
  .transform((s) => s.match(/../g)!.join(':'));
