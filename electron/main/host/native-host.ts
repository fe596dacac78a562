// The desktop's native dialogs, offered to the core as HostCapabilities. Paths enter only here,
// chosen by the user in a dialog main opened; the renderer gets handles or file names back.
import { dialog } from 'electron';
import type { HostCapabilities } from '../../core/handlers';
import { activeWindow as parentWindow } from '../windows/active-window';

export const nativeHost: HostCapabilities = {
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
