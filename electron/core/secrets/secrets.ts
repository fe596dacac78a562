import { join } from 'node:path';
import type { SecretBackend, SecretsStatus } from '../../../shared/model/secrets';
import { MailwrightError } from '../errors';
import { accountSecretLock, withFileLocks } from '../fs/file-lock';
import type { SecretStore } from './secret-store';
import { VaultSecretStore } from './vault-store';

export interface SecretsDeps {
  dataDir: string;
  /** The OS keychain (tests give a fake one in unit tests). */
  keychain: SecretStore;
  /** A passphrase the process was started with (MAILWRIGHT_PASSPHRASE, --passphrase-stdin). */
  passphrase?: string;
}

/**
 * The data directory's secret store: the encrypted vault once one exists there, else the OS
 * keychain. A process given a passphrase on a machine where no keychain answers creates the
 * vault at its first write instead of failing: nothing is ever stored in the clear.
 */
export class Secrets implements SecretStore {
  readonly vault: VaultSecretStore;

  constructor(private readonly deps: SecretsDeps) {
    this.vault = new VaultSecretStore(join(deps.dataDir, 'secrets.vault'), deps.passphrase);
  }

  async get(id: string): Promise<string | null> {
    if (!(await this.vault.exists())) return this.deps.keychain.get(id);
    const kept = await this.vault.get(id);
    if (kept !== null) return kept;
    // Left in the keychain when the vault was made (it did not answer then: locked, say): moved now.
    const left = await this.deps.keychain.get(id).catch(() => null);
    if (left === null) return null;
    await this.vault.set(id, left);
    await this.deps.keychain.delete(id).catch(() => undefined);
    return left;
  }

  async set(id: string, secret: string): Promise<void> {
    if (await this.vault.exists()) return this.vault.set(id, secret);
    try {
      await this.deps.keychain.set(id, secret);
    } catch (err) {
      if (!(err instanceof MailwrightError && err.info.code === 'KEYCHAIN_UNAVAILABLE' && this.deps.passphrase !== undefined)) throw err;
      // Another process may have made the vault this very moment: then it takes the secret.
      await this.vault.create(this.deps.passphrase, { [id]: secret }).catch(async (createErr: unknown) => {
        if (!(await this.vault.exists())) throw createErr;
        await this.vault.set(id, secret);
      });
      return;
    }
    // Another process made the vault meanwhile: the secret belongs there now, not in the keychain.
    if (await this.vault.exists()) {
      await this.vault.set(id, secret);
      await this.deps.keychain.delete(id).catch(() => undefined);
    }
  }

  async delete(id: string): Promise<void> {
    if (!(await this.vault.exists())) return this.deps.keychain.delete(id);
    await this.vault.delete(id);
    await this.deps.keychain.delete(id).catch(() => undefined); // a copy left behind there, if any
  }

  async backend(): Promise<SecretBackend> {
    return (await this.vault.exists()) ? 'vault' : 'keychain';
  }

  async status(): Promise<SecretsStatus> {
    const keychain = await this.deps.keychain.get('mailwright-keychain-probe').then(
      () => 'available' as const,
      () => 'unavailable' as const,
    );
    if (!(await this.vault.exists())) return { backend: 'keychain', keychain, vault: 'none' };
    return { backend: 'vault', keychain, vault: (await this.vault.isUnlocked()) ? 'unlocked' : 'locked' };
  }

  /**
   * Keep this data directory's secrets in a new vault from now on. The given accounts' secrets
   * that the keychain holds move into it (and out of the keychain once the vault is written);
   * a keychain that does not answer has nothing to give, and nothing is lost by that.
   */
  useVault(passphrase: string, accountIds: readonly string[]): Promise<{ moved: number }> {
    // Under each account's lock: a refresh must not rotate a token between its copy and its removal.
    return withFileLocks(
      accountIds.map((id) => accountSecretLock(this.deps.dataDir, id)),
      'secrets',
      async () => {
        const moving: Record<string, string> = {};
        for (const id of accountIds) {
          const secret = await this.deps.keychain.get(id).catch(() => null);
          if (secret !== null) moving[id] = secret;
        }
        await this.vault.create(passphrase, moving);
        for (const id of Object.keys(moving)) await this.deps.keychain.delete(id).catch(() => undefined);
        return { moved: Object.keys(moving).length };
      },
    );
  }
}
