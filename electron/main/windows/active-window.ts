// Where main addresses the user: the focused window, or the main window when none has focus
// (a menu used from macOS's menu bar with no window focused, a link opened from another app).
import { BrowserWindow } from 'electron';
import { wireName } from '../../../shared/ipc/contract';
import type { AppCommand } from '../../../shared/model/app-command';

export const activeWindow = (): BrowserWindow | undefined => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];

/** Ask the page to carry out a command (the renderer implements each command once, for menu and shortcuts alike). */
export function sendAppCommand(command: AppCommand, win = activeWindow()): void {
  win?.webContents.send(wireName('app:command'), command);
}

/** Show a window the user is asked to look at: restored if minimized, then focused. */
export function bringToFront(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.focus();
}
