// The application menu. Each of our items only sends an app:command to the page, which carries it
// out exactly as it does the same keyboard shortcut in browser mode: one implementation per command.
import { app, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import { VIEWS, type AppCommand, type View } from '../../shared/model/app-command';
import { activeWindow, sendAppCommand } from './windows/active-window';

const VIEW_LABELS: Record<View, string> = { compose: 'Compose', outbox: 'Outbox', merge: 'Send to a List', sandbox: 'Sandbox', accounts: 'Accounts', settings: 'Settings' };

export interface MenuOptions {
  /** macOS conventions: an app menu (About, Hide, Quit) first, and File ends with Close, not Quit. */
  mac: boolean;
  /** Reload and developer tools, for a build run from source (not packaged). */
  dev: boolean;
  send: (command: AppCommand) => void;
  showShortcuts: () => void;
}

export function menuTemplate({ mac, dev, send, showShortcuts }: MenuOptions): MenuItemConstructorOptions[] {
  const item = (id: string, label: string, command: AppCommand, accelerator?: string): MenuItemConstructorOptions => ({ id, label, click: () => send(command), ...(accelerator ? { accelerator } : {}) });
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        item('new-message', 'New message', { kind: 'new-message' }, 'CmdOrCtrl+N'),
        item('attach', 'Attach files…', { kind: 'attach' }, 'CmdOrCtrl+Shift+A'),
        { type: 'separator' },
        item('send', 'Send', { kind: 'send' }, 'CmdOrCtrl+Enter'),
        item('send-later', 'Send later…', { kind: 'send-later' }),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'pasteAndMatchStyle' }, { role: 'selectAll' }],
    },
    {
      label: 'View',
      submenu: [
        ...VIEWS.map((view, n) => item(`show-${view}`, VIEW_LABELS[view], { kind: 'show', view }, `CmdOrCtrl+${n + 1}`)),
        ...(dev ? [{ type: 'separator' } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const] : []),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ id: 'shortcuts', label: 'Keyboard shortcuts', click: showShortcuts }, ...(mac ? [] : [{ type: 'separator' } as const, { role: 'about' } as const])],
    },
  ];
}

/** "New message: Ctrl+N" for each of our items with an accelerator, read from the template itself. */
export function shortcutLines(template: MenuItemConstructorOptions[], mac: boolean): string[] {
  const items = template.flatMap((menu) => (Array.isArray(menu.submenu) ? menu.submenu : []));
  return items.filter((i) => i.id && i.accelerator).map((i) => `${i.label}: ${String(i.accelerator).replace('CmdOrCtrl', mac ? '⌘' : 'Ctrl')}`);
}

export function installMenu(): void {
  const mac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = menuTemplate({
    mac,
    dev: !app.isPackaged,
    send: (command) => sendAppCommand(command),
    showShortcuts: () => {
      const options = { type: 'info' as const, title: 'Keyboard shortcuts', message: 'Keyboard shortcuts', detail: [...shortcutLines(template, mac), 'Close a dialog or pop-up: Esc'].join('\n') };
      const parent = activeWindow();
      void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
