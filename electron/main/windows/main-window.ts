import { join } from 'node:path';
import { BrowserWindow } from 'electron';

/** The trust boundary of the window: the page gets no Node, runs sandboxed, and sees only the preload's bridge. */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  webviewTag: false,
  spellcheck: true,
} as const;

export function createMainWindow(dir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 800,
    minWidth: 760,
    minHeight: 540,
    title: 'Mailwright',
    show: false,
    webPreferences: { ...WEB_PREFERENCES, preload: join(dir, '../preload/index.cjs') },
  });
  win.once('ready-to-show', () => win.show());
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(dir, '../renderer/index.html'));
  return win;
}
