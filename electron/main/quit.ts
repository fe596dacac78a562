import type { App, BrowserWindow } from 'electron';

export interface QuitDeps {
  app: Pick<App, 'on' | 'quit'>;
  windows: () => Array<Pick<BrowserWindow, 'close' | 'once' | 'isDestroyed'>>;
  /** Resolves when the calls the windows made are answered (their last draft save among them). */
  callsSettled: () => Promise<void>;
  /** Writes what the core holds and lets go of it. */
  closeCore: () => Promise<void>;
  /** What stops before anything closes (timers, watchers). */
  stopFirst: () => void;
  log: (message: string, err?: unknown) => void;
  /** How long each step may take before quitting goes on without it. */
  stepMs?: number;
}

const STEP_MS = 10_000;

/** `promise`, or undefined after `ms`: a step that hangs must not keep the app from quitting. */
const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, new Promise<void>((r) => setTimeout(r, ms).unref?.())]);

/**
 * Quit in order, so nothing the user did is lost: the windows close first (each page's last
 * draft save goes out as it unloads), their calls are answered, the core writes what it holds
 * and closes its database, and only then the app quits. Every step is bounded in time.
 */
export function quitInOrder(deps: QuitDeps): void {
  let closing = false;
  let done = false;
  const step = deps.stepMs ?? STEP_MS;
  deps.app.on('before-quit', (event) => {
    if (done) return;
    event.preventDefault();
    if (closing) return; // a second Quit while the first is under way
    closing = true;
    deps.stopFirst();
    void (async () => {
      const open = deps.windows().filter((w) => !w.isDestroyed());
      await within(Promise.all(open.map((w) => new Promise<void>((r) => (w.once('closed', () => r()), w.close())))), step);
      await within(deps.callsSettled(), step);
      await within(deps.closeCore(), step);
    })()
      .catch((err: unknown) => deps.log('quitting did not finish in order', err))
      .finally(() => {
        done = true;
        deps.app.quit();
      });
  });
}
