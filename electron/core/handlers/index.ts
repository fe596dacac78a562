import type { Channel, ParsedRequestOf, ResponseOf } from '../../../shared/ipc/contract';
import type { DiscoveryDeps } from '../accounts/discovery/discover';
import type { CoreServices } from '../services';
import { accountHandlers } from './accounts';
import { composingHandlers } from './composing';
import { deliverabilityHandlers } from './deliverability';
import { mergeHandlers } from './merge';
import { outboxHandlers } from './outbox';
import { secretsHandlers } from './secrets';

/** What only the host can do (the desktop shell has native dialogs; browser mode and the CLI do not). */
export interface HostCapabilities {
  /** Ask the user for files; resolves with the chosen paths (empty when cancelled). */
  pickFiles?: () => Promise<string[]>;
  /** Ask where to save a file; resolves with the chosen path (undefined when cancelled). */
  saveFile?: (suggestedName: string) => Promise<string | undefined>;
  /** Open an address in the system browser (a sign-in): the desktop app; elsewhere the caller opens it. */
  openExternal?: (url: string) => Promise<void>;
  /** Tests point discovery at their own DNS answers and HTTP server. */
  discovery?: DiscoveryDeps;
}

export type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

/** The contract's implementation, one file per area: the IPC registrar, browser mode and the CLI all call these. */
export function createHandlers(services: CoreServices, host: HostCapabilities = {}): Handlers {
  const { settings, sandbox } = services;
  return {
    ...accountHandlers(services, host),
    ...secretsHandlers(services),
    ...deliverabilityHandlers(services),
    ...outboxHandlers(services, host),
    ...composingHandlers(services, host),
    ...mergeHandlers(services, host),
    'settings:get': () => settings.get(),
    'settings:save': (change) => settings.save(change),
    'sandbox:list': () => sandbox.list(),
    'sandbox:get': ({ id }) => sandbox.get(id),
  };
}
