// The error vocabulary: every failure a user can meet has one of these codes.
// Both sides import this file; it must stay free of Node, Electron and DOM.

import type { MessageKey } from './i18n/types';

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

/**
 * What a catalogued sentence names: data (a host, a port as text, a count), a command shown as
 * code, a moment (ISO 8601, written the reader's way), or another catalogued phrase (a field's
 * label). Never words of a sentence: those would stay English in every language.
 */
export type PhraseParam = string | number | { code: string } | { date: string } | Phrase;

/** A sentence, or a part of one, from the message catalogues (shared/i18n), by key, with what it names. */
export interface Phrase {
  key: MessageKey;
  params?: Record<string, PhraseParam>;
}

/** An error's words as catalogue keys, so that each window says them in its own language. */
export interface ErrorText {
  /** Said one after another; the first is the one plain sentence of what went wrong. */
  message: Phrase[];
  /** What to change, one sentence after another; none when there is nothing to do. */
  hint: Phrase[];
  /** Words of the system, a library or another program (an OS error, a TLS alert, a command's error output), shown as they came, like the server's reply. */
  quote?: string;
}

export interface ErrorInfo {
  code: ErrorCode;
  /** One plain sentence: what went wrong (English: the command line, logs and --json print it). */
  message: string;
  /** What to change, naming the setting where there is one (English, as `message`). */
  hint: string;
  /** The same message and hint as catalogue keys: the window says these in the user's language. */
  text?: ErrorText;
  smtp?: SmtpReply;
  /** Extra facts for the UI, e.g. the certificate fingerprint the server presented. */
  details?: Record<string, string | number | boolean>;
}

/** Every result crosses the IPC boundary (and the CLI's --json) in this envelope. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Failures that are the caller's fault: the CLI exits 2 for these, 1 for the rest. */
export const INPUT_ERROR_CODES: readonly ErrorCode[] = ['INVALID_INPUT', 'ATTACHMENT_UNREADABLE'];
