import type { Phrase } from '../../../shared/errors';
import { code, phrase } from '../../../shared/i18n/errors/phrase';
import { MailwrightError, systemWords, type Words } from '../errors';

/** Where account secrets (passwords, OAuth token sets) live. Only main holds one; nothing it returns crosses to the renderer. */
export interface SecretStore {
  get(accountId: string): Promise<string | null>;
  set(accountId: string, secret: string): Promise<void>;
  delete(accountId: string): Promise<void>;
}

/** A secret that exists but cannot be read now: a locked vault, a password command that failed. */
export const secretsLocked = (words: Words, cause?: unknown) => new MailwrightError('SECRETS_LOCKED', words, { cause });

const KEYCHAIN_HINT: Record<string, Phrase> = {
  linux: phrase('err.keychain.linux.hint', { session: code('dbus-run-session'), daemon: code('gnome-keyring-daemon --unlock'), env: code('MAILWRIGHT_PASSPHRASE') }),
  darwin: phrase('err.keychain.darwin.hint'),
  win32: phrase('err.keychain.win32.hint'),
};

export function keychainUnavailable(cause: unknown): MailwrightError {
  return new MailwrightError('KEYCHAIN_UNAVAILABLE', { message: phrase('err.keychain.unreachable'), hint: KEYCHAIN_HINT[process.platform] ?? KEYCHAIN_HINT.linux!, quote: systemWords(cause) }, { cause });
}
