import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { WINDOW_CHANNELS, wireName } from '../../../shared/ipc/contract';
import type { Handlers } from '../../core/handlers';
import { invokeChannel } from '../../core/invoke';
import { errorInfo } from '../../core/errors';
import { phrase } from '../../../shared/i18n/errors/phrase';

/**
 * Register every contract channel a window may call on ipcMain. Trust boundary: the renderer is untrusted. Only
 * our own window's top frame may call, and every payload is parsed by the contract's schema in
 * invokeChannel before any handler sees it.
 */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, handlers: Handlers, isOwnFrame: (event: IpcMainInvokeEvent) => boolean, log: (msg: string, err: unknown) => void) {
  const inFlight = new Set<Promise<unknown>>();
  for (const channel of WINDOW_CHANNELS) {
    ipcMain.handle(wireName(channel), (event, payload: unknown) => {
      if (!isOwnFrame(event)) {
        return { ok: false, error: errorInfo('INVALID_INPUT', { message: phrase('err.notOwnWindow'), hint: phrase('err.notOwnWindow.hint') }) };
      }
      const call = invokeChannel(handlers, channel, payload, log);
      inFlight.add(call);
      void call.finally(() => inFlight.delete(call));
      return call;
    });
  }
  return {
    /** Resolves when every call under way now (and any it lets in meanwhile) is answered: quitting waits on it. */
    async settled(): Promise<void> {
      // A call sent as a window closed may reach main a turn later.
      await new Promise((r) => setImmediate(r));
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}

/** A sender is ours when it is the main frame of one of our windows, showing our own page. */
export function ownFrameCheck(windows: () => WebContents[], appUrl: (url: string) => boolean) {
  return (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame;
    return !!frame && frame === event.sender.mainFrame && windows().includes(event.sender) && appUrl(frame.url);
  };
}
