import { createRequire } from 'node:module';

/** The part of keytar (archived since 2022) still needed: reading and removing what it stored. */
export interface LegacyKeytar {
  getPassword(service: string, account: string): Promise<string | null>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

let loaded: { keytar?: LegacyKeytar } | undefined;

/**
 * keytar, if it is installed (an optional dependency kept only to move its secrets): on Linux and
 * Windows it files them under other attributes than the keychain binding we use now, which
 * therefore cannot see them. Undefined where it is not installed or does not load.
 */
export function legacyKeytar(): LegacyKeytar | undefined {
  if (!loaded) {
    loaded = {};
    try {
      loaded.keytar = createRequire(import.meta.url)('keytar') as LegacyKeytar;
    } catch {
      // Not installed, or built for another runtime: there is nothing of it to move.
    }
  }
  return loaded.keytar;
}
