import { z } from 'zod';
import { fingerprintSha256, headerText } from './text';

export const SECURITY_MODES = ['tls', 'starttls', 'none'] as const;
export type Security = (typeof SECURITY_MODES)[number];

export const accountId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, { message: 'is not an account id' });

/** What a user edits. The password is write-only: it goes to the keychain and never comes back. */
export const accountInput = z.strictObject({
  id: accountId.optional(),
  name: headerText(80).refine((s) => s.trim().length > 0, { message: 'must not be empty' }),
  displayName: headerText(200).default(''),
  email: headerText(320).refine((s) => /^[^\s@<>]+@[^\s@<>]+$/.test(s), { message: 'is not an email address' }),
  host: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.\-:[\]]+$/, { message: 'is not a host name or IP address' }),
  port: z.number().int().min(1).max(65535),
  security: z.enum(SECURITY_MODES),
  username: headerText(320).optional(),
  /** Set to store a new password; omit to keep the stored one. */
  password: z.string().min(1).max(4096).optional(),
  /** Set to true to delete the stored password. */
  clearPassword: z.boolean().optional(),
  pinnedCertSha256: fingerprintSha256.nullable().optional(),
});
export type AccountInput = z.input<typeof accountInput>;

/** An account as stored and as shown: never a password, only whether one is stored. */
export interface Account {
  id: string;
  kind: 'smtp' | 'sandbox';
  name: string;
  displayName: string;
  email: string;
  host: string;
  port: number;
  security: Security;
  username?: string;
  pinnedCertSha256?: string;
  isDefault: boolean;
  /** null when the keychain could not be asked. */
  hasPassword: boolean | null;
  /** The last settings test of this account (saving never requires one). */
  lastTest?: LastTest;
  /** HTML added below messages from this account after the "-- " line (the text part gets it as text). */
  signature?: string;
}

export interface LastTest {
  at: string;
  ok: boolean;
  failedPhase?: string;
  code?: string;
  /** The largest message the server said it accepts (SIZE in its EHLO), when it said. */
  maxSize?: number;
}
