import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeychainSecretStore } from '../../electron/core/secrets/keychain-store';
import { legacyKeytar } from '../../electron/core/secrets/legacy-keytar';
import { cliProcess } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

// Against the real Secret Service that scripts/with-keyring.sh starts for the test run.
describe('the OS keychain (Secret Service through @napi-rs/keyring)', () => {
  it('stores, reads and deletes a password', async () => {
    const store = new KeychainSecretStore(`Mailwright test ${randomUUID()}`);
    const id = randomUUID();
    expect(await store.get(id)).toBeNull();
    await store.set(id, 'пароль-Contraseña-1');
    expect(await store.get(id)).toBe('пароль-Contraseña-1');
    await store.delete(id);
    expect(await store.get(id)).toBeNull();
  });

  it('the CLI stores the password in the keychain and lists only that one is there', async () => {
    const dir = tempDir();
    const env = { ...process.env, MAILWRIGHT_DATA_DIR: dir };
    const add = await cliProcess(['--json', 'account', 'add', 'K', '--email', 'k@example.test', '--host', 'smtp.example.test', '--port', '587', '--security', 'starttls', '--user', 'k', '--password-stdin'], { stdin: 'kc-secret-42', env });
    expect(add.code, add.stderr).toBe(0);
    expect(add.json.account).toMatchObject({ login: { method: 'password', source: 'keychain', state: 'stored' } });
    expect(add.stdout).not.toContain('kc-secret-42');
    const id = (add.json.account as { id: string }).id;
    expect(await new KeychainSecretStore().get(id)).toBe('kc-secret-42');
    expect(await fs.readFile(join(dir, 'accounts.json'), 'utf8')).not.toContain('kc-secret-42');
    const removed = await cliProcess(['account', 'remove', 'K'], { env });
    expect(removed.code).toBe(0);
    expect(await new KeychainSecretStore().get(id)).toBeNull();
  });

  it('moves a password an earlier version stored through keytar at its first read, and keytar keeps no copy', async () => {
    const service = `Mailwright test ${randomUUID()}`;
    const id = randomUUID();
    const keytar = legacyKeytar() as unknown as { setPassword(s: string, a: string, p: string): Promise<void>; getPassword(s: string, a: string): Promise<string | null> };
    expect(keytar, 'keytar (an optional dependency) is installed here').toBeDefined();
    await keytar.setPassword(service, id, 'from-keytar-1');
    const store = new KeychainSecretStore(service);
    expect(await store.get(id)).toBe('from-keytar-1');
    expect(await keytar.getPassword(service, id)).toBeNull();
    // Now it is the new binding's: found without keytar.
    expect(await new KeychainSecretStore(service, () => undefined).get(id)).toBe('from-keytar-1');
    await store.delete(id);
    expect(await store.get(id)).toBeNull();
  });

  it('without a Secret Service, says KEYCHAIN_UNAVAILABLE with what to do, and saves nothing', async () => {
    const dir = tempDir();
    const env: NodeJS.ProcessEnv = { ...process.env, MAILWRIGHT_DATA_DIR: dir, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', HOME: dir };
    delete env.DISPLAY;
    const add = await cliProcess(['--json', 'account', 'add', 'K', '--email', 'k@example.test', '--host', 'smtp.example.test', '--port', '587', '--security', 'starttls', '--user', 'k', '--password-stdin'], { stdin: 'pw', env });
    expect(add.code).toBe(1);
    expect(add.json.error?.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(add.json.error?.hint).toMatch(/gnome-keyring|Secret Service/);
    const list = await cliProcess(['--json', 'account', 'list'], { env });
    expect((list.json.accounts as unknown[]).length).toBe(1); // only the Sandbox
  });
});
