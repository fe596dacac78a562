import type { I18n } from './i18n';

/** How a connection's security reads: the protocol's own name, or "no encryption" in the window's language. */
export const securityLabel = (t: I18n['t'], security: string) => (security === 'none' ? t('security.none') : security.toUpperCase());
