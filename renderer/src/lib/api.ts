import type { MailwrightApi } from '../../../shared/ipc/bridge';
import { createHttpBridge, type BrowserExtras } from './http-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    mailwright?: MailwrightApi;
  }
}

let bridge: (MailwrightApi & Partial<BrowserExtras>) | undefined;

/** Browser mode's token arrives in the URL fragment (never sent to a server); keep it for this tab and tidy the address bar. */
function browserToken(): string | undefined {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('mailwright.token', fromHash);
    history.replaceState(null, '', location.pathname);
    return fromHash;
  }
  return sessionStorage.getItem('mailwright.token') ?? undefined;
}

/** The one accessor for the bridge: the preload's in Electron, HTTP in browser mode. */
export function api(): MailwrightApi & Partial<BrowserExtras> {
  if (!bridge) {
    if (window.mailwright) bridge = window.mailwright;
    else {
      const token = browserToken();
      if (!token) throw new Error('Open Mailwright from the address `mailwright serve` printed (it carries the access token).');
      bridge = createHttpBridge(token);
    }
  }
  return bridge;
}

export const isBrowserMode = () => !window.mailwright;
