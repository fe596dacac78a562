import { describe, expect, it } from 'vitest';
import { Secrets } from '../../electron/core/secrets/secrets';
import { keychainUnavailable } from '../../electron/core/secrets/secret-store';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { tempDir } from '../helpers/temp-dir';

// The data directory's secret store: the keychain (a fake one here) until a vault exists there.
const PASS = 'a passphrase long enough';

describe('Secrets: keychain or vault', () => {
  it('moves the keychain’s secrets into a new vault; one the keychain could not give then is moved at its first read', async () => {
    const keychain = new MemorySecretStore();
    await keychain.set('a', 'secret-a');
    await keychain.set('b', 'secret-b');
    const secrets = new Secrets({ dataDir: tempDir(), keychain });
    const realGet = keychain.get.bind(keychain);
    keychain.get = async (id) => {
      if (id === 'b') throw keychainUnavailable(new Error('the keyring is locked'));
      return realGet(id);
    };
    expect(await secrets.useVault(PASS, ['a', 'b'])).toEqual({ moved: 1 });
    expect(await secrets.backend()).toBe('vault');
    expect(keychain.secrets.has('a')).toBe(false);
    keychain.get = realGet; // the keyring answers again
    expect(await secrets.get('b')).toBe('secret-b');
    expect(keychain.secrets.has('b')).toBe(false);
    expect(await secrets.vault.get('b')).toBe('secret-b');
    await secrets.delete('a');
    expect(await secrets.get('a')).toBeNull();
  });

  it('where no keychain answers, a process given a passphrase makes the vault at its first write; without one it says how', async () => {
    const keychain = new MemorySecretStore();
    keychain.set = async () => {
      throw keychainUnavailable(new Error('no Secret Service'));
    };
    const dir = tempDir();
    await expect(new Secrets({ dataDir: dir, keychain }).set('a', 'pw')).rejects.toMatchObject({ info: { code: 'KEYCHAIN_UNAVAILABLE', hint: expect.stringContaining('MAILWRIGHT_PASSPHRASE') } });
    const given = new Secrets({ dataDir: dir, keychain, passphrase: PASS });
    await given.set('a', 'pw');
    expect(await given.status()).toMatchObject({ backend: 'vault', vault: 'unlocked' });
    expect(await new Secrets({ dataDir: dir, keychain, passphrase: PASS }).get('a')).toBe('pw');
  });
});
