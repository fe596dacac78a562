import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { invokeChannel } from '../../electron/core/invoke';
import type { OutboxItem } from '../../shared/model/outbox';
import { cli } from '../helpers/cli';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

// An account's connections at once: a list of messages goes out on as many SMTP connections as the
// account allows (3 by default, Microsoft 365's limit), never more.

const servers: TestSmtpServer[] = [];
const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const MESSAGES = 24;

/** Send MESSAGES at once from an account saved with `extra`; the most connections the server saw open while a message was arriving. */
async function mostConnections(extra: Record<string, unknown>): Promise<number> {
  let most = 0;
  const s: TestSmtpServer = await startTestSmtp({
    mode: 'plain',
    noAuth: true,
    // Each message takes a moment to arrive, so the messages of a list overlap on every connection the client opens.
    onDataBytes: async () => {
      most = Math.max(most, s.openConnections);
      await delay(40);
    },
  });
  servers.push(s);
  const core = await createCore({ dataDir: join(tempDir(), 'data'), keychain: new MemorySecretStore(), autoRun: true });
  cores.push(core);
  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const r = await invokeChannel(core.handlers, channel, payload);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const account = await call<{ id: string; connections?: number }>('accounts:save', { name: 'Shop', email: 'shop@example.test', host: '127.0.0.1', port: s.port, security: 'none', ...extra });
  let sent = 0;
  const allSent = new Promise<void>((resolve) =>
    core.events.on('outbox:changed', (item: OutboxItem) => {
      if (item.state === 'sent' && ++sent === MESSAGES) resolve();
    }),
  );
  await Promise.all(Array.from({ length: MESSAGES }, (_, i) => call('outbox:enqueue', { accountId: account.id, to: [`r${i}@example.test`], subject: `Order ${i}`, text: 'Thank you.', options: { undoSeconds: 0 } })));
  await allSent;
  expect(s.received).toHaveLength(MESSAGES);
  return most;
}

describe('an account’s connections at once', () => {
  it('are three unless the account allows more, and a list then uses them', { timeout: 60_000 }, async () => {
    const byDefault = await mostConnections({});
    expect(byDefault).toBeGreaterThanOrEqual(2);
    expect(byDefault).toBeLessThanOrEqual(3);
    const five = await mostConnections({ connections: 5 });
    expect(five).toBeGreaterThan(3);
    expect(five).toBeLessThanOrEqual(5);
  });

  it('are refused out of range with the field named, in the window and on the command line', async () => {
    const core = await createCore({ dataDir: join(tempDir(), 'data'), keychain: new MemorySecretStore() });
    cores.push(core);
    for (const connections of [0, 11, 2.5]) {
      const r = await invokeChannel(core.handlers, 'accounts:save', { name: 'Shop', email: 'shop@example.test', host: '127.0.0.1', port: 25, security: 'none', connections });
      expect(r.ok, String(connections)).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('Connections at once') });
    }
    const dataDir = join(tempDir(), 'data');
    const refused = await cli(['--data-dir', dataDir, '--json', 'account', 'add', 'Shop', '--email', 'shop@example.test', '--host', '127.0.0.1', '--port', '25', '--security', 'none', '--connections', '12']);
    expect(refused.code).toBe(2);
    expect(refused.json.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('--connections takes a number from 1 to 10') });
    const added = await cli(['--data-dir', dataDir, 'account', 'add', 'Shop', '--email', 'shop@example.test', '--host', '127.0.0.1', '--port', '25', '--security', 'none', '--connections', '6']);
    expect(added.code, added.stderr).toBe(0);
    const listed = await cli(['--data-dir', dataDir, 'account', 'list']);
    expect(listed.stdout).toMatch(/Shop .*6 connections/);
  });
});
