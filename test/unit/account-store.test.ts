import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountStore } from '../../electron/core/accounts/account-store';
import { tempDir } from '../helpers/temp-dir';
import { MemorySecretStore } from '../helpers/memory-secret-store';

const base = { name: 'Work', email: 'me@example.test', host: 'smtp.example.test', port: 587, security: 'starttls' as const, username: 'me' };

function setup() {
  const dir = tempDir();
  const secrets = new MemorySecretStore();
  const corrupt: string[] = [];
  const store = new AccountStore({ dataDir: dir, secrets, sandboxPort: () => 2525, onCorrupt: (p) => corrupt.push(p) });
  return { dir, secrets, store, corrupt };
}

describe('AccountStore', () => {
  it('starts with the built-in Sandbox account as the default', async () => {
    const { store } = setup();
    const all = await store.list();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ id: 'sandbox', kind: 'sandbox', isDefault: true, port: 2525 });
  });

  it('keeps the password in the secret store, never in accounts.json', async () => {
    const { dir, secrets, store } = setup();
    const saved = await store.save({ ...base, password: 'hunter2-Secret' });
    expect(saved.hasPassword).toBe(true);
    expect(secrets.secrets.get(saved.id)).toBe('hunter2-Secret');
    const file = await fs.readFile(join(dir, 'accounts.json'), 'utf8');
    expect(file).not.toContain('hunter2');
    expect(JSON.stringify(await store.list())).not.toContain('hunter2');
    expect(await store.password(saved.id)).toBe('hunter2-Secret');
  });

  it('edits keep the stored password and pin unless told otherwise; clearPassword deletes it', async () => {
    const { secrets, store } = setup();
    const saved = await store.save({ ...base, password: 'pw', pinnedCertSha256: 'ab'.repeat(32) });
    const edited = await store.save({ ...base, id: saved.id, port: 465, security: 'tls' });
    expect(edited).toMatchObject({ port: 465, hasPassword: true, pinnedCertSha256: expect.stringMatching(/^AB:/) });
    const cleared = await store.save({ ...base, id: saved.id, clearPassword: true, pinnedCertSha256: null });
    expect(cleared.hasPassword).toBe(false);
    expect(cleared.pinnedCertSha256).toBeUndefined();
    expect(secrets.secrets.size).toBe(0);
  });

  it('refuses duplicate names, the Sandbox name and a password without a user', async () => {
    const { store } = setup();
    await store.save(base);
    await expect(store.save({ ...base, name: 'work' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(store.save({ ...base, name: 'Sandbox' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(store.save({ ...base, name: 'X', username: undefined, password: 'p' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
  });

  it('sets and falls back from the default account; removing deletes the password', async () => {
    const { secrets, store } = setup();
    const a = await store.save({ ...base, password: 'p' });
    await store.setDefault(a.id);
    expect((await store.list()).find((x) => x.isDefault)?.id).toBe(a.id);
    await store.remove(a.id);
    expect((await store.list()).find((x) => x.isDefault)?.id).toBe('sandbox');
    expect(secrets.secrets.size).toBe(0);
    await expect(store.remove('sandbox')).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
  });

  it('survives concurrent saves without losing one', async () => {
    const { store } = setup();
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.save({ ...base, name: `A${i}` })));
    expect(await store.list()).toHaveLength(11);
  });

  it('moves a corrupt accounts.json aside, reports it and keeps working', async () => {
    const { dir, store, corrupt } = setup();
    await fs.writeFile(join(dir, 'accounts.json'), '{"version":1, "accounts": [trunc');
    expect(await store.list()).toHaveLength(1);
    expect(corrupt).toHaveLength(1);
    expect(await fs.readFile(corrupt[0]!, 'utf8')).toContain('trunc');
  });

  it('reports hasPassword null when the keychain cannot be asked', async () => {
    const { store, secrets } = setup();
    const saved = await store.save({ ...base, password: 'p' });
    secrets.get = async () => {
      throw new Error('no keychain');
    };
    expect((await store.get(saved.id)).hasPassword).toBeNull();
  });
});

describe('AccountStore: the stored password never follows an edit to somewhere else', () => {
  it.each([
    ['another server', { host: 'attacker.example' }, false],
    ['another user name', { username: 'someone' }, false],
    ['another pinned certificate', { pinnedCertSha256: 'cd'.repeat(32) }, false],
    ['encryption turned off', { security: 'none' as const, port: 25 }, false],
    ['only the port and TLS mode', { port: 465, security: 'tls' as const }, true],
    ['only the display name', { displayName: 'New name' }, true],
  ])('%s: password kept = %s', async (_what, change, kept) => {
    const { store, secrets } = setup();
    const saved = await store.save({ ...base, password: 'pw', pinnedCertSha256: 'ab'.repeat(32) });
    const edited = await store.save({ ...base, pinnedCertSha256: 'ab'.repeat(32), ...change, id: saved.id });
    expect(edited.hasPassword).toBe(kept);
    expect(secrets.secrets.has(saved.id)).toBe(kept);
  });

  it('an account in the clear keeps it for a new name, not for another port (any local program may listen there)', async () => {
    const { store, secrets } = setup();
    const clear = { ...base, host: '127.0.0.1', port: 1025, security: 'none' as const };
    const saved = await store.save({ ...clear, password: 'pw' });
    expect((await store.save({ ...clear, id: saved.id, displayName: 'Relay' })).hasPassword).toBe(true);
    expect((await store.save({ ...clear, id: saved.id, port: 2525 })).hasPassword).toBe(false);
    expect(secrets.secrets.has(saved.id)).toBe(false);
  });

  it('keeps a new password that comes with the edit', async () => {
    const { store } = setup();
    const saved = await store.save({ ...base, password: 'pw' });
    const edited = await store.save({ ...base, id: saved.id, host: 'new.example.test', password: 'pw2' });
    expect(edited.hasPassword).toBe(true);
    expect(await store.password(saved.id)).toBe('pw2');
  });
});
