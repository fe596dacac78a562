import type { MailwrightApi } from '../../shared/ipc/bridge';

declare global {
  interface Window {
    mailwright?: MailwrightApi;
  }
}

/** The one accessor for the bridge. */
export function api(): MailwrightApi {
  if (!window.mailwright) throw new Error('The Mailwright bridge is missing');
  return window.mailwright;
}
