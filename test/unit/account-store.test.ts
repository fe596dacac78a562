import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountStore } from '../../electron/core/accounts/account-store';
import { tempDir } from '../helpers/temp-dir';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { keychainUnavailable, secretsLocked } from '../../electron/core/secrets/secret-store';
import { phrase } from '../../shared/i18n/errors/phrase';

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
    expect(saved.login).toEqual({ method: 'password', source: 'keychain', state: 'stored' });
    expect(secrets.secrets.get(saved.id)).toBe('hunter2-Secret');
    const file = await fs.readFile(join(dir, 'accounts.json'), 'utf8');
    expect(file).not.toContain('hunter2');
    expect(JSON.stringify(await store.list())).not.toContain('hunter2');
    expect(await secrets.get(saved.id)).toBe('hunter2-Secret');
  });

  it('edits keep the stored password and pin unless told otherwise; clearPassword deletes it', async () => {
    const { secrets, store } = setup();
    const saved = await store.save({ ...base, password: 'pw', pinnedCertSha256: 'ab'.repeat(32) });
    const edited = await store.save({ ...base, id: saved.id, port: 465, security: 'tls' });
    expect(edited).toMatchObject({ port: 465, login: { state: 'stored' }, pinnedCertSha256: expect.stringMatching(/^AB:/) });
    const cleared = await store.save({ ...base, id: saved.id, clearPassword: true, pinnedCertSha256: null });
    expect(cleared.login).toMatchObject({ method: 'password', state: 'missing' });
    expect(cleared.pinnedCertSha256).toBeUndefined();
    expect(secrets.secrets.size).toBe(0);
  });

  it('keeps an account’s connections at once through an edit that leaves them out; null or the default goes back to three', async () => {
    const { store } = setup();
    const saved = await store.save({ ...base, connections: 6 });
    expect(saved.connections).toBe(6);
    expect((await store.save({ ...base, id: saved.id, port: 465 })).connections).toBe(6);
    expect((await store.save({ ...base, id: saved.id, connections: null })).connections).toBeUndefined();
    expect((await store.save({ ...base, id: saved.id, connections: 3 })).connections).toBeUndefined();
    expect((await store.getStored(saved.id)).connections).toBeUndefined();
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

  it('says the keychain is unavailable, or the vault locked, when the secret store cannot be asked', async () => {
    const { store, secrets } = setup();
    const saved = await store.save({ ...base, password: 'p' });
    secrets.get = async () => {
      throw keychainUnavailable(new Error('no keychain'));
    };
    expect((await store.get(saved.id)).login).toMatchObject({ method: 'password', state: 'unavailable' });
    secrets.get = async () => {
      throw secretsLocked({ message: phrase('err.vault.locked') });
    };
    expect((await store.get(saved.id)).login).toMatchObject({ method: 'password', state: 'locked' });
  });

  it('an account without a user name has no login; one with a password command shows the command, never runs it', async () => {
    const { store } = setup();
    const relay = await store.save({ ...base, username: undefined });
    expect(relay.login).toEqual({ method: 'none' });
    const withCommand = await store.setPasswordCommand((await store.save({ ...base, name: 'Commanded' })).id, ['pass', 'show', 'smtp/my work']);
    expect(withCommand.login).toEqual({ method: 'password', source: 'command', state: 'stored', command: "pass show 'smtp/my work'" });
    expect(JSON.stringify(withCommand)).not.toContain('passwordCommand');
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
    expect(edited.login).toMatchObject({ state: kept ? 'stored' : 'missing' });
    expect(secrets.secrets.has(saved.id)).toBe(kept);
  });

  it('an account in the clear keeps it for a new name, not for another port (any local program may listen there)', async () => {
    const { store, secrets } = setup();
    const clear = { ...base, host: '127.0.0.1', port: 1025, security: 'none' as const };
    const saved = await store.save({ ...clear, password: 'pw' });
    expect((await store.save({ ...clear, id: saved.id, displayName: 'Relay' })).login).toMatchObject({ state: 'stored' });
    expect((await store.save({ ...clear, id: saved.id, port: 2525 })).login).toMatchObject({ state: 'missing' });
    expect(secrets.secrets.has(saved.id)).toBe(false);
  });

  it('keeps a new password that comes with the edit', async () => {
    const { store, secrets } = setup();
    const saved = await store.save({ ...base, password: 'pw' });
    const edited = await store.save({ ...base, id: saved.id, host: 'new.example.test', password: 'pw2' });
    expect(edited.login).toMatchObject({ state: 'stored' });
    expect(await secrets.get(saved.id)).toBe('pw2');
  });

  it('a password command follows an edit only where a stored password would, and a new password replaces it', async () => {
    const { store, secrets } = setup();
    const saved = await store.setPasswordCommand((await store.save(base)).id, ['pass', 'show', 'work']);
    expect((await store.save({ ...base, id: saved.id, displayName: 'Ana' })).login).toMatchObject({ source: 'command' });
    expect((await store.save({ ...base, id: saved.id, host: 'attacker.example' })).login).toMatchObject({ source: 'keychain', state: 'missing' });
    const again = await store.setPasswordCommand(saved.id, ['pass', 'show', 'work']);
    expect((await store.save({ ...base, id: again.id, password: 'typed' })).login).toMatchObject({ source: 'keychain', state: 'stored' });
    expect(await secrets.get(saved.id)).toBe('typed');
  });
});

describe('AccountStore: an OAuth2 account', () => {
  const oauth = { provider: 'issuer' as const, issuer: 'https://login.example.test', scopes: ['smtp'], clientId: 'c1' };
  const tokens = { kind: 'oauth2' as const, refreshToken: 'rt-1', accessToken: 'at-1', expiresAt: 1, signedInAs: 'me@example.test' };
  const signIn = (store: AccountStore, secrets: MemorySecretStore, input: Parameters<AccountStore['save']>[0] = base) =>
    store.saveSignedIn({ input, oauth, tokens, storeTokens: (id, t) => secrets.set(id, JSON.stringify(t)) });

  it('is saved with its tokens in the secret store only, and shows who signed in', async () => {
    const { dir, store, secrets } = setup();
    const saved = await signIn(store, secrets);
    expect(saved.login).toEqual({ method: 'oauth2', source: 'keychain', state: 'signed-in', signedInAs: 'me@example.test' });
    expect(saved.oauth).toEqual(oauth);
    const file = await fs.readFile(join(dir, 'accounts.json'), 'utf8');
    expect(file).not.toContain('rt-1');
    expect(file).not.toContain('at-1');
    expect(JSON.stringify(saved)).not.toContain('rt-1');
  });

  it('an edit to where the token goes forgets the tokens but stays an OAuth account that asks to sign in again', async () => {
    const { store, secrets } = setup();
    const saved = await signIn(store, secrets);
    expect((await store.save({ ...base, id: saved.id, displayName: 'Ana' })).login).toMatchObject({ state: 'signed-in' });
    const moved = await store.save({ ...base, id: saved.id, host: 'attacker.example' });
    expect(moved.oauth).toEqual(oauth);
    expect(moved.login).toMatchObject({ method: 'oauth2', state: 'sign-in-required' });
    expect(secrets.secrets.has(saved.id)).toBe(false);
  });

  it('a password given to an OAuth account makes it a password account', async () => {
    const { store, secrets } = setup();
    const saved = await signIn(store, secrets);
    const withPassword = await store.save({ ...base, id: saved.id, password: 'app-password' });
    expect(withPassword.oauth).toBeUndefined();
    expect(withPassword.login).toMatchObject({ method: 'password', state: 'stored' });
  });
});
