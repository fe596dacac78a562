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
  for (const channel of WINDOW_CHANNELS) {
    ipcMain.handle(wireName(channel), (event, payload: unknown) => {
      if (!isOwnFrame(event)) {
        return { ok: false, error: errorInfo('INVALID_INPUT', { message: phrase('err.notOwnWindow'), hint: phrase('err.notOwnWindow.hint') }) };
      }
      return invokeChannel(handlers, channel, payload, log);
    });
  }
}

/** A sender is ours when it is the main frame of one of our windows, showing our own page. */
export function ownFrameCheck(windows: () => WebContents[], appUrl: (url: string) => boolean) {
  return (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame;
    return !!frame && frame === event.sender.mainFrame && windows().includes(event.sender) && appUrl(frame.url);
  };
}
