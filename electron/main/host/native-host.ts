// The desktop's native dialogs, offered to the core as HostCapabilities. Paths enter only here,
// chosen by the user in a dialog main opened; the renderer gets handles or file names back.
import { dialog, shell } from 'electron';
import type { HostCapabilities } from '../../core/handlers';
import { activeWindow as parentWindow } from '../windows/active-window';

export const nativeHost: HostCapabilities = {
  // A sign-in page in the system browser (RFC 8252: never a web view of ours). Only a web address:
  // the core checked it already, and this is where a program would be started, so again here.
  openExternal: async (url) => {
    const { protocol, hostname } = new URL(url);
    if (protocol !== 'https:' && !(protocol === 'http:' && (hostname === '127.0.0.1' || hostname === 'localhost'))) throw new Error(`not a web address: ${protocol}`);
    await shell.openExternal(url);
  },
  pickFiles: async () => {
    const parent = parentWindow();
    const options = { title: 'Attach files', properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'> };
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  },
  saveFile: async (suggestedName) => {
    const parent = parentWindow();
    const options = { title: 'Export message', defaultPath: suggestedName, filters: [{ name: 'Email message', extensions: ['eml'] }] };
    const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
    return result.canceled ? undefined : result.filePath;
  },
};
