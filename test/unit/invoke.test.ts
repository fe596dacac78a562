import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../electron/core/handlers';
import { invokeChannel } from '../../electron/core/invoke';
import { storageFailed } from '../../electron/core/errors';

const calls: unknown[] = [];
const handlers = new Proxy({} as Handlers, {
  get: (_t, name) => async (req: unknown) => {
    calls.push([name, req]);
    if (name === 'outbox:list') throw storageFailed('outbox', new Error('disk gone'));
    if (name === 'sandbox:list') throw new TypeError('a bug');
    return 'value';
  },
});

describe('invokeChannel', () => {
  it('refuses unknown channels, including prototype names', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 'toString']) {
      const r = await invokeChannel(handlers, name, undefined);
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
  });

  it('parses the payload before the handler runs', async () => {
    calls.length = 0;
    const r = await invokeChannel(handlers, 'accounts:remove', { id: '../../etc' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(calls).toEqual([]);
    expect(await invokeChannel(handlers, 'accounts:list', { extra: 1 })).toMatchObject({ ok: false });
  });

  it('passes the parsed payload and wraps the value', async () => {
    calls.length = 0;
    expect(await invokeChannel(handlers, 'accounts:remove', { id: 'abc' })).toEqual({ ok: true, value: 'value' });
    expect(calls).toEqual([['accounts:remove', { id: 'abc' }]]);
  });

  it('turns named errors into the envelope and hides unexpected ones', async () => {
    expect(await invokeChannel(handlers, 'outbox:list', undefined)).toEqual({
      ok: false,
      error: {
        code: 'STORAGE_FAILED',
        message: 'Could not write the message to the outbox: disk gone.',
        hint: 'Check that the data directory exists, is writable and that the disk is not full.',
        text: { message: [{ key: 'err.storage.outbox' }], hint: [{ key: 'err.storage.hint' }], quote: 'disk gone' },
      },
    });
    const logged: string[] = [];
    const r = await invokeChannel(handlers, 'sandbox:list', undefined, (m) => logged.push(m));
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL_ERROR' } });
    expect(JSON.stringify(r)).not.toContain('a bug');
    expect(logged).toHaveLength(1);
  });
});

describe('invalid input messages', () => {
  it('name the field as the user sees it and quote the bad value', async () => {
    const r = await invokeChannel(handlers, 'outbox:enqueue', { accountId: 'a', to: ['ok@example.test', 'not an address'], subject: 'x' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'To "not an address": is not an email address.' } });
    const s = await invokeChannel(handlers, 'outbox:enqueue', { accountId: 'a', to: ['ok@example.test'], subject: 'a\nb' });
    expect(s).toMatchObject({ ok: false, error: { message: 'Subject: must not contain line breaks or control characters.' } });
  });
});
