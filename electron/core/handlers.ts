import type { Channel, ParsedRequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { Core } from './core';
import { invalidInput } from './errors';
import { testConnection } from './smtp/connection-test';

/** What only the host can do (the desktop shell has native dialogs; browser mode and the CLI do not). */
export interface HostCapabilities {
  /** Ask the user for files; resolves with the chosen paths (empty when cancelled). */
  pickFiles?: () => Promise<string[]>;
}

export type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

/** The contract's implementation: the IPC registrar, browser mode and the CLI all call these. */
export function createHandlers(core: Core, host: HostCapabilities = {}): Handlers {
  const { accounts, transports, outbox, sandbox, attachments } = core;
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
    'accounts:test': async ({ id }) => {
      const { account, password } = await transports.resolve(id);
      return testConnection(account, password);
    },
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
