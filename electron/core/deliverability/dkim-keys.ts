import { code, phrase } from '../../../shared/i18n/errors/phrase';
import type { Account } from '../../../shared/model/account';
import { defaultDkimSelector, type DkimKeyType, type DkimSettings } from '../../../shared/model/deliverability';
import { SANDBOX_ACCOUNT_ID, type AccountStore, type StoredAccount } from '../accounts/account-store';
import { invalidInput, MailwrightError } from '../errors';
import type { SecretStore } from '../secrets/secret-store';
import { dkimRecord, generateDkimKey, importDkimKey, type DkimKey } from './dkim-key';
import { dkimSigner, type DkimSigner } from './dkim-sign';

/** Where an account's DKIM private key is kept in the secret store, beside its password or tokens. */
export const dkimSecretId = (accountId: string) => `${accountId}.dkim`;


export interface DkimKeysDeps {
  accounts: AccountStore;
  secrets: SecretStore;
  now: () => Date;
}

/**
 * DKIM signing keys, one per account: made here or imported, the private key in the secret store
 * (never in accounts.json, never back to a window), the public record in the account's settings.
 */
export class DkimKeys {
  /** Signers made this run, by account, for as long as the account's settings (domain, selector, record) stay the same. */
  private readonly signers = new Map<string, { settings: string; signer: Promise<DkimSigner> }>();

  constructor(private readonly deps: DkimKeysDeps) {}

  async generate(id: string, opts: { selector?: string; domain?: string; keyType?: DkimKeyType }): Promise<Account> {
    return this.keep(id, await generateDkimKey(opts.keyType), opts.selector, opts.domain);
  }

  import(id: string, pem: string, opts: { selector: string; domain?: string }): Promise<Account> {
    return this.keep(id, importDkimKey(pem), opts.selector, opts.domain);
  }

  /** Stop signing this account's mail, and forget its key. */
  async remove(id: string): Promise<Account> {
    const account = await this.deps.accounts.setDkim(id, undefined);
    await this.deps.secrets.delete(dkimSecretId(id));
    this.signers.delete(id);
    return account;
  }

  /** Forget the key of an account that is being removed (a key left in an unreachable keychain is harmless). */
  async forget(id: string): Promise<void> {
    this.signers.delete(id);
    await this.deps.secrets.delete(dkimSecretId(id)).catch(() => undefined);
  }

  /** The account's signer, or none when it does not sign. Its key is read once per run (a merge signs thousands). */
  signerFor(account: StoredAccount): Promise<DkimSigner> | undefined {
    const settings = account.dkim;
    if (!settings) return undefined;
    const key = JSON.stringify(settings);
    const kept = this.signers.get(account.id);
    if (kept?.settings === key) return kept.signer;
    const signer = this.load(account, settings);
    this.signers.set(account.id, { settings: key, signer });
    signer.catch(() => this.signers.get(account.id)?.signer === signer && this.signers.delete(account.id));
    return signer;
  }

  private async load(account: StoredAccount, settings: DkimSettings): Promise<DkimSigner> {
    const pem = await this.deps.secrets.get(dkimSecretId(account.id));
    if (pem === null) throw keyMissing(account);
    // The key kept and the record published must be one pair (a save that failed half-way, two
    // processes changing the key at once): signing with another key would fail DKIM at every receiver.
    if (dkimRecord({ pem, keyType: settings.keyType }, settings.selector, settings.domain).value !== settings.record.value) throw keyMismatch(account);
    return dkimSigner(settings, pem);
  }

  private async keep(id: string, key: DkimKey, selector: string | undefined, domain: string | undefined): Promise<Account> {
    if (id === SANDBOX_ACCOUNT_ID) throw invalidInput(phrase('err.dkim.sandbox'), phrase('err.account.sandbox.hint'));
    const account = await this.deps.accounts.getStored(id);
    const signingDomain = (domain ?? account.email.split('@')[1] ?? '').toLowerCase();
    const signingSelector = (selector ?? defaultDkimSelector(this.deps.now())).toLowerCase();
    const settings: DkimSettings = { domain: signingDomain, selector: signingSelector, keyType: key.keyType, record: dkimRecord(key, signingSelector, signingDomain) };
    // The key first: settings that name a key the store does not have would stop every send.
    await this.deps.secrets.set(dkimSecretId(id), key.pem);
    this.signers.delete(id);
    return this.deps.accounts.setDkim(id, settings);
  }
}

const keyMismatch = (account: StoredAccount) =>
  new MailwrightError('INVALID_INPUT', {
    message: phrase('err.dkim.keyMismatch', { account: account.name }),
    hint: phrase('err.dkim.keyMissing.hint', { command: code(`mailwright account dkim ${account.name} --generate`) }),
  });

/** The account's settings name a key the store does not have: nothing of the account can be signed (a merge pauses with this). */
const keyMissing = (account: StoredAccount) =>
  new MailwrightError('INVALID_INPUT', {
    message: phrase('err.dkim.keyMissing', { account: account.name }),
    hint: phrase('err.dkim.keyMissing.hint', { command: code(`mailwright account dkim ${account.name} --generate`) }),
  });
