import { EventEmitter } from 'node:events';

/**
 * A stand-in for the `electron` module, for unit tests of the wiring only (the Playwright
 * _electron test runs the real thing where the binary exists). It records what main asks of it.
 */
export interface FakeWebContentsLike extends EventEmitter {
  windowOpenHandler?: () => { action: string };
  mainFrame: { url: string };
  sent: Array<[string, unknown]>;
}
export interface FakeWindowLike extends EventEmitter {
  options: { webPreferences: Record<string, unknown> };
  loaded?: string;
  webContents: FakeWebContentsLike;
}
type Handler = (event: unknown, payload: unknown) => unknown;
export interface FakeMenuItem {
  id?: string;
  label?: string;
  role?: string;
  type?: string;
  accelerator?: string;
  click?: () => void;
  submenu?: FakeMenuItem[];
}
export interface FakeElectron {
  module: Record<string, unknown>;
  handlers: Map<string, Handler>;
  windows: FakeWindowLike[];
  dialogResult: { canceled: boolean; filePaths: string[] };
  sessionCalls: {
    permissionRequest?: (wc: unknown, permission: string, cb: (ok: boolean) => void) => void;
    permissionCheck?: () => boolean;
    headers?: (details: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void;
  };
  app: EventEmitter & { sandboxed: boolean; quits: number; lockHeld: boolean; protocols: Set<string> };
  /** The template of the application menu main installed, as given to Menu.buildFromTemplate. */
  menu: { template?: FakeMenuItem[] };
  messageBoxes: Array<{ title: string; detail: string }>;
  notifications: Array<{ title: string; body: string }>;
  powerMonitor: EventEmitter;
  network: { online: boolean };
  saveDialogResult: { canceled: boolean; filePath?: string };
  nativeTheme: { themeSource: string };
  /** Addresses given to shell.openExternal. */
  opened: string[];
}

export function createFakeElectron(userData: string): FakeElectron {
  const handlers = new Map<string, Handler>();
  const opened: string[] = [];
  const windows: FakeWindowLike[] = [];
  const dialogResult = { canceled: false, filePaths: [] as string[] };
  const sessionCalls: FakeElectron['sessionCalls'] = {};
  const notifications: FakeElectron['notifications'] = [];
  const powerMonitor = new EventEmitter();
  const network = { online: true };
  const saveDialogResult: FakeElectron['saveDialogResult'] = { canceled: true };
  const nativeTheme = { themeSource: 'unset' };
  class FakeNotification extends EventEmitter {
    constructor(private readonly opts: { title: string; body: string }) {
      super();
    }
    static isSupported = () => true;
    show() {
      notifications.push(this.opts);
    }
  }
  class FakeApp extends EventEmitter {
    paths: Record<string, string> = { userData };
    sandboxed = false;
    setPath(name: string, value: string) {
      this.paths[name] = value;
    }
    getPath(name: string) {
      return this.paths[name]!;
    }
    enableSandbox() {
      this.sandboxed = true;
    }
    whenReady = () => Promise.resolve();
    quits = 0;
    quit = () => void this.quits++;
    isPackaged = false;
    name = 'Mailwright';
    /** Whether this process gets the single-instance lock (false: another instance runs). */
    lockHeld = true;
    requestSingleInstanceLock = () => this.lockHeld;
    /** The schemes the system currently opens with this app. */
    protocols = new Set<string>();
    setAsDefaultProtocolClient = (scheme: string) => (this.protocols.add(scheme), true);
    removeAsDefaultProtocolClient = (scheme: string) => this.protocols.delete(scheme);
    isDefaultProtocolClient = (scheme: string) => this.protocols.has(scheme);
  }
  const app = new FakeApp();

  class FakeWebContents extends EventEmitter {
    windowOpenHandler?: () => { action: string };
    mainFrame = { url: '' };
    sent: Array<[string, unknown]> = [];
    setWindowOpenHandler(h: () => { action: string }) {
      this.windowOpenHandler = h;
    }
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
    isLoading = () => false;
  }
  class FakeWindow extends EventEmitter {
    webContents = new FakeWebContents();
    loaded?: string;
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    static getAllWindows = () => windows;
    static getFocusedWindow = () => windows[0];
    loadFile(path: string) {
      this.loaded = `file://${path}`;
      this.webContents.mainFrame.url = this.loaded;
      return Promise.resolve();
    }
    isMinimized = () => false;
    private destroyed = false;
    isDestroyed = () => this.destroyed;
    /** As a real window: 'close' (the page unloads: its last calls go out), then gone, then 'closed'. */
    close() {
      this.emit('close');
      this.destroyed = true;
      windows.splice(windows.indexOf(this), 1);
      this.emit('closed');
    }
    restore = () => undefined;
    focus = () => undefined;
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
  }

  const menu: FakeElectron['menu'] = {};
  const messageBoxes: FakeElectron['messageBoxes'] = [];
  const findItem = (items: FakeMenuItem[] | undefined, id: string): FakeMenuItem | undefined => {
    for (const item of items ?? []) {
      const found = item.id === id ? item : findItem(item.submenu, id);
      if (found) return found;
    }
    return undefined;
  };
  const module = {
    app,
    Menu: {
      buildFromTemplate: (template: FakeMenuItem[]) => ({ template, getMenuItemById: (id: string) => findItem(template, id) }),
      setApplicationMenu: (built: { template: FakeMenuItem[] }) => (menu.template = built.template),
    },
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (channel: string, fn: Handler) => handlers.set(channel, fn) },
    dialog: {
      showOpenDialog: async () => dialogResult,
      showSaveDialog: async () => saveDialogResult,
      showMessageBox: async (...args: unknown[]) => {
        messageBoxes.push(args.at(-1) as { title: string; detail: string });
        return { response: 0 };
      },
    },
    Notification: FakeNotification,
    shell: { openExternal: async (url: string) => void opened.push(url) },
    powerMonitor,
    net: { isOnline: () => network.online },
    nativeTheme,
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: FakeElectron['sessionCalls']['permissionRequest']) => (sessionCalls.permissionRequest = fn),
        setPermissionCheckHandler: (fn: FakeElectron['sessionCalls']['permissionCheck']) => (sessionCalls.permissionCheck = fn),
        webRequest: { onHeadersReceived: (fn: FakeElectron['sessionCalls']['headers']) => (sessionCalls.headers = fn) },
      },
    },
  };
  return { module, handlers, windows, dialogResult, sessionCalls, app, notifications, powerMonitor, network, saveDialogResult, nativeTheme, menu, messageBoxes, opened };
}
