import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VaultSecretStore } from '../../electron/core/secrets/vault-store';
import { VAULT_KDF } from '../../electron/core/secrets/vault-file';
import { tempDir } from '../helpers/temp-dir';

// The encrypted vault: AES-256-GCM with a scrypt key, on a real file. Each derivation costs a few
// hundred milliseconds by design (the KDF is what makes guessing a passphrase slow).

const PASS = 'correct horse battery staple';
const SECRET = 'Pw-пароль-Contraseña-42';
const SECRETS_FOR_TIMING = 'kept';

function forms(secret: string): string[] {
  const b = Buffer.from(secret, 'utf8');
  return [secret, b.toString('base64'), b.toString('base64url'), b.toString('hex'), Buffer.from(secret, 'utf16le').toString('latin1'), b.toString('latin1')];
}

const vaultIn = (dir: string, passphrase?: string) => new VaultSecretStore(join(dir, 'secrets.vault'), passphrase);

describe('the encrypted vault', () => {
  it('keeps secrets across processes, readable only with the passphrase, in no encoding on disk', async () => {
    const dir = tempDir();
    const vault = vaultIn(dir);
    await vault.create(PASS, { a: SECRET });
    await vault.set('b', 'second');
    const bytes = await fs.readFile(join(dir, 'secrets.vault'));
    for (const form of forms(SECRET)) expect(bytes.toString('latin1')).not.toContain(form);
    const file = JSON.parse(bytes.toString('utf8'));
    expect(file).toMatchObject({ format: 'mailwright-vault', version: 1, cipher: 'aes-256-gcm', kdf: { name: 'scrypt', N: VAULT_KDF.N, r: 8, p: 1 } });
    expect((await fs.stat(join(dir, 'secrets.vault'))).mode & 0o077).toBe(0);

    const later = vaultIn(dir, PASS); // a new process given the passphrase
    expect(await later.get('a')).toBe(SECRET);
    expect(await later.get('b')).toBe('second');
    expect(await later.get('missing')).toBeNull();
    await expect(vaultIn(dir).get('a')).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED' } });
  });

  it('in the window, unlock attempts take their turn, and wrong ones do not keep the right one out', async () => {
    const dir = tempDir();
    await vaultIn(dir).create(PASS, { a: SECRETS_FOR_TIMING });
    const vault = vaultIn(dir);
    const order: string[] = [];
    const tries = ['wrong one!', 'wrong two!', PASS].map((p) => vault.unlock(p).then(() => order.push(`ok ${p}`), () => order.push(`no ${p}`)));
    await Promise.all(tries);
    expect(order).toEqual(['no wrong one!', 'no wrong two!', `ok ${PASS}`]); // in turn, never overlapping
    expect(await vault.get('a')).toBe(SECRETS_FOR_TIMING);
  });

  it('a wrong passphrase is SECRETS_LOCKED and leaves the file byte for byte as it was', async () => {
    const dir = tempDir();
    await vaultIn(dir).create(PASS, { a: SECRET });
    const before = await fs.readFile(join(dir, 'secrets.vault'));
    const wrong = vaultIn(dir, 'correct horse battery stapler');
    await expect(wrong.get('a')).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED', message: expect.stringContaining('does not open') } });
    await expect(wrong.set('a', 'overwrite')).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED' } });
    await expect(wrong.delete('a')).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED' } });
    await expect(vaultIn(dir).unlock('nope-nope-nope')).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED' } });
    await expect(vaultIn(dir).changePassphrase('nope-nope-nope', 'another passphrase')).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED' } });
    expect((await fs.readFile(join(dir, 'secrets.vault'))).equals(before)).toBe(true);
  });

  it('changes the passphrase in one replace: the old one stops working, the secrets stay', async () => {
    const dir = tempDir();
    const vault = vaultIn(dir);
    await vault.create(PASS, { a: SECRET });
    await vault.changePassphrase(PASS, 'a brand new passphrase');
    expect(await vault.get('a')).toBe(SECRET); // this process holds the new key
    await expect(vaultIn(dir, PASS).get('a')).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED' } });
    expect(await vaultIn(dir, 'a brand new passphrase').get('a')).toBe(SECRET);
    expect((await fs.readdir(dir)).sort()).toEqual(['secrets.vault']); // no temp file, no lock left
  });

  it('a process that unlocked before another changed the passphrase is told to unlock again, not handed stale keys', async () => {
    const dir = tempDir();
    const first = vaultIn(dir);
    await first.create(PASS, { a: SECRET });
    await vaultIn(dir).changePassphrase(PASS, 'changed elsewhere');
    await expect(first.get('a')).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED', message: expect.stringContaining('another passphrase') } });
  });

  it('two writers at once lose neither write', async () => {
    const dir = tempDir();
    await vaultIn(dir).create(PASS);
    const a = vaultIn(dir, PASS);
    const b = vaultIn(dir, PASS);
    await Promise.all([a.set('one', '1'), b.set('two', '2'), a.set('three', '3'), b.set('four', '4')]);
    const after = vaultIn(dir, PASS);
    expect(await Promise.all(['one', 'two', 'three', 'four'].map((k) => after.get(k)))).toEqual(['1', '2', '3', '4']);
  });

  it('refuses a short passphrase, a second vault, and a file changed on disk: weaker or costlier KDF settings, a short tag, a flipped bit', async () => {
    const dir = tempDir();
    await expect(vaultIn(dir).create('short')).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await vaultIn(dir).create(PASS, { a: SECRET });
    await expect(vaultIn(dir).create(PASS)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    const path = join(dir, 'secrets.vault');
    const file = JSON.parse(await fs.readFile(path, 'utf8'));
    await fs.writeFile(path, JSON.stringify({ ...file, kdf: { ...file.kdf, N: 1024 } }));
    await expect(vaultIn(dir, PASS).get('a')).rejects.toMatchObject({ info: { code: 'STORAGE_FAILED' } });
    // Parameters that would exhaust the machine (2^20 · 32 · 128 bytes = 4 GiB), or that scrypt cannot take.
    for (const kdf of [{ N: 2 ** 20, r: 32 }, { N: 3 * 2 ** 17 }, { p: 64 }]) {
      await fs.writeFile(path, JSON.stringify({ ...file, kdf: { ...file.kdf, ...kdf } }));
      await expect(vaultIn(dir, PASS).get('a')).rejects.toMatchObject({ info: { code: 'STORAGE_FAILED' } });
    }
    // A short tag (GCM would take one of 4 bytes unless told otherwise), or a changed ciphertext.
    await fs.writeFile(path, JSON.stringify({ ...file, tag: Buffer.from(file.tag, 'base64').subarray(0, 4).toString('base64') }));
    await expect(vaultIn(dir, PASS).get('a')).rejects.toMatchObject({ info: { code: 'STORAGE_FAILED' } });
    const data = Buffer.from(file.data, 'base64');
    data[0]! ^= 1;
    await fs.writeFile(path, JSON.stringify({ ...file, data: data.toString('base64') }));
    await expect(vaultIn(dir, PASS).get('a')).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED' } });
  });
});
