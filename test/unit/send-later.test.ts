import { describe, expect, it } from 'vitest';
import { MORNING_HOUR, sendLaterPresets } from '../../shared/model/send-later';

// Local-time assertions (getHours, getDay), so they hold in any time zone the tests run in.
const local = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min);
const byId = (now: Date) => Object.fromEntries(sendLaterPresets(now).map((p) => [p.id, p.at]));

describe('send later presets', () => {
  it('on a Wednesday morning: later today at the next half hour three hours on, tomorrow 8:00, Monday 8:00', () => {
    const p = byId(local(2026, 11, 18, 9, 10)); // Wednesday
    expect(p['later-today']).toEqual(local(2026, 11, 18, 12, 30));
    expect(p['tomorrow-morning']).toEqual(local(2026, 11, 19, MORNING_HOUR));
    expect(p['monday-morning']).toEqual(local(2026, 11, 23, MORNING_HOUR));
    expect(p['monday-morning']!.getDay()).toBe(1);
  });

  it('on the hour exactly, later today is exactly three hours on', () => {
    expect(byId(local(2026, 11, 18, 9, 0))['later-today']).toEqual(local(2026, 11, 18, 12, 0));
  });

  it('in the evening there is no "later today"', () => {
    expect(byId(local(2026, 11, 18, 19, 0))['later-today']).toBeUndefined();
  });

  it('on a Sunday, Monday morning is tomorrow morning and shown once', () => {
    const presets = sendLaterPresets(local(2026, 11, 22, 10, 0)); // Sunday
    expect(presets.map((p) => p.id)).toEqual(['later-today', 'tomorrow-morning']);
  });

  it('on a Monday, Monday morning is next week', () => {
    expect(byId(local(2026, 11, 23, 10, 0))['monday-morning']).toEqual(local(2026, 11, 30, MORNING_HOUR));
  });

  it('every preset is in the future', () => {
    for (let h = 0; h < 24; h++) {
      const now = local(2026, 11, 20, h, 45);
      for (const p of sendLaterPresets(now)) expect(p.at.getTime()).toBeGreaterThan(now.getTime());
    }
  });
});
