import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../electron/core/settings/settings-store';
import { contract } from '../../shared/ipc/contract';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import { tempDir } from '../helpers/temp-dir';

let dir: string;
beforeEach(() => {
  dir = tempDir('mw-settings-');
});

const writeRaw = (value: unknown) => fs.writeFile(join(dir, 'settings.json'), JSON.stringify(value));

describe('the theme setting', () => {
  it('follows the system by default', async () => {
    expect(DEFAULT_SETTINGS.theme).toBe('system');
    expect((await new SettingsStore(dir).get()).theme).toBe('system');
  });

  it('keeps a saved choice across restarts', async () => {
    await new SettingsStore(dir).save({ theme: 'dark' });
    expect((await new SettingsStore(dir).get()).theme).toBe('dark');
  });

  it('falls back to the default alone when its stored value is damaged', async () => {
    await writeRaw({ undoSeconds: 20, notifyFailures: false, theme: 'purple' });
    expect(await new SettingsStore(dir).get()).toMatchObject({ undoSeconds: 20, notifyFailures: false, theme: 'system' });
  });

  it('is refused by the contract when the renderer sends a value that is not a theme', () => {
    expect(contract['settings:save'].request.safeParse({ theme: 'light' }).success).toBe(true);
    expect(contract['settings:save'].request.safeParse({ theme: 'solarized' }).success).toBe(false);
  });

  it('tells listeners what was saved, until they unsubscribe', async () => {
    const store = new SettingsStore(dir);
    const seen: string[] = [];
    const stop = store.onSaved((s) => seen.push(s.theme));
    await store.save({ theme: 'light' });
    stop();
    await store.save({ theme: 'dark' });
    expect(seen).toEqual(['light']);
  });
});
