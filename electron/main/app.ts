// Composition root of the desktop app: build the core, register the contract on IPC, open the
// window. Logic lives in electron/core (plain Node); this file only wires Electron to it.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { wireName, EVENT_NAMES } from '../../shared/ipc/contract';
import { createCore, type Core } from '../core/core';
import { pruneUploads } from '../core/attachments/uploads';
import { ownFrameCheck, registerIpc } from './ipc/register';
import { hardenContents, hardenSession } from './security/harden';
import { createMainWindow } from './windows/main-window';
import { nativeHost } from './host/native-host';
import { notifyFailures } from './outbox/failure-notifications';
import { retryOnWake } from './outbox/wake-triggers';
import { installMenu } from './menu';
import { followMailtoSetting, openMailtoLink, receiveMailtoLinks } from './mailto-links';
import { bringToFront } from './windows/active-window';
import { followThemeSetting } from './appearance/native-theme';
import { quitInOrder } from './quit';

const log = (message: string, err?: unknown) => console.error(`[mailwright] ${message}`, err ?? '');

/**
 * Our own page: exactly the built renderer's index.html (any fragment), or the dev server in
 * `npm run dev`. Any other file:// URL is not ours: the page must not navigate to local files.
 */
export function appUrlCheck(dir: string, devUrl = process.env.ELECTRON_RENDERER_URL) {
  const index = pathToFileURL(join(dir, '../renderer/index.html')).href;
  return (url: string) => url.split('#')[0] === index || (!!devUrl && new URL(url).origin === new URL(devUrl).origin);
}

/** Resolves with nothing when another instance already runs: it got our command line (a mailto: link) and we quit. */
export async function startApp(dir: string): Promise<{ core: Core; window: BrowserWindow } | undefined> {
  // The desktop app asks for the vault's passphrase in its window. MAILWRIGHT_PASSPHRASE is the
  // command line's (and browser mode's): here it would sit in the environment of every process
  // Electron starts, the renderers' included, so it is dropped rather than used.
  delete process.env.MAILWRIGHT_PASSPHRASE;
  // Tests and power users may point the app at another data directory, as the CLI allows.
  if (process.env.MAILWRIGHT_DATA_DIR) app.setPath('userData', process.env.MAILWRIGHT_DATA_DIR);
  // One instance per data directory (the lock is keyed on userData, so after setPath).
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  const mailtoLinks = receiveMailtoLinks(process.argv);
  const isAppUrl = appUrlCheck(dir);
  app.enableSandbox();
  app.on('web-contents-created', (_e, contents) => hardenContents(contents, isAppUrl));
  await app.whenReady();
  hardenSession(session.defaultSession);

  const core = await createCore({
    dataDir: app.getPath('userData'),
    log,
    autoRun: true,
    host: nativeHost,
  });
  const windows = () => BrowserWindow.getAllWindows().map((w) => w.webContents);
  const ipc = registerIpc(ipcMain, core.handlers, ownFrameCheck(windows, isAppUrl), log);
  for (const name of EVENT_NAMES) {
    core.events.on(name, (payload) => windows().forEach((wc) => wc.send(wireName(name), payload)));
  }
  await core.sandbox.ensureStarted();
  // Files dropped into a composer in an earlier run that no draft or waiting message still needs.
  await pruneUploads(core);

  await followThemeSetting(core.settings); // before the window, so it opens in the right theme
  const window = createMainWindow(dir);
  installMenu();
  notifyFailures(core, () => bringToFront(window));
  const stopFollowingMailto = await followMailtoSetting(core.settings, log);
  mailtoLinks.deliverTo((url) => void openMailtoLink(core, window, url, log));
  const stopWakeTriggers = retryOnWake(core.outbox);
  app.on('window-all-closed', () => app.quit());
  quitInOrder({
    app,
    windows: () => BrowserWindow.getAllWindows(),
    callsSettled: ipc.settled,
    closeCore: () => core.close(),
    stopFirst: () => (stopWakeTriggers(), stopFollowingMailto()),
    log,
  });
  return { core, window };
}
