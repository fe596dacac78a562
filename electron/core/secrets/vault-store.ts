import { promises as fs } from 'node:fs';
import { code, phrase } from '../../../shared/i18n/errors/phrase';
import { invalidInput, MailwrightError, storageFailed, systemWords } from '../errors';
import { writeFileAtomic } from '../fs/atomic-file';
import { withFileLock } from '../fs/file-lock';
import type { SecretStore } from './secret-store';
import { secretsLocked } from './secret-store';
import { deriveKey, open, parseVaultFile, sameKdf, seal, type VaultFile, type VaultKey, type VaultSecrets } from './vault-file';

export const MIN_PASSPHRASE = 8;

const lockedHint = phrase('err.vault.locked.hint', { env: code('MAILWRIGHT_PASSPHRASE'), flag: code('--passphrase-stdin') });
const createFirst = phrase('err.vault.createFirst.hint', { command: code('mailwright secrets use-vault') });

/**
 * Secrets in an encrypted file in the data directory, for machines where no keychain answers.
 * Only the derived key stays in memory, never the passphrase typed in the window. Every change
 * re-reads the file under a lock other processes respect and replaces it atomically, so the app
 * and a CLI beside it never lose each other's writes, and a crash leaves the old vault or the new.
 */
export class VaultSecretStore implements SecretStore {
  private key: VaultKey | undefined;
  /** Unlock attempts, one at a time, each wrong one making the next wait longer (the window is no passphrase oracle). */
  private unlocking: Promise<unknown> = Promise.resolve();
  private wrongTries = 0;
  private deriving: Promise<VaultKey> | undefined;
  /** The passphrase given at start did not open the vault: why, for every read until one is typed. */
  private passphraseRefused: MailwrightError | undefined;

  /** `passphrase`: given at start (the CLI's MAILWRIGHT_PASSPHRASE or --passphrase-stdin), tried when first needed. */
  constructor(
    readonly path: string,
    private passphrase?: string,
  ) {}

  async exists(): Promise<boolean> {
    return (await this.read()) !== undefined;
  }

  /** Whether a read would succeed without a passphrase now: the key is held and still fits the file. */
  async isUnlocked(): Promise<boolean> {
    const file = await this.read();
    if (!file) return false;
    if (this.key && sameKdf(this.key.kdf, file.kdf)) return true;
    if (this.passphrase === undefined) return false;
    return this.keyFor(file).then(() => true, () => false);
  }

  unlock(passphrase: string): Promise<void> {
    return this.guessed(async () => {
      const file = await this.read();
      if (!file) throw invalidInput(phrase('err.vault.none'), createFirst);
      const key = await deriveKey(passphrase, file.kdf);
      open(key, file); // SECRETS_LOCKED on a wrong passphrase; nothing is written
      this.key = key;
      this.passphraseRefused = undefined;
    });
  }

  /**
   * Whatever tries a passphrase someone typed (unlock, change): one at a time, and each wrong one
   * makes the next wait longer, so the window is no fast way to guess it.
   */
  private guessed<T>(attempt: () => Promise<T>): Promise<T> {
    const run = this.unlocking.then(async () => {
      if (this.wrongTries) await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** (this.wrongTries - 1))));
      try {
        const value = await attempt();
        this.wrongTries = 0;
        return value;
      } catch (err) {
        if (err instanceof MailwrightError && err.info.code === 'SECRETS_LOCKED') this.wrongTries++;
        throw err;
      }
    });
    this.unlocking = run.catch(() => undefined);
    return run;
  }

  async get(id: string): Promise<string | null> {
    const file = await this.read();
    if (!file) return null;
    return open(await this.keyFor(file), file)[id] ?? null;
  }

  set(id: string, secret: string): Promise<void> {
    return this.rewrite((s) => void (s[id] = secret));
  }

  async delete(id: string): Promise<void> {
    if (!(await this.exists())) return;
    await this.rewrite((s) => void delete s[id]);
  }

  /** A new vault holding `initial`; refused when one exists (it would be overwritten). */
  async create(passphrase: string, initial: VaultSecrets = {}): Promise<void> {
    checkPassphrase(passphrase);
    await withFileLock(this.path, 'vault', async () => {
      if (await this.read()) throw invalidInput(phrase('err.vault.exists'), phrase('err.vault.exists.hint'));
      const key = await deriveKey(passphrase);
      await this.write(seal(key, initial));
      this.key = key;
      this.passphraseRefused = undefined;
    });
  }

  /** Re-encrypt under a new passphrase in one atomic replace; a wrong current passphrase changes nothing. */
  async changePassphrase(current: string, next: string): Promise<void> {
    checkPassphrase(next);
    await this.guessed(() => withFileLock(this.path, 'vault', async () => {
      const file = await this.read();
      if (!file) throw invalidInput(phrase('err.vault.none'), createFirst);
      const secrets = open(await deriveKey(current, file.kdf), file);
      const key = await deriveKey(next);
      await this.write(seal(key, secrets));
      this.key = key;
      this.passphrase = undefined;
      this.passphraseRefused = undefined;
    }));
  }

  private async keyFor(file: VaultFile): Promise<VaultKey> {
    if (this.key && sameKdf(this.key.kdf, file.kdf)) return this.key;
    if (this.passphraseRefused) throw this.passphraseRefused;
    if (this.passphrase === undefined) {
      throw this.key
        ? secretsLocked({ message: phrase('err.vault.relocked'), hint: phrase('err.vault.relocked.hint') })
        : secretsLocked({ message: phrase('err.vault.locked'), hint: lockedHint });
    }
    // One derivation (128 MiB, a few hundred ms) for however many secrets are asked for at once.
    const passphrase = this.passphrase;
    this.deriving ??= deriveKey(passphrase, file.kdf).finally(() => (this.deriving = undefined));
    const key = await this.deriving;
    try {
      open(key, file);
    } catch (err) {
      // Wrong: said again on every read, without another derivation.
      if (this.passphrase === passphrase && err instanceof MailwrightError) this.passphraseRefused = err;
      throw err;
    }
    this.key = key;
    return key;
  }

  private rewrite(change: (secrets: VaultSecrets) => void): Promise<void> {
    return withFileLock(this.path, 'vault', async () => {
      const file = await this.read();
      if (!file) throw secretsLocked({ message: phrase('err.vault.noneToWrite'), hint: createFirst });
      const key = await this.keyFor(file);
      const secrets = open(key, file);
      change(secrets);
      await this.write(seal(key, secrets));
    });
  }

  private async read(): Promise<VaultFile | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new MailwrightError('STORAGE_FAILED', { message: phrase('err.vault.cannotRead'), hint: phrase('err.vault.cannotRead.hint'), quote: systemWords(err) }, { cause: err });
    }
    return parseVaultFile(text, this.path);
  }

  private async write(file: VaultFile): Promise<void> {
    try {
      await writeFileAtomic(this.path, JSON.stringify(file) + '\n');
    } catch (err) {
      throw storageFailed('vault', err);
    }
  }
}

function checkPassphrase(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE) {
    throw invalidInput(phrase('err.vault.shortPassphrase', { count: MIN_PASSPHRASE }), phrase('err.vault.shortPassphrase.hint'));
  }
}
