import { join } from 'node:path';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/model/settings';
import { oauthClients as oauthClientsSchema, settings as settingsSchema, type OAuthClients } from '../../../shared/model/settings-schema';
import { readJsonFile, writeFileAtomic } from '../fs/atomic-file';
import { storageFailed } from '../errors';

/**
 * The user's preferences in settings.json. A missing or damaged file (or one from an older
 * version) falls back field by field to the defaults: preferences are never a reason not to start.
 */
export class SettingsStore {
  private readonly path: string;
  private readonly listeners = new Set<(saved: Settings) => void>();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'settings.json');
  }

  async get(): Promise<Settings> {
    const stored = (await readJsonFile<Record<string, unknown>>(this.path).catch(() => undefined)) ?? {};
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
      if (settingsSchema.shape[key].safeParse(stored[key]).success) merged[key] = stored[key];
    }
    return merged as Settings;
  }

  async save(change: Partial<Settings>): Promise<Settings> {
    const next = { ...(await this.get()), ...change };
    // Keys this version does not show in the window (app registrations written by hand, a newer
    // version's settings) stay as they were.
    const kept = (await readJsonFile<Record<string, unknown>>(this.path).catch(() => undefined)) ?? {};
    try {
      await writeFileAtomic(this.path, JSON.stringify({ ...kept, ...next }, null, 1));
    } catch (err) {
      throw storageFailed('settings', err);
    }
    for (const listener of this.listeners) listener(next);
    return next;
  }

  /**
   * The sign-in presets' app registrations from settings.json's `oauthClients`, e.g.
   * `{"oauthClients": {"google": {"clientId": "…", "clientSecret": "…"}}}`. Main-only: not part of
   * the Settings the window gets. Anything malformed there is ignored, field by field.
   */
  async oauthClients(): Promise<OAuthClients> {
    const stored = (await readJsonFile<Record<string, unknown>>(this.path).catch(() => undefined))?.oauthClients;
    const parsed = oauthClientsSchema.safeParse(stored);
    return parsed.success ? parsed.data : {};
  }

  /** Called after each save (a host applies what it must, e.g. the native theme); returns unsubscribe. */
  onSaved(listener: (saved: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
