import type { Account } from '../../../../shared/model/account';
import { providerLabel } from '../../../../shared/model/sign-in';
import type { I18n } from '../../lib/i18n';

/** How an account logs in and whether it can now, in a few words for the list. */
export function loginSummary({ t }: I18n, a: Account): string | undefined {
  const l = a.login;
  if (l.method === 'none') return undefined;
  if (l.state === 'locked') return t('accounts.login.locked');
  if (l.state === 'unavailable') return t('accounts.login.unavailable');
  if (l.method === 'password') {
    if (l.source === 'command') return t('accounts.login.command', { command: l.command ?? '' });
    return l.state === 'stored' ? t('accounts.login.password', { where: t(`accounts.where.${l.source}`) }) : t('accounts.login.missing');
  }
  const provider = providerLabel(a.oauth ?? { provider: 'issuer' });
  if (l.state === 'sign-in-required') return t('accounts.login.signInRequired', { provider });
  return l.signedInAs ? t('accounts.login.signedInAs', { provider, who: l.signedInAs }) : t('accounts.login.signedIn', { provider });
}
