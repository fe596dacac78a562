import type { Channel, ParsedRequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { Core } from './core';
import { invalidInput } from './errors';
import { discover, type DiscoveryDeps } from './accounts/discovery/discover';
import { runDoctor, type DoctorInput } from './smtp/doctor/doctor';
import { sendTestMessage } from './smtp/doctor/send-test';

/** What only the host can do (the desktop shell has native dialogs; browser mode and the CLI do not). */
export interface HostCapabilities {
  /** Ask the user for files; resolves with the chosen paths (empty when cancelled). */
  pickFiles?: () => Promise<string[]>;
  /** Tests point discovery at their own DNS answers and HTTP server. */
  discovery?: DiscoveryDeps;
}

export type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

/** The contract's implementation: the IPC registrar, browser mode and the CLI all call these. */
export function createHandlers(core: Core, host: HostCapabilities = {}): Handlers {
  const { accounts, transports, outbox, sandbox, attachments, events } = core;
  const doctor = (input: DoctorInput, runId?: string) =>
    runDoctor(input, { sendTest: sendTestMessage, onPhase: runId ? (phase) => events.emit('doctor:progress', { runId, phase }) : undefined });
  return {
    'accounts:list': () => accounts.list(),
    'accounts:save': async (input) => {
      const saved = await accounts.save(input);
      transports.invalidate(saved.id);
      return saved;
    },
    'accounts:remove': async ({ id }) => {
      await accounts.remove(id);
      transports.invalidate(id);
      return { removed: id };
    },
    'accounts:set-default': ({ id }) => accounts.setDefault(id),
    'accounts:test': async ({ id, rcpt, sendTestTo, runId }) => {
      const { account, password } = await transports.resolve(id);
      return doctor({ ...account, password, rcpt, sendTestTo }, runId);
    },
    'doctor:run': async ({ accountId, password, pinnedCertSha256, runId, ...settings }) => {
      // A password not retyped comes from the keychain, and only for the same server and login it was stored for.
      let stored: string | null = null;
      if (!password && accountId) {
        const saved = await accounts.getStored(accountId);
        if (saved.host.toLowerCase() === settings.host.toLowerCase() && saved.username === settings.username) stored = await accounts.password(accountId);
      }
      return doctor({ ...settings, password: password ?? stored, pinnedCertSha256: pinnedCertSha256 ?? undefined }, runId);
    },
    'accounts:discover': ({ email }) => discover(email, host.discovery),
    'attachments:pick': async () => {
      if (!host.pickFiles) throw invalidInput('There is no file picker here.', 'Use the browser’s file chooser or drag files into the composer.');
      const paths = await host.pickFiles();
      return Promise.all(paths.map((p) => attachments.register(p)));
    },
    'attachments:describe': async ({ handle }) => attachments.describe(handle),
    'outbox:enqueue': (draft) => outbox.enqueue(draft),
    'outbox:list': () => outbox.list(),
    'sandbox:list': () => sandbox.list(),
    'sandbox:get': ({ id }) => sandbox.get(id),
  };
}
