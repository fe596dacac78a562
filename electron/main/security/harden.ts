import type { Session, WebContents } from 'electron';
import { CSP, DEV_CSP } from '../../core/csp';

/** Deny every permission request and add the CSP header to every response (relaxed only for `npm run dev`). */
export function hardenSession(session: Session, dev = !!process.env.ELECTRON_RENDERER_URL) {
  const policy = dev ? DEV_CSP : CSP;
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}

/** No navigation away from the app, no new windows, no webviews: links open nowhere inside the app. */
export function hardenContents(contents: WebContents, isAppUrl: (url: string) => boolean) {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
