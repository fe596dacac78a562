import type { AccountStore } from './accounts/account-store';
import type { Credentials } from './accounts/credentials';
import type { SignInService } from './accounts/auth/sign-in';
import type { AttachmentRegistry } from './attachments/attachment-registry';
import type { Database } from './db/database';
import type { DkimKeys } from './deliverability/dkim-keys';
import type { DomainChecker } from './deliverability/domain-check';
import type { DraftStore } from './drafts/draft-store';
import type { CoreEvents } from './events';
import type { OutboxService } from './outbox/outbox-service';
import type { RecentRecipients } from './recipients/recent-recipients';
import type { SandboxServer } from './sandbox/sandbox-server';
import type { Secrets } from './secrets/secrets';
import type { SettingsStore } from './settings/settings-store';
import type { TransportFactory } from './smtp/transport-factory';
import type { TemplateStore } from './templates/template-store';
import type { MergeService } from './templates/merge/merge-service';

/** The services the composition root builds; each handler file takes the few it needs. */
export interface CoreServices {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  events: CoreEvents;
  accounts: AccountStore;
  secrets: Secrets;
  credentials: Credentials;
  signIn: SignInService;
  attachments: AttachmentRegistry;
  sandbox: SandboxServer;
  transports: TransportFactory;
  outbox: OutboxService;
  /** The data directory's database (its stores use it; tests reach it to inject storage faults). */
  database: Database;
  drafts: DraftStore;
  settings: SettingsStore;
  recipients: RecentRecipients;
  templates: TemplateStore;
  /** DKIM signing keys per account. */
  dkim: DkimKeys;
  /** SPF, DKIM and DMARC of an account's From domain, asked of the DNS. */
  domainCheck: DomainChecker;
  merges: MergeService;
}
