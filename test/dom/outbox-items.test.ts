// @vitest-environment jsdom
// The outbox view's list as the page keeps it (useOutboxItems), with a fake bridge whose replies
// and events the test delivers in the orders that happen for real: an event recorded while the
// list loads, a change made by another process (which sends no event), and, in browser mode, an
// event that arrives after a reply already newer than it (events and replies travel apart there).
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboxItem, OutboxState } from '../../shared/model/outbox';
import { overviewOf } from '../../shared/model/outbox-groups';

const message = (id: string, state: OutboxState, updatedAt: string): OutboxItem => ({
  id,
  accountId: 'a',
  messageId: `<${id}@x>`,
  subject: id,
  from: 'a@x',
  sender: 'a@x',
  recipients: ['b@x'],
  state,
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt,
  attempts: 0,
  size: 1,
});

/** A bridge whose calls wait until the test answers them, in the order they were made. */
function fakeBridge() {
  const listeners = new Set<(item: OutboxItem) => void>();
  const calls: Array<{ channel: string; answer: (value: unknown) => Promise<void> }> = [];
  const call = (channel: string) => () =>
    new Promise((resolve) => calls.push({ channel, answer: (value) => act(async () => void resolve({ ok: true, value })) }));
  return {
    api: { on: (_event: string, l: (item: OutboxItem) => void) => (listeners.add(l), () => listeners.delete(l)), 'outbox:overview': call('outbox:overview'), 'outbox:list': call('outbox:list') },
    emit: (item: OutboxItem) => act(() => listeners.forEach((l) => l(item))),
    calls,
  };
}

let bridge: ReturnType<typeof fakeBridge>;
let shown: OutboxItem[] | undefined;

beforeEach(async () => {
  // The hook keeps its list for the whole session (module state): a fresh module per test.
  vi.resetModules();
  bridge = fakeBridge();
  vi.doMock('../../renderer/src/lib/api', () => ({ api: () => bridge.api }));
  const { useOutboxItems } = await import('../../renderer/src/features/outbox/useOutboxItems');
  const View = () => {
    shown = useOutboxItems().items;
    return null;
  };
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  await act(async () => createRoot(document.createElement('div')).render(createElement(View)));
  shown = undefined;
});

describe('the outbox list in the page', () => {
  it('a change made by another process while the list loads wins over an older event recorded meanwhile', async () => {
    const held = message('x', 'held', '2026-01-01T10:00:01.000Z');
    expect(bridge.calls[0]!.channel).toBe('outbox:overview');
    await bridge.calls[0]!.answer(overviewOf([held], 20));
    // Rescheduled in the app (an event), then cancelled by the CLI (no event; only the disk has it).
    await bridge.emit({ ...held, state: 'scheduled', updatedAt: '2026-01-01T10:00:02.000Z' });
    expect(bridge.calls[1]!.channel).toBe('outbox:list');
    await bridge.calls[1]!.answer([{ ...held, state: 'cancelled', updatedAt: '2026-01-01T10:00:03.000Z' }]);
    expect(shown?.map((i) => i.state)).toEqual(['cancelled']);
  });

  it('an event recorded while the list loads wins over an older version on disk', async () => {
    const held = message('x', 'held', '2026-01-01T10:00:01.000Z');
    await bridge.calls[0]!.answer(overviewOf([held], 20));
    await bridge.emit({ ...held, state: 'sending', updatedAt: '2026-01-01T10:00:04.000Z' });
    await bridge.calls[1]!.answer([held]);
    expect(shown?.map((i) => i.state)).toEqual(['sending']);
  });

  it('an event that arrives after a newer reply does not take the row back; a newer event still moves it', async () => {
    await bridge.calls[0]!.answer(overviewOf([], 20));
    await bridge.calls[1]!.answer([message('x', 'sent', '2026-01-01T10:00:02.000Z')]);
    await bridge.emit(message('x', 'sending', '2026-01-01T10:00:01.000Z'));
    expect(shown?.map((i) => i.state)).toEqual(['sent']);
    await bridge.emit(message('x', 'cancelled', '2026-01-01T10:00:05.000Z'));
    expect(shown?.map((i) => i.state)).toEqual(['cancelled']);
  });
});

