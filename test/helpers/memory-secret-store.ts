import type { AccountSecrets } from '../../electron/core/accounts/account-store';

/** A fake keychain for unit tests only; the integration tests use the real one. */
export class MemorySecretStore implements AccountSecrets {
  readonly secrets = new Map<string, string>();
  async get(id: string) {
    return this.secrets.get(id) ?? null;
  }
  async set(id: string, secret: string) {
    this.secrets.set(id, secret);
  }
  async delete(id: string) {
    this.secrets.delete(id);
  }
  async backend() {
    return 'keychain' as const;
  }
}
