import { MailwrightError } from '../errors';

/** Where account secrets (passwords, OAuth token sets) live. Only main holds one; nothing it returns crosses to the renderer. */
export interface SecretStore {
  get(accountId: string): Promise<string | null>;
  set(accountId: string, secret: string): Promise<void>;
  delete(accountId: string): Promise<void>;
}

/** A secret that exists but cannot be read now: a locked vault, a password command that failed. */
export const secretsLocked = (message: string, hint: string, cause?: unknown) => new MailwrightError('SECRETS_LOCKED', message, hint, { cause });

const KEYCHAIN_HINT: Record<string, string> = {
  linux:
    'Mailwright keeps secrets in the Secret Service. Start one (log in to a desktop session with GNOME Keyring or KWallet, or run under `dbus-run-session` with `gnome-keyring-daemon --unlock`), or keep them in an encrypted vault instead: set MAILWRIGHT_PASSPHRASE, or choose the vault under Settings → Passwords and sign-ins.',
  darwin: 'Mailwright keeps secrets in the macOS Keychain. Unlock the login keychain in Keychain Access, or keep them in an encrypted vault instead (Settings → Passwords and sign-ins).',
  win32: 'Mailwright keeps secrets in the Windows Credential Manager. Make sure it is running, or keep them in an encrypted vault instead (Settings → Passwords and sign-ins).',
};

export function keychainUnavailable(cause: unknown): MailwrightError {
  const reason = (cause as Error)?.message ?? String(cause);
  return new MailwrightError('KEYCHAIN_UNAVAILABLE', `The system keychain cannot be reached: ${reason}`, KEYCHAIN_HINT[process.platform] ?? KEYCHAIN_HINT.linux!, { cause });
}
