import { createRequire } from 'node:module';
import { MailwrightError } from '../errors';

/** Where account passwords live. Only main holds one; nothing it returns crosses to the renderer. */
export interface SecretStore {
  get(accountId: string): Promise<string | null>;
  set(accountId: string, secret: string): Promise<void>;
  delete(accountId: string): Promise<void>;
}

const SERVICE = 'Mailwright SMTP';

const KEYCHAIN_HINT: Record<string, string> = {
  linux:
    'Mailwright keeps passwords in the Secret Service. Install and start one (e.g. `sudo apt install gnome-keyring`, then log in to a desktop session, or run under `dbus-run-session` with `gnome-keyring-daemon --unlock`).',
  darwin: 'Mailwright keeps passwords in the macOS Keychain. Unlock the login keychain in Keychain Access and try again.',
  win32: 'Mailwright keeps passwords in the Windows Credential Manager. Make sure it is running and try again.',
};

export function keychainUnavailable(cause: unknown): MailwrightError {
  const reason = (cause as Error)?.message ?? String(cause);
  return new MailwrightError(
    'KEYCHAIN_UNAVAILABLE',
    `The system keychain cannot be reached: ${reason}`,
    KEYCHAIN_HINT[process.platform] ?? KEYCHAIN_HINT.linux!,
    { cause },
  );
}

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

/** The OS keychain through keytar (libsecret on Linux, Keychain on macOS, Credential Manager on Windows). */
export class KeytarSecretStore implements SecretStore {
  private keytar?: Keytar;

  constructor(private readonly service = SERVICE) {}

  private load(): Keytar {
    // Loaded on first use: a machine without libsecret can still list accounts that have no password.
    if (!this.keytar) {
      try {
        this.keytar = createRequire(import.meta.url)('keytar') as Keytar;
      } catch (err) {
        throw keychainUnavailable(err);
      }
    }
    return this.keytar;
  }

  private async call<T>(fn: (k: Keytar) => Promise<T>): Promise<T> {
    const keytar = this.load();
    try {
      return await fn(keytar);
    } catch (err) {
      throw keychainUnavailable(err);
    }
  }

  get(accountId: string) {
    return this.call((k) => k.getPassword(this.service, accountId));
  }
  set(accountId: string, secret: string) {
    return this.call((k) => k.setPassword(this.service, accountId, secret));
  }
  async delete(accountId: string) {
    await this.call((k) => k.deletePassword(this.service, accountId));
  }
}
