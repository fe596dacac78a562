import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { AccountStore, SANDBOX_ACCOUNT_ID } from './accounts/account-store';
import { OAuthTokens } from './accounts/auth/oauth-tokens';
import { SignInService } from './accounts/auth/sign-in';
import { Credentials } from './accounts/credentials';
import { KeychainSecretStore } from './secrets/keychain-store';
import type { SecretStore } from './secrets/secret-store';
import { Secrets } from './secrets/secrets';
import { AttachmentRegistry } from './attachments/attachment-registry';
import { CoreEvents } from './events';
import { createHandlers, type Handlers, type HostCapabilities } from './handlers';
import type { CoreServices } from './services';
import { OutboxService, type OutboxCheckpoint } from './outbox/outbox-service';
import { OutboxRepository } from './outbox/outbox-repository';
import { MessageBytes } from './outbox/message-bytes';
import { importLegacyOutbox } from './outbox/legacy-import';
import type { RetryPolicy } from './outbox/retry-policy';
import { systemClock, type Clock } from './clock';
import { SandboxServer } from './sandbox/sandbox-server';
import { DraftStore } from './drafts/draft-store';
import { RecentRecipients } from './recipients/recent-recipients';
import { Database } from './db/database';
import { DkimKeys } from './deliverability/dkim-keys';
import { DomainChecker } from './deliverability/domain-check';
import { dnsLookup } from './deliverability/dns-resolver';
import { SettingsStore } from './settings/settings-store';
import { TransportFactory } from './smtp/transport-factory';
import { BuildWorker } from './message/build-worker';
import { TemplateStore } from './templates/template-store';
import { MergeRepository } from './templates/merge/merge-repository';
import { MergeRunner } from './templates/merge/merge-runner';
import { MergeService } from './templates/merge/merge-service';

/** How often a running app looks for merges whose process ended, to go on with them. */
const MERGE_LOOK_EVERY_MS = 30_000;
/** A merge's check waits this long at most for the From domain's DNS records (the rows take longer anyway). */
const MERGE_DOMAIN_BUDGET_MS = 5_000;

export interface CoreOptions {
  dataDir: string;
  /** The OS keychain (unit tests give a fake); a vault in the data directory takes its place once made. */
  keychain?: SecretStore;
  /** The vault's passphrase, when the process was given one (MAILWRIGHT_PASSPHRASE, --passphrase-stdin). */
  passphrase?: string;
  /** Where MAILWRIGHT_OAUTH_<PROVIDER>_CLIENT_ID and the like are read (process.env by default). */
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** Send due mail by itself: true for the app and browser mode; the CLI sends only what it is told. */
  autoRun?: boolean;
  retry?: RetryPolicy;
  random?: () => number;
  log?: (message: string, err?: unknown) => void;
  host?: HostCapabilities;
  /** Tests only: called at each durable step of a send (the crash matrix kills the process there). */
  checkpoint?: (step: OutboxCheckpoint) => void;
  /** Tests only: how long this process answers for a message it sends without renewing (a process that dies leaves it this long). */
  leaseMs?: number;
}

export interface Core extends CoreServices {
  handlers: Handlers;
  close(): Promise<void>;
}

