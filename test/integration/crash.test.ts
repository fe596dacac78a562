import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, mailwrightCommand } from '../helpers/cli';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

let server: TestSmtpServer | undefined;
afterEach(async () => server?.close());

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a crash while sending', () => {
  it('kill -9 after the final dot: the message is kept and reported outcome-unknown, never resent', async () => {
    const dir = tempDir();
    server = await startTestSmtp({ mode: 'plain', stallAfterData: true });
    await cli(['--data-dir', dir, 'account', 'add', 'Plain', '--email', 'a@example.test', '--host', '127.0.0.1', '--port', String(server.port), '--security', 'none']);

    const [cmd, argv] = mailwrightCommand(['--data-dir', dir, 'send', '--account', 'Plain', '--to', 'b@example.test', '--subject', 'crash', '--text', 'body']);
    const child = spawn(cmd, argv, { stdio: 'ignore', detached: true });
    const exited = new Promise((r) => child.once('exit', r));
    // Killed here whatever happens: if the wait below fails, it would sit on the stalled server.
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let id: string;
    let holder = 0; // the sending node process holds the data-dir lock (a grandchild when started through npx)
    try {
      // Wait until the item is durably "sending" and the server has the whole message.
      id = await waitFor(async () => {
        for (const name of await fs.readdir(join(dir, 'outbox'))) {
          if (!name.endsWith('.json')) continue;
          const item = JSON.parse(await fs.readFile(join(dir, 'outbox', name), 'utf8'));
          if (item.state === 'sending') return item.id as string;
        }
        return undefined;
      });
      await new Promise((r) => setTimeout(r, 500)); // let DATA finish on the server side
      holder = Number((await fs.readFile(join(dir, 'mailwright.lock'), 'utf8')).split(' ')[0]); // pid, then boot and start time
    } finally {
      // The kill -9 under test; also the clean-up when the wait above failed.
      kill();
      await exited;
    }
    // "Restart" only once the killed process is really gone (dead, or a zombie awaiting its reaper).
    await waitFor(async () => {
      const stat = await fs.readFile(`/proc/${holder}/stat`, 'utf8').catch(() => '');
      return stat === '' || / Z /.test(stat.slice(stat.lastIndexOf(')'))) ? true : undefined;
    });
    const sessionsBefore = server.sessions;

    const list = await cli(['--data-dir', dir, '--json', 'outbox', 'list']);
    const item = (list.json.items as Array<{ id: string; state: string; error?: { code: string } }>).find((i) => i.id === id)!;
    expect(item.state).toBe('outcome-unknown');
    expect(item.error?.code).toBe('OUTCOME_UNKNOWN');
    expect(await fs.readFile(join(dir, 'outbox', `${id}.eml`), 'utf8')).toContain('body');
    expect(server.sessions).toBe(sessionsBefore); // nothing was resent on start-up
  });
});
