import { z } from 'zod';

export const UNDO_CHOICES = [0, 5, 10, 20, 30] as const;

/** What a user sets once: kept in settings.json in the data directory. */
export const settings = z.strictObject({
  /** Seconds a sent message waits, so it can be taken back; 0 = off. */
  undoSeconds: z.union([z.literal(0), z.literal(5), z.literal(10), z.literal(20), z.literal(30)]),
  /** A desktop notification when a message fails or its outcome is unknown. */
  notifyFailures: z.boolean(),
});
export type Settings = z.infer<typeof settings>;

export const DEFAULT_SETTINGS: Settings = { undoSeconds: 10, notifyFailures: true };
