import { join } from 'node:path';
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

const MESSAGES = 15; // a whole number of rounds of 3 and of 5

/**
 * Send MESSAGES at once from an account saved with `extra`, each message held at the server until
 * `expected` are held together, or for a second: the most held at once is how many connections
 * carried messages together. Asked for one more than the limit, the server waits out the second
 * each round, time enough for a client that opens too many to show it.
 */
async function mostConnections(extra: Record<string, unknown>, expected: number): Promise<number> {
  let most = 0;
  const held: Array<() => void> = [];
  const seen = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  // One timer a round, from its first message: the connections are let go together and stay in step.
  const releaseAll = () => {
    clearTimeout(timer);
    timer = undefined;
    held.splice(0).forEach((go) => go());
  };
  const s: TestSmtpServer = await startTestSmtp({
    mode: 'plain',
    noAuth: true,
    // Held once each, at its first piece (a message may come in several).
    onDataBytes: (_bytes, nth) => {
      if (seen.has(nth)) return undefined;
      seen.add(nth);
      return new Promise<void>((resolve) => {
        held.push(resolve);
        most = Math.max(most, held.length);
        if (held.length >= expected) releaseAll();
        else timer ??= setTimeout(releaseAll, 1_000);
      });
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
  clearTimeout(timer);
  expect(s.received).toHaveLength(MESSAGES);
  return most;
}

describe('an account’s connections at once', () => {
  it('are three unless the account allows more, and a list then uses them', { timeout: 60_000 }, async () => {
    // Asked to wait for one more than it may use, the server sees exactly the limit together.
    expect(await mostConnections({}, 4)).toBe(3);
    expect(await mostConnections({ connections: 5 }, 6)).toBe(5);
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
    expect(listed.stdout).toMatch(/Shop .*connections at once: 6/);
  });
});
