import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Account, AccountInput, LastTest, LoginStatus, OAuthSettings } from '../../../shared/model/account';
import { accountInput } from '../../../shared/model/account';
import { DEFAULT_CONNECTIONS } from '../../../shared/model/connections';
import type { DkimSettings } from '../../../shared/model/deliverability';
import type { SecretBackend } from '../../../shared/model/secrets';
import { code, phrase } from '../../../shared/i18n/errors/phrase';
import { invalidInput, MailwrightError, storageFailed } from '../errors';
import { writeFileAtomic } from '../fs/atomic-file';
import { CachedJsonFile } from '../fs/cached-json-file';
import { accountSecretLock, withFileLock } from '../fs/file-lock';
import { showPasswordCommand } from '../secrets/password-command';
import type { SecretStore } from '../secrets/secret-store';
import { parseTokenRecord, type TokenRecord } from './auth/token-record';

/** What accounts.json holds: settings only, never a password or a token. */
export type StoredAccount = Omit<Account, 'isDefault' | 'login' | 'kind'> & {
  /** The argv of a password command (msmtp's passwordeval), run without a shell when the password is needed. */
  passwordCommand?: string[];
};

/** The secret store as accounts see it: which backend answers too, for the list. */
export interface AccountSecrets extends SecretStore {
  backend(): Promise<SecretBackend>;
}

/** An account to save after a sign-in: its settings, how it signs in, and the tokens to keep. */
export interface SignedInAccount {
  input: AccountInput;
  oauth: OAuthSettings;
  tokens: TokenRecord;
  /** Stores the tokens (under the lock refreshes take) once the account's id is known. */
  storeTokens: (accountId: string, tokens: TokenRecord) => Promise<void>;
}

interface AccountsFile {
  version: 1;
  defaultAccountId: string;
  accounts: StoredAccount[];
  /** The built-in Sandbox account is not in `accounts`, but it may have a signature. */
  sandboxSignature?: string;
}

export const SANDBOX_ACCOUNT_ID = 'sandbox';

function refuseTakenName(file: AccountsFile, name: string, id?: string): void {
  const clash = file.accounts.some((a) => a.name.toLowerCase() === name.trim().toLowerCase() && a.id !== id);
  if (clash || name.trim().toLowerCase() === 'sandbox') throw invalidInput(phrase('err.account.nameTaken', { name: name.trim() }), phrase('err.account.nameTaken.hint'));
}

const noSuchAccount = (id: string) => invalidInput(phrase('err.account.noSuchId', { id }), phrase('err.input.accountId.hint'));

/**
 * Whether an edit would send the stored password somewhere the user never typed it for: another
 * server, another login, another pinned certificate, in the clear, or in the clear to another
 * port (a local relay on 127.0.0.1; found in review). The renderer is untrusted,
 * so such an edit forgets the password unless a new one comes with it.
 */
export function passwordWouldTravelElsewhere(before: StoredAccount, after: StoredAccount): boolean {
  return (
    before.host.toLowerCase() !== after.host.toLowerCase() ||
    (before.username ?? '') !== (after.username ?? '') ||
    (!!after.pinnedCertSha256 && before.pinnedCertSha256 !== after.pinnedCertSha256) ||
    (after.security === 'none' && before.security !== 'none') ||
    // In the clear, another port on the same host may be any local program listening there.
    (after.security === 'none' && before.port !== after.port)
  );
}

/** The built-in account that delivers to the embedded sandbox server, so a fresh install can send at once. */
export const sandboxAccount = (port: number): StoredAccount => ({
  id: SANDBOX_ACCOUNT_ID,
  name: 'Sandbox',
  displayName: 'Mailwright Sandbox',
  email: 'you@sandbox.mailwright.invalid',
  host: '127.0.0.1',
  port,
  security: 'none',
});

export interface AccountStoreDeps {
  dataDir: string;
  secrets: AccountSecrets;
  /** The sandbox server's port, or 0 while it is not running. */
  sandboxPort: () => number;
  onCorrupt?: (movedTo: string, err: Error) => void;
}

