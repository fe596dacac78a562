import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'Mailwright';

/**
 * The desktop app's data directory, computed the way Electron computes `app.getPath('userData')`
 * for an app named "Mailwright", so the CLI and the window share accounts and outbox.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MAILWRIGHT_DATA_DIR) return env.MAILWRIGHT_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_DIR_NAME);
}
