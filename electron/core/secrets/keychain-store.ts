import { createRequire } from 'node:module';
import type { AsyncEntry as Entry } from '@napi-rs/keyring';
import { keychainUnavailable, type SecretStore } from './secret-store';
import { legacyKeytar, type LegacyKeytar } from './legacy-keytar';

export const KEYCHAIN_SERVICE = 'Mailwright SMTP';

type Keyring = typeof import('@napi-rs/keyring');

/**
 * The OS keychain through @napi-rs/keyring (Secret Service on Linux, Keychain on macOS,
 * Credential Manager on Windows). On Linux it is pinned to the Secret Service: left to itself
 * it falls back to the kernel keyring, which forgets everything at reboot and reads as "no
 * password stored" rather than "no keychain".
 *
 * Secrets that earlier versions stored through keytar are moved here the first time they are
 * missed (see legacy-keytar.ts).
 */
export class KeychainSecretStore implements SecretStore {
  private keyring?: Keyring;
  /** Making an entry opens a D-Bus connection (~7 ms, on the calling thread): one per account, kept. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly service = KEYCHAIN_SERVICE,
    private readonly legacy: () => LegacyKeytar | undefined = legacyKeytar,
  ) {}

  private entry(accountId: string): Entry {
    let entry = this.entries.get(accountId);
    if (!entry) {
      try {
        // Loaded on first use: a machine without a keychain can still list accounts and use a vault.
        this.keyring ??= createRequire(import.meta.url)('@napi-rs/keyring') as Keyring;
        entry = new this.keyring.AsyncEntry(this.service, accountId, { linux: { store: 'secret-service' } });
      } catch (err) {
        throw keychainUnavailable(err);
      }
      this.entries.set(accountId, entry);
    }
    return entry;
  }

  private async call<T>(accountId: string, fn: (e: Entry) => Promise<T>): Promise<T> {
    const entry = this.entry(accountId);
    try {
      return await fn(entry);
    } catch (err) {
      this.entries.delete(accountId); // a keychain that comes back later gets a fresh connection
      throw keychainUnavailable(err);
    }
  }

  async get(accountId: string): Promise<string | null> {
    const found = await this.call(accountId, (e) => e.getPassword());
    return found ?? (await this.moveFromLegacy(accountId));
  }

  set(accountId: string, secret: string): Promise<void> {
    return this.call(accountId, (e) => e.setPassword(secret));
  }

  async delete(accountId: string): Promise<void> {
    await this.call(accountId, (e) => e.deletePassword());
    await this.legacy()?.deletePassword(this.service, accountId).catch(() => false);
  }

  /** A secret keytar kept for this account, moved into the keychain as this binding stores it. */
  private async moveFromLegacy(accountId: string): Promise<string | null> {
    const keytar = this.legacy();
    if (!keytar) return null;
    const old = await keytar.getPassword(this.service, accountId).catch(() => null);
    if (old === null) return null;
    await this.set(accountId, old);
    await keytar.deletePassword(this.service, accountId).catch(() => false);
    return old;
  }
}
