import nodemailer, { type Transporter } from 'nodemailer';
import type { AccountStore, StoredAccount } from '../accounts/account-store';
import { SANDBOX_ACCOUNT_ID } from '../accounts/account-store';
import type { Credentials, Login } from '../accounts/credentials';
import { smtpSettings } from './smtp-options';
import { DEFAULT_CONNECTIONS } from '../../../shared/model/connections';

/** The embedded sandbox server, as the factory sees it: where to reach it and how to log in. */
export interface SandboxEndpoint {
  ensureStarted(): Promise<{ port: number; user: string; pass: string }>;
}

export interface AccountTransport {
  transport: Transporter;
  account: StoredAccount;
  /**
   * OAuth2: the server refused the access token its connections were given (a 535 without the
   * challenge after which nodemailer asks for a new one itself, as Microsoft answers): get
   * another, so the next connection logs in with it.
   */
  renewLogin?: () => Promise<void>;
}

/** The pool every account's transport uses, its connections the account's own (exported so the benchmarks' raw-nodemailer baseline uses exactly the same). */
// maxRequeues 0: the outbox alone decides about retries. nodemailer's pool would otherwise re-queue
// a message whose connection closed, but our raw message is a one-time file stream, so the re-run
// failed with "Content stream was already read or destroyed", which read as a permanent failure:
// a connection dropped before DATA failed a message for good (found by the load test).
export const TRANSPORT_POOL = { pool: true, maxConnections: DEFAULT_CONNECTIONS, maxMessages: 100, maxRequeues: 0 } as const;

/**
 * One pooled nodemailer transport per account, built on first use and dropped when the
 * account changes. Transports are told never to read files or URLs on their own: we hand
 * them finished messages only.
 */
export class TransportFactory {
  private readonly cache = new Map<string, Promise<AccountTransport>>();

  constructor(private readonly deps: { accounts: AccountStore; credentials: Credentials; sandbox: SandboxEndpoint }) {}

  forAccount(id: string): Promise<AccountTransport> {
    let entry = this.cache.get(id);
    if (!entry) {
      entry = this.create(id);
      this.cache.set(id, entry);
      entry.catch(() => this.cache.delete(id));
    }
    return entry;
  }

  /** The settings of an account, with the sandbox's live port and per-launch login filled in, and how to log in. */
  async resolve(id: string, opts: { prefetch?: boolean } = {}): Promise<{ account: StoredAccount; login: Login }> {
    if (id === SANDBOX_ACCOUNT_ID) {
      const live = await this.deps.sandbox.ensureStarted();
      const account = { ...(await this.deps.accounts.getStored(id)), port: live.port, username: live.user };
      return { account, login: { kind: 'password', user: live.user, password: live.pass } };
    }
    const account = await this.deps.accounts.getStored(id);
    return { account, login: await this.deps.credentials.loginFor(account, opts) };
  }

  private async create(id: string): Promise<AccountTransport> {
    const { account, login } = await this.resolve(id);
    const settings = await smtpSettings(account, login);
    const transport = nodemailer.createTransport({
      ...settings,
      ...TRANSPORT_POOL,
      maxConnections: account.connections ?? TRANSPORT_POOL.maxConnections,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    if (login.kind !== 'oauth2') return { transport, account };
    // Each pooled connection asks for a token when it logs in, and again (renew) after the
    // server's XOAUTH2 challenge says it was refused: never the one that was just refused.
    let lastGiven: string | undefined;
    const token = (refused: boolean) => login.token(refused && lastGiven ? { refused: lastGiven } : {}).then((t) => ((lastGiven = t.token), t));
    transport.set('oauth2_provision_cb', (_user: string, renew: boolean, callback: (err: Error | null, token?: string, expires?: number) => void) => {
      token(renew).then((t) => callback(null, t.token, t.expiresAt), (err: Error) => callback(err));
    });
    return { transport, account, renewLogin: () => token(true).then(() => undefined) };
  }

  invalidate(id: string): void {
    const entry = this.cache.get(id);
    this.cache.delete(id);
    entry?.then((t) => t.transport.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const all = [...this.cache.values()];
    this.cache.clear();
    await Promise.all(all.map((p) => p.then((t) => t.transport.close()).catch(() => undefined)));
  }
}
