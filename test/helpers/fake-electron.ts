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
export interface FakeWindowLike {
  options: { webPreferences: Record<string, unknown> };
  loaded?: string;
  webContents: FakeWebContentsLike;
}
type Handler = (event: unknown, payload: unknown) => unknown;
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
  app: EventEmitter & { sandboxed: boolean };
  notifications: Array<{ title: string; body: string }>;
  powerMonitor: EventEmitter;
  network: { online: boolean };
  saveDialogResult: { canceled: boolean; filePath?: string };
}

export function createFakeElectron(userData: string): FakeElectron {
  const handlers = new Map<string, Handler>();
  const windows: FakeWindowLike[] = [];
  const dialogResult = { canceled: false, filePaths: [] as string[] };
  const sessionCalls: FakeElectron['sessionCalls'] = {};
  const notifications: FakeElectron['notifications'] = [];
  const powerMonitor = new EventEmitter();
  const network = { online: true };
  const saveDialogResult: FakeElectron['saveDialogResult'] = { canceled: true };
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
    quit = () => undefined;
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
    restore = () => undefined;
    focus = () => undefined;
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
  }

  const module = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (channel: string, fn: Handler) => handlers.set(channel, fn) },
    dialog: { showOpenDialog: async () => dialogResult, showSaveDialog: async () => saveDialogResult },
    Notification: FakeNotification,
    powerMonitor,
    net: { isOnline: () => network.online },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: FakeElectron['sessionCalls']['permissionRequest']) => (sessionCalls.permissionRequest = fn),
        setPermissionCheckHandler: (fn: FakeElectron['sessionCalls']['permissionCheck']) => (sessionCalls.permissionCheck = fn),
        webRequest: { onHeadersReceived: (fn: FakeElectron['sessionCalls']['headers']) => (sessionCalls.headers = fn) },
      },
    },
  };
  return { module, handlers, windows, dialogResult, sessionCalls, app, notifications, powerMonitor, network, saveDialogResult };
}
