import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { createFakeElectron } from '../../helpers/fake-electron';

// The Electron half of renderer isolation (the browser-mode half is test/adversarial/
// renderer-isolation.test.ts): what a compromised or misled page might ask the window to do.
const fake = createFakeElectron('/tmp/mw-harden-unused');
vi.mock('electron', () => fake.module);
const { appUrlCheck } = await import('../../../electron/main/app');
const { hardenContents, hardenSession } = await import('../../../electron/main/security/harden');

const outDir = '/opt/mailwright/out/main';
const index = pathToFileURL('/opt/mailwright/out/renderer/index.html').href;

function hardened() {
  const contents = Object.assign(new EventEmitter(), {
    openHandler: undefined as undefined | ((d: { url: string }) => { action: string }),
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.openHandler = h;
    },
  });
  hardenContents(contents as never, appUrlCheck(outDir, ''));
  const prevented = (event: string, ...args: unknown[]) => {
    let stopped = false;
    contents.emit(event, { preventDefault: () => (stopped = true) }, ...args);
    return stopped;
  };
  return { contents, prevented };
}

describe('window hardening against a hostile page', () => {
  it('refuses every navigation but to the app itself, however the URL is dressed', () => {
    const { prevented } = hardened();
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'file:///opt/mailwright/out/renderer/../../../etc/passwd',
      'file:///opt/mailwright/out/renderer/other.html',
      `${index}?x=1`,
      'blob:file:///0b3c',
      'http://127.0.0.1:8080/',
      'https://example.com/',
      'mailto:a@example.com',
    ]) {
      expect(prevented('will-navigate', url), url).toBe(true);
    }
    expect(prevented('will-navigate', `${index}#outbox`)).toBe(false);
    expect(prevented('will-navigate', index)).toBe(false);
  });

  it('opens no window for any URL, and attaches no webview', () => {
    const { contents, prevented } = hardened();
    for (const url of ['https://example.com/', index, 'about:blank', 'javascript:1']) expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    expect(prevented('will-attach-webview', {}, { src: 'https://example.com/' })).toBe(true);
  });

  it('the dev server origin is trusted only in `npm run dev`', () => {
    expect(appUrlCheck(outDir, '')('http://localhost:5173/')).toBe(false);
    expect(appUrlCheck(outDir, 'http://localhost:5173')('http://localhost:5173/#x')).toBe(true);
    expect(appUrlCheck(outDir, 'http://localhost:5173')('http://localhost:5174/')).toBe(false);
  });

  it('denies every permission, whatever is asked, and puts the strict CSP on every response, even one that brings its own', () => {
    hardenSession((fake.module.session as { defaultSession: unknown }).defaultSession as never, false);
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fileSystem', 'hid', 'serial', 'usb']) fake.sessionCalls.permissionRequest!({}, p, (ok) => answers.push(ok));
    expect(answers.every((ok) => ok === false)).toBe(true);
    let headers: Record<string, string[]> = {};
    fake.sessionCalls.headers!({ responseHeaders: { 'Content-Security-Policy': ["script-src * 'unsafe-inline' 'unsafe-eval'"] } }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toHaveLength(1);
    expect(headers['Content-Security-Policy']![0]).toMatch(/script-src 'self';/);
    expect(headers['Content-Security-Policy']![0]).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });
});
