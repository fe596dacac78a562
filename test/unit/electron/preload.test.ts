import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, wireName } from '../../../shared/ipc/contract';

const exposed: Record<string, Record<string, (...a: unknown[]) => unknown>> = {};
const invoked: unknown[][] = [];
const listeners = new Map<string, (...a: unknown[]) => void>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...a: unknown[]) => unknown>) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => (invoked.push(args), Promise.resolve({ ok: true, value: null })),
    on: (channel: string, fn: (...a: unknown[]) => void) => listeners.set(channel, fn),
    off: (channel: string) => listeners.delete(channel),
  },
}));
await import('../../../electron/preload/index');

describe('the preload bridge', () => {
  it('exposes exactly one method per contract channel, plus event subscription, and nothing else', () => {
    expect(Object.keys(exposed)).toEqual(['mailwright']);
    expect(Object.keys(exposed.mailwright!).sort()).toEqual([...CHANNELS, 'on'].sort());
  });

  it('each method invokes its own channel', async () => {
    await exposed.mailwright!['accounts:remove']!({ id: 'a' });
    expect(invoked).toEqual([[wireName('accounts:remove'), { id: 'a' }]]);
  });

  it('subscribes only to contract events and can unsubscribe', () => {
    const seen: unknown[] = [];
    const off = exposed.mailwright!.on!('outbox:changed', (p: unknown) => seen.push(p)) as () => void;
    listeners.get(wireName('outbox:changed'))!({}, { id: 1 });
    expect(seen).toEqual([{ id: 1 }]);
    off();
    expect(listeners.has(wireName('outbox:changed'))).toBe(false);
    expect(() => exposed.mailwright!.on!('anything:else', () => undefined)).toThrow();
  });
});
