import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Account, AccountInput, LastTest } from '../../../shared/model/account';
import { accountInput } from '../../../shared/model/account';
import { invalidInput, MailwrightError, storageFailed } from '../errors';
import { writeFileAtomic } from '../fs/atomic-file';
import { CachedJsonFile } from '../fs/cached-json-file';
import type { SecretStore } from './secret-store';

/** What accounts.json holds: settings only, never a password. */
export type StoredAccount = Omit<Account, 'isDefault' | 'hasPassword' | 'kind'>;

interface AccountsFile {
  version: 1;
  defaultAccountId: string;
  accounts: StoredAccount[];
  /** The built-in Sandbox account is not in `accounts`, but it may have a signature. */
  sandboxSignature?: string;
}

export const SANDBOX_ACCOUNT_ID = 'sandbox';

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
  secrets: SecretStore;
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
        throw storageFailed('the accounts file', err);
      }
      return result;
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async present(stored: StoredAccount, defaultId: string): Promise<Account> {
    const kind = stored.id === SANDBOX_ACCOUNT_ID ? 'sandbox' : 'smtp';
    let hasPassword: boolean | null = false;
    if (kind === 'smtp' && stored.username) {
      try {
        hasPassword = (await this.deps.secrets.get(stored.id)) !== null;
      } catch {
        hasPassword = null;
      }
    }
    return { ...stored, kind, isDefault: stored.id === defaultId, hasPassword };
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
    if (!found) throw invalidInput(`There is no account with id "${id}".`, 'Pick one of the accounts in the list.');
    return found;
  }

  async findByName(name: string): Promise<Account> {
    const all = await this.list();
    const found = all.find((a) => a.name.toLowerCase() === name.toLowerCase());
    if (!found) {
      throw invalidInput(`There is no account named "${name}".`, `Known accounts: ${all.map((a) => a.name).join(', ')}.`);
    }
    return found;
  }

  async get(id: string): Promise<Account> {
    const { defaultId } = await this.all();
    return this.present(await this.getStored(id), defaultId);
  }

  /** Add (no id) or edit (id) an account. The password, when given, goes to the keychain before the settings are written. */
  async save(raw: AccountInput): Promise<Account> {
    const input = accountInput.parse(raw);
    if (input.id === SANDBOX_ACCOUNT_ID) throw invalidInput('The Sandbox account is built in and cannot be changed.');
    if (input.password && !input.username) {
      throw invalidInput('A password was given without a user name.', 'Set the user name the server expects for login.');
    }
    const saved = await this.update(async (file) => {
      const clash = file.accounts.find((a) => a.name.toLowerCase() === input.name.toLowerCase() && a.id !== input.id);
      if (clash || input.name.toLowerCase() === 'sandbox') {
        throw invalidInput(`An account named "${input.name}" already exists.`, 'Choose another name.');
      }
      const index = input.id ? file.accounts.findIndex((a) => a.id === input.id) : -1;
      if (input.id && index < 0) throw invalidInput(`There is no account with id "${input.id}".`);
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
      // A test result speaks of the settings it ran with; an edit to where or how we connect makes it stale.
      if (previous?.lastTest && previous.host === stored.host && previous.port === stored.port && previous.security === stored.security && previous.username === stored.username) stored.lastTest = previous.lastTest;
      const pin = input.pinnedCertSha256 === undefined && index >= 0 ? file.accounts[index]!.pinnedCertSha256 : input.pinnedCertSha256;
      if (pin) stored.pinnedCertSha256 = pin;
      const before = index >= 0 ? file.accounts[index] : undefined;
      if (input.password) await this.deps.secrets.set(id, input.password);
      else if (before && (input.clearPassword || passwordWouldTravelElsewhere(before, stored))) await this.deps.secrets.delete(id);
      if (index >= 0) file.accounts[index] = stored;
      else file.accounts.push(stored);
      return stored;
    });
    return this.get(saved.id);
  }

  async remove(id: string): Promise<void> {
    if (id === SANDBOX_ACCOUNT_ID) throw invalidInput('The Sandbox account is built in and cannot be removed.');
    await this.update(async (file) => {
      const before = file.accounts.length;
      file.accounts = file.accounts.filter((a) => a.id !== id);
      if (file.accounts.length === before) throw invalidInput(`There is no account with id "${id}".`);
      if (file.defaultAccountId === id) file.defaultAccountId = SANDBOX_ACCOUNT_ID;
      await this.deps.secrets.delete(id).catch((err: unknown) => {
        // The account is gone either way; a password left behind in an unreachable keychain is harmless but worth saying.
        if (!(err instanceof MailwrightError)) throw err;
      });
    });
  }

  async setDefault(id: string): Promise<Account> {
    await this.update(async (file) => {
      if (id !== SANDBOX_ACCOUNT_ID && !file.accounts.some((a) => a.id === id)) throw invalidInput(`There is no account with id "${id}".`);
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
        if (!account) throw invalidInput(`There is no account with id "${id}".`);
        if (value) account.signature = value;
        else delete account.signature;
      }
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

  /** The password for sending; main-only. */
  async password(id: string): Promise<string | null> {
    const stored = await this.getStored(id);
    if (!stored.username || id === SANDBOX_ACCOUNT_ID) return null;
    return this.deps.secrets.get(id);
  }
}
