import { join } from 'node:path';
import { BrowserWindow } from 'electron';
import { hardenContents } from '../security/harden';

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
  spellcheck: true,
} as const;

export function createMainWindow(dir: string, isAppUrl: (url: string) => boolean): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    title: 'Mailwright',
    show: false,
    webPreferences: { ...WEB_PREFERENCES, preload: join(dir, '../preload/index.cjs') },
  });
  hardenContents(win.webContents, isAppUrl);
  win.once('ready-to-show', () => win.show());
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(dir, '../renderer/index.html'));
  return win;
}
