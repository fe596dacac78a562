import { dkimSecretId } from '../deliverability/dkim-keys';
import type { CoreServices } from '../services';
import type { Handlers } from './index';

type SecretsChannels = 'secrets:status' | 'secrets:unlock' | 'secrets:use-vault' | 'secrets:change-passphrase';

/** Where secrets are kept, and the vault's passphrase. */
export function secretsHandlers(core: Pick<CoreServices, 'secrets' | 'accounts' | 'outbox'>): Pick<Handlers, SecretsChannels> {
  const { secrets, accounts, outbox } = core;
  /**
   * The vault opened or came into use: what waited for a login can go. No transport needs dropping:
   * one whose login could not be read was never kept, and closing a pool would fail what it is sending.
   */
  const unlocked = async () => {
    await outbox.loginReady();
    return secrets.status();
  };
  return {
    'secrets:status': () => secrets.status(),
    'secrets:unlock': async ({ passphrase }) => {
      await secrets.vault.unlock(passphrase);
      return unlocked();
    },
    'secrets:use-vault': async ({ passphrase }) => {
      // Each account's password or tokens, and its DKIM key when it signs.
      const ids = (await accounts.list()).filter((a) => a.kind === 'smtp').flatMap((a) => (a.dkim ? [a.id, dkimSecretId(a.id)] : [a.id]));
      const { moved } = await secrets.useVault(passphrase, ids);
      return { ...(await unlocked()), moved };
    },
    'secrets:change-passphrase': async ({ current, next }) => {
      await secrets.vault.changePassphrase(current, next);
      return secrets.status();
    },
  };
}
