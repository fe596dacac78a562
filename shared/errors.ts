// The error vocabulary: every failure a user can meet has one of these codes.
// Both sides import this file; it must stay free of Node, Electron and DOM.

export const ERROR_CODES = [
  'INVALID_INPUT',
  'ATTACHMENT_UNREADABLE',
  'MESSAGE_TOO_LARGE',
  'DNS_NOT_FOUND',
  'CONNECTION_REFUSED',
  'TIMEOUT',
  'TLS_FAILED',
  'TLS_MISMATCH',
  'CERT_UNTRUSTED',
  'AUTH_FAILED',
  'AUTH_UNSUPPORTED',
  'SENDER_REJECTED',
  'RECIPIENTS_REJECTED',
  'SERVER_TEMPORARY',
  'SERVER_PERMANENT',
  'OUTCOME_UNKNOWN',
  'KEYCHAIN_UNAVAILABLE',
  /** A secret exists but cannot be read now: the vault is locked, or a password command failed. */
  'SECRETS_LOCKED',
  /** The account's login is missing or no longer accepted: no password stored, or the OAuth2 grant is gone. */
  'SIGN_IN_REQUIRED',
  /** Another Mailwright process holds what this needs (an OAuth2 refresh, the vault) for longer than it waited. */
  'BUSY',
  'STORAGE_FAILED',
  /** A bug in Mailwright itself: not the user's input, the server or the machine. */
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What the server said when the failure came from an SMTP reply. */
export interface SmtpReply {
  code?: number;
  response?: string;
  command?: string;
}

export interface ErrorInfo {
  code: ErrorCode;
  /** One plain sentence: what went wrong. */
  message: string;
  /** What to change, naming the setting where there is one. */
  hint: string;
  smtp?: SmtpReply;
  /** Extra facts for the UI, e.g. the certificate fingerprint the server presented. */
  details?: Record<string, string | number | boolean>;
}

/** Every result crosses the IPC boundary (and the CLI's --json) in this envelope. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Failures that are the caller's fault: the CLI exits 2 for these, 1 for the rest. */
export const INPUT_ERROR_CODES: readonly ErrorCode[] = ['INVALID_INPUT', 'ATTACHMENT_UNREADABLE'];