/** Build every service with its dependencies (the composition root shared by the app, browser mode and the CLI). */
export async function createCore(opts: CoreOptions): Promise<Core> {
  await fs.mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const log = opts.log ?? (() => {});
  const clock = opts.clock ?? systemClock;
  const events = new CoreEvents(log);
  const sandbox = new SandboxServer({ dataDir: opts.dataDir, onCaught: (m) => events.emit('sandbox:caught', m) });
  const secrets = new Secrets({ dataDir: opts.dataDir, keychain: opts.keychain ?? new KeychainSecretStore(), passphrase: opts.passphrase });
  const accounts = new AccountStore({
    dataDir: opts.dataDir,
    secrets,
    sandboxPort: () => sandbox.port,
    onCorrupt: (movedTo, err) => log(`accounts.json was unreadable and was moved to ${movedTo}`, err),
  });
  const tokens = new OAuthTokens({ dataDir: opts.dataDir, secrets, clock });
  const credentials = new Credentials({ secrets, tokens });
  const settings = new SettingsStore(opts.dataDir);
  const attachments = new AttachmentRegistry();
  const transports = new TransportFactory({ accounts, credentials, sandbox });
  const loginAvailable = async (accountId: string, how?: { cheap?: boolean }) => credentials.available(await accounts.getStored(accountId), how);
  const database = new Database({ dataDir: opts.dataDir, onMovedAside: (path) => log(`the database failed its check and was moved to ${path}; a new one was made`) });
  const repo = new OutboxRepository(() => database.db);
  const bytes = new MessageBytes(opts.dataDir, () => repo);
  const builder = new BuildWorker();
  const dkim = new DkimKeys({ accounts, secrets, now: () => clock.now() });
  const domainCheck = new DomainChecker({ accounts, dkim, lookup: dnsLookup(opts.env ?? process.env), now: () => clock.now() });
  const outbox = new OutboxService({ database, repo, bytes, dataDir: opts.dataDir, accounts, attachments, transports, events, clock, log, retry: opts.retry, random: opts.random, checkpoint: opts.checkpoint, leaseMs: opts.leaseMs, loginAvailable, builder, signerFor: (a) => dkim.signerFor(a) });
  try {
    const imported = await importLegacyOutbox({ dataDir: opts.dataDir, database, repo, bytes, now: () => clock.now().getTime(), log });
    if (imported) log(`${imported} messages of the earlier outbox were brought into the database`);
  } catch (err) {
    // Its folders stay where they are, to be imported at the next start; the outbox works meanwhile.
    log('the earlier outbox could not be brought into the database', err);
  }
  try {
    await outbox.recover();
  } catch (err) {
    // A data directory that cannot be written (read-only, a full disk, a database that cannot be
    // opened) must not stop the app from starting: each use then fails with STORAGE_FAILED and a
    // hint. Nothing mid-send is taken for abandoned before its lease runs out.
    log('start-up repair of the outbox could not run (the data directory cannot be written?)', err);
  }
  const templates = new TemplateStore({ database, attachments, clock });
  const mergeRepo = new MergeRepository(() => database.db);
  // eslint-disable-next-line prefer-const -- the runner tells the service, which is made with the runner
  let merges: MergeService;
  const runner = new MergeRunner({ database, repo: mergeRepo, outbox, attachments, accounts, events, clock, log, owner: `${process.pid}-${randomBytes(6).toString('hex')}`, changed: (id, stateChanged) => merges.changed(id, stateChanged),
    ...(opts.autoRun ? {} : { retryDue: () => outbox.runDue() }),
    expireAbandoned: () => outbox.expireAbandoned(),
    dkim,
    leaseMs: opts.leaseMs,
  });
  merges = new MergeService({ database, repo: mergeRepo, templates, attachments, accounts, outbox, runner, events, clock, dataDir: opts.dataDir, dkim, log,
    domainCheck: (id) => (id === SANDBOX_ACCOUNT_ID ? undefined : domainCheck.check(id, MERGE_DOMAIN_BUDGET_MS)),
  });
  if (opts.autoRun) outbox.start();
  // Merges whose process ended (a crash, a closed CLI) go on here, now and on a periodic look.
  let mergeLook: NodeJS.Timeout | undefined;
  if (opts.autoRun) {
    const look = () => {
      try {
        merges.resumeOrphans();
      } catch (err) {
        log('looking for merges to go on with failed', err);
      }
    };
    look();
    mergeLook = setInterval(look, MERGE_LOOK_EVERY_MS);
    mergeLook.unref();
  }
  const signIn = new SignInService({
    accounts,
    tokens,
    clock,
    registrations: { env: opts.env ?? process.env, settings: () => settings.oauthClients() },
    openExternal: opts.host?.openExternal,
    onSignedIn: async (account) => {
      transports.invalidate(account.id);
      await outbox.loginReady(account.id).catch((err: unknown) => log(`sending what waited for ${account.name} failed`, err));
    },
  });

  const services: CoreServices = {
    dataDir: opts.dataDir,
    env: opts.env ?? process.env,
    events,
    accounts,
    secrets,
    credentials,
    signIn,
    attachments,
    sandbox,
    transports,
    outbox,
    database,
    drafts: new DraftStore({ dataDir: opts.dataDir, database, attachments, clock, log }),
    settings,
    templates,
    merges,
    dkim,
    domainCheck,
    recipients: new RecentRecipients({ dataDir: opts.dataDir, database, log, now: () => clock.now(), onCorrupt: (movedTo, err) => log(`recent-recipients.json was unreadable and was moved to ${movedTo}`, err) }),
  };
  return {
    ...services,
    handlers: createHandlers(services, opts.host),
    async close() {
      signIn.close();
      clearInterval(mergeLook);
      await runner.close();
      merges.close();
      await outbox.close();
      await builder.close();
      await services.recipients.flushed(); // uses recorded by the last messages queued are not lost on quit
      await database.close();
      await transports.closeAll();
      await sandbox.stop();
    },
  };
}
