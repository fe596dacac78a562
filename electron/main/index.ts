// Composition root of the desktop app: build the core, register the contract on IPC, open the
// window. Logic lives in electron/core (plain Node); this file only wires Electron to it.
import { app, BrowserWindow, ipcMain, session } from 'electron';
import { wireName } from '../../shared/ipc/contract';
import { createCore } from '../core/core';
import { ownFrameCheck, registerIpc } from './ipc/register';
import { hardenSession } from './security/harden';
import { createMainWindow } from './windows/main-window';

const isAppUrl = (url: string) =>
  url.startsWith('file://') || (!!process.env.ELECTRON_RENDERER_URL && url.startsWith(process.env.ELECTRON_RENDERER_URL));

const log = (message: string, err?: unknown) => console.error(`[mailwright] ${message}`, err ?? '');

async function start() {
  await app.whenReady();
  hardenSession(session.defaultSession);
  const core = await createCore({ dataDir: app.getPath('userData'), log });
  registerIpc(ipcMain, core.handlers, ownFrameCheck(() => BrowserWindow.getAllWindows().map((w) => w.webContents), isAppUrl), log);
  core.events.on('outbox:changed', (item) => BrowserWindow.getAllWindows().forEach((w) => w.webContents.send(wireName('outbox:changed'), item)));
  core.events.on('sandbox:caught', (m) => BrowserWindow.getAllWindows().forEach((w) => w.webContents.send(wireName('sandbox:caught'), m)));
  await core.sandbox.ensureStarted();
  createMainWindow(import.meta.dirname, isAppUrl);
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => void core.close());
}

void start();
