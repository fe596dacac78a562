import { THROTTLE_PRESETS, type Throttle, type ThrottlePreset } from '../../../../shared/model/merge';

export const DAY_MS = 24 * 60 * 60_000;
/** After a server's "slow down" (4xx), the pace at least halves, and never goes above a row every 10 minutes. */
const BUSY_FLOOR_MS = 2_000;
const BUSY_CEILING_MS = 10 * 60_000;

/** A preset's limits, with the numbers given beside it taking their place. */
export function throttleOf(opts: { preset?: ThrottlePreset; perMinute?: number; perDay?: number }): Throttle {
  const preset: Throttle = opts.preset ? THROTTLE_PRESETS[opts.preset] : {};
  const perMinute = opts.perMinute ?? preset.perMinute;
  const perDay = opts.perDay ?? preset.perDay;
  return { ...(perMinute ? { perMinute } : {}), ...(perDay ? { perDay } : {}) };
}

/** Milliseconds between two rows (0: as fast as the server takes them). */
export const intervalOf = (t: Throttle) => (t.perMinute ? Math.ceil(60_000 / t.perMinute) : 0);

/** The pace after the server said it is busy. */
export const slowerAfterBusy = (intervalMs: number) => Math.min(Math.max(intervalMs * 2, BUSY_FLOOR_MS), BUSY_CEILING_MS);

/**
 * When the daily limit lets another message go: now when fewer than `perDay` went in the last 24
 * hours, else when the oldest of them is a day old (a merge longer than a day goes on by itself).
 */
export function dayAllows(t: Throttle, used: { count: number; oldest?: number }, now: number): number {
  if (!t.perDay || used.count < t.perDay) return now;
  return (used.oldest ?? now) + DAY_MS;
}

/** Seconds to send `rows` more at this pace (days included), 0 without a limit. */
export function etaSeconds(t: Throttle, rows: number, intervalMs: number): number {
  if (!rows) return 0;
  const byMinute = (rows * intervalMs) / 1000;
  const days = t.perDay ? Math.floor((rows - 1) / t.perDay) : 0;
  return Math.round(byMinute + days * (DAY_MS / 1000));
}
