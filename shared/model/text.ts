import { z } from 'zod';

// Header fields go into RFC 5322 headers: CR, LF, NUL and DEL there would let a value
// start a new header (header injection), so the schema refuses them outright.
const HEADER_UNSAFE = /[\r\n\0\x7f]/;

export const headerText = (max: number) =>
  z
    .string()
    .max(max, { message: `must be at most ${max} characters` })
    .refine((s) => !HEADER_UNSAFE.test(s), { message: 'must not contain line breaks or control characters' });

/** One mailbox as typed by a person: "Name <a@b>" or "a@b". The core parses it strictly. */
export const mailboxText = headerText(998)
  .refine((s) => s.trim().length > 0, { message: 'must not be empty' })
  .refine((s) => s.includes('@'), { message: 'is not an email address' });

/** SHA-256 certificate fingerprint: 64 hex digits, colons optional; normalised to upper case with colons. */
export const fingerprintSha256 = z
  .string()
  .transform((s) => s.replace(/[:\s]/g, '').toUpperCase())
  .refine((s) => /^[0-9A-F]{64}$/.test(s), { message: 'must be a SHA-256 fingerprint (64 hex digits, colons optional)' })
  .transform((s) => s.match(/../g)!.join(':'));
