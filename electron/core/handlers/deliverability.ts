import type { CoreServices } from '../services';
import type { Handlers } from './index';

type DeliverabilityChannels = 'accounts:dkim-generate' | 'accounts:dkim-import' | 'accounts:dkim-remove' | 'accounts:check-domain';

/** DKIM keys per account and the check of the From domain's DNS records. */
export function deliverabilityHandlers({ dkim, domainCheck }: Pick<CoreServices, 'dkim' | 'domainCheck'>): Pick<Handlers, DeliverabilityChannels> {
  return {
    'accounts:dkim-generate': ({ id, ...opts }) => dkim.generate(id, opts),
    'accounts:dkim-import': ({ id, privateKey, ...opts }) => dkim.import(id, privateKey, opts),
    'accounts:dkim-remove': ({ id }) => dkim.remove(id),
    'accounts:check-domain': ({ id }) => domainCheck.check(id),
  };
}