/** Several SMTP accounts and the default one, in `accounts.json`; passwords in the SecretStore. */
export class AccountStore {
  private readonly file: string;
  private readonly cache: CachedJsonFile<AccountsFile>;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: AccountStoreDeps) {
    this.file = join(deps.dataDir, 'accounts.json');
    this.cache = new CachedJsonFile(this.file, deps.onCorrupt);
  }

  private async read(): Promise<AccountsFile> {
    const data = await this.cache.read();
    return data && Array.isArray(data.accounts) ? data : { version: 1, defaultAccountId: SANDBOX_ACCOUNT_ID, accounts: [] };
  }

  /** Read-modify-write, one at a time, so two saves in a row never lose one. */
  private update<T>(change: (file: AccountsFile) => Promise<T> | T): Promise<T> {
    const run = this.writing.then(async () => {
      const file = await this.read();
      const result = await change(file);
      try {
        await writeFileAtomic(this.file, JSON.stringify(file, null, 2) + '\n');
      } catch (err) {
        throw storageFailed('accounts', err);
      } finally {
        this.cache.written();
      }
      return result;
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async present(stored: StoredAccount, defaultId: string): Promise<Account> {
    const { passwordCommand: _command, ...shown } = stored;
    const kind = stored.id === SANDBOX_ACCOUNT_ID ? 'sandbox' : 'smtp';
    return { ...shown, kind, isDefault: stored.id === defaultId, login: kind === 'sandbox' ? { method: 'none' } : await this.loginStatus(stored) };
  }

  /** How an account logs in and whether it can now, without running a password command or refreshing a token. */
  private async loginStatus(stored: StoredAccount): Promise<LoginStatus> {
    if (stored.passwordCommand) return { method: 'password', source: 'command', state: 'stored', command: showPasswordCommand(stored.passwordCommand) };
    if (!stored.oauth && !stored.username) return { method: 'none' };
    const source = await this.deps.secrets.backend().catch(() => 'keychain' as const);
    let secret: string | null;
    try {
      secret = await this.deps.secrets.get(stored.id);
    } catch (err) {
      const state = err instanceof MailwrightError && err.info.code === 'SECRETS_LOCKED' ? 'locked' : 'unavailable';
      return stored.oauth ? { method: 'oauth2', source, state } : { method: 'password', source, state };
    }
    if (!stored.oauth) return { method: 'password', source, state: secret !== null ? 'stored' : 'missing' };
    const record = parseTokenRecord(secret);
    return { method: 'oauth2', source, state: record?.refreshToken ? 'signed-in' : 'sign-in-required', ...(record?.signedInAs ? { signedInAs: record.signedInAs } : {}) };
  }

  private async all(): Promise<{ accounts: StoredAccount[]; defaultId: string }> {
    const file = await this.read();
    const sandbox = sandboxAccount(this.deps.sandboxPort());
    if (file.sandboxSignature) sandbox.signature = file.sandboxSignature;
    const accounts = [sandbox, ...file.accounts];
    const defaultId = accounts.some((a) => a.id === file.defaultAccountId) ? file.defaultAccountId : SANDBOX_ACCOUNT_ID;
    return { accounts, defaultId };
  }

  async list(): Promise<Account[]> {
    const { accounts, defaultId } = await this.all();
    return Promise.all(accounts.map((a) => this.present(a, defaultId)));
  }

  /** The stored settings of one account, for main's own use (sending, testing). */
  async getStored(id: string): Promise<StoredAccount> {
    const { accounts } = await this.all();
    const found = accounts.find((a) => a.id === id);
    if (!found) throw noSuchAccount(id);
    return found;
  }

  async findByName(name: string): Promise<Account> {
    const all = await this.list();
    const found = all.find((a) => a.name.toLowerCase() === name.toLowerCase());
    if (!found) {
      throw invalidInput(phrase('err.account.noSuchName', { name }), phrase('err.account.known.hint', { names: all.map((a) => a.name).join(', ') }));
    }
    return found;
  }

  async get(id: string): Promise<Account> {
    const { defaultId } = await this.all();
    return this.present(await this.getStored(id), defaultId);
  }

  /** Add (no id) or edit (id) an account. The password, when given, goes to the secret store before the settings are written. */
  save(raw: AccountInput): Promise<Account> {
    return this.saveWith(raw, {});
  }

  /** Save an account that has just signed in with OAuth2: its tokens first, then its settings. */
  saveSignedIn(signedIn: SignedInAccount): Promise<Account> {
    return this.saveWith({ ...signedIn.input, password: undefined, clearPassword: undefined, passwordCommand: undefined }, { signedIn });
  }

  /**
   * A change to an account's secret, under the lock its OAuth2 refresh and a move into the vault
   * take: a refresh running now cannot write back tokens an edit just removed, nor a move into the
   * vault carry an older password over a newer one.
   */
  private secretChange(id: string, change: () => Promise<void>): Promise<void> {
    return withFileLock(accountSecretLock(this.deps.dataDir, id), 'secret', change);
  }

  /** Refuse a name another account has, before anything else happens (a sign-in asks for it first). */
  async checkName(name: string, id?: string): Promise<void> {
    refuseTakenName(await this.read(), name, id);
  }

  /** Get this account's password from a command from now on (the command line only: it runs a program). */
  async setPasswordCommand(id: string, argv: string[]): Promise<Account> {
    await this.update(async (file) => {
      const account = file.accounts.find((a) => a.id === id);
      if (!account) throw noSuchAccount(id);
      if (!account.username) throw invalidInput(phrase('err.account.noUser', { account: account.name }), phrase('err.account.noUser.hint', { flag: code('--user') }));
      account.passwordCommand = argv;
      delete account.oauth;
      await this.secretChange(id, () => this.deps.secrets.delete(id)).catch(() => undefined); // the stored password, if any, is not used any more
    });
    return this.get(id);
  }

  private async saveWith(raw: AccountInput, how: { signedIn?: SignedInAccount }): Promise<Account> {
    const input = accountInput.parse(raw);
    if (input.id === SANDBOX_ACCOUNT_ID) throw invalidInput(phrase('err.account.sandboxFixed'), phrase('err.account.sandbox.hint'));
    if (input.password && !input.username) {
      throw invalidInput(phrase('err.account.passwordNoUser'), phrase('err.account.passwordNoUser.hint'));
    }
    const saved = await this.update(async (file) => {
      refuseTakenName(file, input.name, input.id);
      const index = input.id ? file.accounts.findIndex((a) => a.id === input.id) : -1;
      if (input.id && index < 0) throw noSuchAccount(input.id);
      const id = input.id ?? randomUUID();
      const previous = index >= 0 ? file.accounts[index] : undefined;
      const stored: StoredAccount = {
        id,
        name: input.name.trim(),
        displayName: input.displayName,
        email: input.email,
        host: input.host,
        port: input.port,
        security: input.security,
      };
      if (input.username) stored.username = input.username;
      if (previous?.signature) stored.signature = previous.signature;
      if (previous?.dkim) stored.dkim = previous.dkim;
      // A test result speaks of the settings it ran with; an edit to where or how we connect makes it stale.
      if (previous?.lastTest && previous.host === stored.host && previous.port === stored.port && previous.security === stored.security && previous.username === stored.username) stored.lastTest = previous.lastTest;
      const pin = input.pinnedCertSha256 === undefined && previous ? previous.pinnedCertSha256 : input.pinnedCertSha256;
      if (pin) stored.pinnedCertSha256 = pin;
      const connections = input.connections === undefined ? previous?.connections : input.connections;
      if (connections && connections !== DEFAULT_CONNECTIONS) stored.connections = connections;
      // How it logs in: a new sign-in or password replaces whatever was there; an edit keeps it,
      // unless the secret would now go somewhere the user never gave it for.
      const travels = !!previous && passwordWouldTravelElsewhere(previous, stored);
      if (how.signedIn) {
        stored.oauth = how.signedIn.oauth;
        await how.signedIn.storeTokens(id, how.signedIn.tokens);
      } else if (input.password) {
        await this.secretChange(id, () => this.deps.secrets.set(id, input.password!));
      } else if (previous) {
        const keepSecret = !travels && !input.clearPassword;
        // An OAuth account stays one; without its tokens (they would travel, or it signed out) it asks to sign in again.
        if (previous.oauth) stored.oauth = previous.oauth;
        if (previous.passwordCommand && keepSecret && input.passwordCommand !== false) stored.passwordCommand = previous.passwordCommand;
        if (!keepSecret) await this.secretChange(id, () => this.deps.secrets.delete(id));
      }
      if (index >= 0) file.accounts[index] = stored;
      else file.accounts.push(stored);
      return stored;
    });
    return this.get(saved.id);
  }

  async remove(id: string): Promise<void> {
    if (id === SANDBOX_ACCOUNT_ID) throw invalidInput(phrase('err.account.sandboxKept'), phrase('err.account.sandbox.hint'));
    await this.update(async (file) => {
      const before = file.accounts.length;
      file.accounts = file.accounts.filter((a) => a.id !== id);
      if (file.accounts.length === before) throw noSuchAccount(id);
      if (file.defaultAccountId === id) file.defaultAccountId = SANDBOX_ACCOUNT_ID;
      await this.secretChange(id, () => this.deps.secrets.delete(id)).catch((err: unknown) => {
        // The account is gone either way; a password left behind in an unreachable keychain is harmless but worth saying.
        if (!(err instanceof MailwrightError)) throw err;
      });
    });
  }

  async setDefault(id: string): Promise<Account> {
    await this.update(async (file) => {
      if (id !== SANDBOX_ACCOUNT_ID && !file.accounts.some((a) => a.id === id)) throw noSuchAccount(id);
      file.defaultAccountId = id;
    });
    return this.get(id);
  }

  /** Set (or, with an empty string, remove) the signature of any account, the Sandbox included. */
  async setSignature(id: string, html: string): Promise<Account> {
    await this.update((file) => {
      const value = html.trim() ? html : undefined;
      if (id === SANDBOX_ACCOUNT_ID) file.sandboxSignature = value;
      else {
        const account = file.accounts.find((a) => a.id === id);
        if (!account) throw noSuchAccount(id);
        if (value) account.signature = value;
        else delete account.signature;
      }
    });
    return this.get(id);
  }

  /** Sign this account's mail with a DKIM key (its private half already in the secret store), or stop. */
  async setDkim(id: string, dkim: DkimSettings | undefined): Promise<Account> {
    await this.update((file) => {
      const account = file.accounts.find((a) => a.id === id);
      if (!account) throw noSuchAccount(id);
      if (dkim) account.dkim = dkim;
      else delete account.dkim;
    });
    return this.get(id);
  }

  /** Keep the outcome of the latest settings test on the account (the sandbox keeps none). */
  async recordTest(id: string, result: LastTest): Promise<void> {
    if (id === SANDBOX_ACCOUNT_ID) return;
    await this.update((file) => {
      const account = file.accounts.find((a) => a.id === id);
      if (account) account.lastTest = result;
    });
  }

}
