// The "send later" presets, in the user's local time. Pure date arithmetic, so the renderer
// shows them and the tests check them without a window.

export type SendLaterPresetId = 'later-today' | 'tomorrow-morning' | 'monday-morning';

/** The UI names a preset by its id (in the user's language); this says only when it is. */
export interface SendLaterPreset {
  id: SendLaterPresetId;
  at: Date;
}

/** Mornings start at 8:00; "later today" is three hours on, at a whole or half hour, and only before 21:00. */
export const MORNING_HOUR = 8;

const atLocal = (base: Date, dayOffset: number, hour: number) => new Date(base.getFullYear(), base.getMonth(), base.getDate() + dayOffset, hour, 0, 0, 0);

export function sendLaterPresets(now: Date): SendLaterPreset[] {
  const presets: SendLaterPreset[] = [];
  const later = new Date(now.getTime() + 3 * 3600_000);
  if (later.getSeconds() || later.getMilliseconds()) later.setMinutes(later.getMinutes() + 1, 0, 0);
  later.setMinutes(Math.ceil(later.getMinutes() / 30) * 30); // 60 rolls over to the next hour
  if (later.getDate() === now.getDate() && later.getHours() < 21) presets.push({ id: 'later-today', at: later });
  const tomorrow = atLocal(now, 1, MORNING_HOUR);
  presets.push({ id: 'tomorrow-morning', at: tomorrow });
  // Monday (day 1) of next week; skipped when it is the same as "tomorrow morning".
  const daysToMonday = ((8 - now.getDay()) % 7) || 7;
  const monday = atLocal(now, daysToMonday, MORNING_HOUR);
  if (monday.getTime() !== tomorrow.getTime()) presets.push({ id: 'monday-morning', at: monday });
  return presets;
}
