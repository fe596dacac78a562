import type { z } from 'zod';
import type { settings } from './settings-schema';

// Plain values only: the page imports this file, and its bundle carries no schema library.
// The schema main checks saved and sent settings with is in settings-schema.ts.

export const UNDO_CHOICES = [0, 5, 10, 20, 30] as const;
/** 'system' follows the operating system's light or dark preference. */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;

export type Settings = z.infer<typeof settings>;

export const DEFAULT_SETTINGS: Settings = { undoSeconds: 10, notifyFailures: true, theme: 'system', mailtoHandler: false, language: 'system' };
