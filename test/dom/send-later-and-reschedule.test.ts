// @vitest-environment jsdom
// When a message goes: the send-later presets as they read, and the reschedule box's first value.
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import { sendLaterPresets } from '../../shared/model/send-later';
import type { OutboxItem } from '../../shared/model/outbox';
import { datetimeLocalValue, formatWhen } from '../../renderer/src/lib/format';

const local = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min);

describe('the send-later presets, as they read', () => {
  it('on a Monday: today, tomorrow, and next Monday with its full date; no two read alike', () => {
    const monday = local(2026, 12, 7, 10, 0);
    const labels = sendLaterPresets(monday).map((p) => formatWhen(p.at, monday, 'en'));
    expect(labels).toEqual(['today, 1:00 PM', 'tomorrow, 8:00 AM', 'Mon, Dec 14, 8:00 AM']);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('in Russian and Spanish too', () => {
    const monday = local(2026, 12, 7, 10, 0);
    const ru = sendLaterPresets(monday).map((p) => formatWhen(p.at, monday, 'ru'));
    expect(ru[0]).toMatch(/^сегодня, 13:00$/);
    expect(ru[1]).toMatch(/^завтра, 0?8:00$/);
    expect(ru[2]).toMatch(/^пн, 14 дек\.?, 0?8:00$/);
    const es = sendLaterPresets(monday).map((p) => formatWhen(p.at, monday, 'es'));
    expect(es[0]).toBe('hoy, 13:00');
    expect(es[1]).toMatch(/^mañana, 0?8:00$/);
    expect(es[2]).toMatch(/^lun, 14 dic, 0?8:00$/);
  });
});

describe('rescheduling a message', () => {
  it('starts from the time it is set for, not from an hour from now', async () => {
    vi.resetModules();
    vi.doMock('../../renderer/src/lib/api', () => ({ api: () => ({}) }));
    const { ItemActions } = await import('../../renderer/src/features/outbox/ItemActions');
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    const dueAt = new Date(Date.now() + 3 * 86_400_000);
    dueAt.setSeconds(0, 0);
    const item = { id: 'abcdefghi-0123456789ab', state: 'scheduled', subject: 'Later', dueAt: dueAt.toISOString(), recipients: [], accountId: 'a' } as unknown as OutboxItem;
    const root = document.createElement('div');
    await act(async () => createRoot(root).render(createElement(ItemActions, { item, onError: () => undefined, onNotice: () => undefined, onDraft: () => undefined })));
    await act(async () => [...root.querySelectorAll('button')].find((b) => b.textContent === 'Reschedule')!.click());
    expect(root.querySelector<HTMLInputElement>('input[type=datetime-local]')!.value).toBe(datetimeLocalValue(dueAt));
  });
});