describe('the outbox watched from the start (the navigation’s count)', () => {
  let count: number | undefined;
  let watch: () => Promise<void>;

  beforeEach(async () => {
    vi.resetModules();
    bridge = fakeBridge();
    vi.doMock('../../renderer/src/lib/api', () => ({ api: () => bridge.api }));
    const store = await import('../../renderer/src/features/outbox/useOutboxItems');
    watch = store.watchOutbox;
    const Badge = () => {
      count = store.useOutboxAttention();
      return null;
    };
    await act(async () => createRoot(document.createElement('div')).render(createElement(Badge)));
  });

  const older = (id: string, state: OutboxState, at: string) => ({ ...message(id, state, at), createdAt: '2025-06-01T10:00:00.000Z' });
  const overviews = () => bridge.calls.filter((c) => c.channel === 'outbox:overview');

  it('counts from the overview, follows a message it holds without asking again', async () => {
    void watch();
    const failed = message('f', 'failed', '2026-01-01T10:00:01.000Z');
    await overviews()[0]!.answer(overviewOf([failed, message('s', 'sent', '2026-01-01T10:00:00.000Z')], 20));
    expect(count).toBe(1);
    await bridge.emit({ ...failed, state: 'cancelled', updatedAt: '2026-01-01T10:00:02.000Z' });
    expect(count).toBe(0);
    expect(overviews()).toHaveLength(1);
  });

  it('changes to messages older than its rows ask for the overview again: once for a burst, one request at a time, at most every 2 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      void watch();
      await overviews()[0]!.answer({ items: [message('new', 'sent', '2026-01-01T10:00:00.000Z')], counts: { ...overviewOf([], 0).counts, attention: 3, sent: 1 } });
      expect(count).toBe(3);
      for (let i = 0; i < 10; i++) await bridge.emit(older(`o${i}`, 'sent', `2026-01-01T10:00:0${i}.000Z`));
      await act(async () => void vi.advanceTimersByTime(300));
      expect(overviews()).toHaveLength(2);
      // More while that request is out: no second request beside it, and the next waits its turn.
      await bridge.emit(older('p', 'failed', '2026-01-01T10:01:00.000Z'));
      await act(async () => void vi.advanceTimersByTime(5_000));
      expect(overviews()).toHaveLength(2);
      await overviews()[1]!.answer({ items: [message('new', 'sent', '2026-01-01T10:00:00.000Z')], counts: { ...overviewOf([], 0).counts, attention: 1 } });
      expect(count).toBe(1);
      // The change heard while it was out may not be in what it held: asked once more (2 s since the last have passed).
      await act(async () => void vi.advanceTimersByTime(300));
      expect(overviews()).toHaveLength(3);
      await overviews()[2]!.answer({ items: [], counts: { ...overviewOf([], 0).counts, attention: 2 } });
      expect(count).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps each section to its newest rows as new messages come (an overview kept for the whole session)', async () => {
    void watch();
    await overviews()[0]!.answer(overviewOf([], 20));
    for (let i = 0; i < 30; i++) await bridge.emit({ ...message(`n${i}`, 'failed', `2026-01-02T10:00:${String(i).padStart(2, '0')}.000Z`), createdAt: `2026-01-02T10:00:${String(i).padStart(2, '0')}.000Z` });
    expect(count).toBe(30);
    // The oldest of them left the rows: its change cannot be counted here, so main is asked.
    await bridge.emit({ ...message('n0', 'cancelled', '2026-01-02T11:00:00.000Z'), createdAt: '2026-01-02T10:00:00.000Z' });
    await expect.poll(() => overviews().length, { timeout: 3_000 }).toBe(2);
  });
});
