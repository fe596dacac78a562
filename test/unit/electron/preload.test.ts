import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { WINDOW_CHANNELS, wireName } from '../../../shared/ipc/contract';

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
    expect(Object.keys(exposed.mailwright!).sort()).toEqual([...WINDOW_CHANNELS, 'on'].sort());
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

// The preload as Electron loads it: the built bundle, where the contract is only its names.
const BUILT = join(fileURLToPath(new URL('../../..', import.meta.url)), 'out', 'preload', 'index.cjs');
describe.skipIf(!existsSync(BUILT))('the built preload (out/preload/index.cjs)', () => {
  if (!existsSync(BUILT)) console.warn('SKIPPED the built-preload tests: run `npm run build` first (npm test does).');

  it('exposes every contract channel, each invoking its own wire name, and carries no zod', () => {
    const code = readFileSync(BUILT, 'utf8');
    const seen: Record<string, Record<string, (...a: unknown[]) => unknown>> = {};
    const calls: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...a: unknown[]) => unknown>) => (seen[key] = api) },
      ipcRenderer: { invoke: (...args: unknown[]) => calls.push(args) },
    };
    // A sandboxed preload may require only Electron's own modules.
    const fakeRequire = (name: string) => {
      if (name !== 'electron') throw new Error(`the preload requires ${name}`);
      return electron;
    };
    const mod = { exports: {} };
    new Function('require', 'module', 'exports', code)(fakeRequire, mod, mod.exports);
    expect(Object.keys(seen.mailwright!).sort()).toEqual([...WINDOW_CHANNELS, 'on'].sort());
    for (const channel of WINDOW_CHANNELS) seen.mailwright![channel]!({ x: channel });
    expect(calls).toEqual(WINDOW_CHANNELS.map((c) => [wireName(c), { x: c }]));
    expect(code).not.toMatch(/zod/i);
  });
});
