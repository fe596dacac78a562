import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliProcess } from '../helpers/cli';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';
import { filesUnder } from '../helpers/files';

// A machine where no keychain answers (a server, a CI job): no D-Bus session at all. Each command
// is a new `mailwright` process, as a shop's script would run it.

const USER = 'alice';
const PASSWORD = `Pw-${randomBytes(9).toString('hex')}-Zx`;
const PASSPHRASE = 'a long passphrase for the vault';
const servers: TestSmtpServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** The environment of a headless machine: no session bus, no display, a home of its own. */
function headless(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MAILWRIGHT_DATA_DIR: dir, HOME: dir, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', ...extra };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.MAILWRIGHT_PASSPHRASE;
  return { ...env, ...extra };
}

function encodings(secret: string): string[] {
  const b = Buffer.from(secret);
  return [secret, b.toString('base64'), b.toString('base64url'), b.toString('hex'), Buffer.from(`\0${USER}\0${secret}`).toString('base64')];
}


describe('secrets where no keychain runs: the encrypted vault from the command line', () => {
  it('add with MAILWRIGHT_PASSPHRASE, then send from a new process; a wrong passphrase changes nothing', async () => {
    const dir = tempDir();
    const smtp = await startTestSmtp({ mode: 'plain', users: { [USER]: PASSWORD }, authMethods: ['PLAIN'] });
    servers.push(smtp);
    const account = ['--json', 'account', 'add', 'Work', '--email', 'alice@example.test', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none', '--user', USER, '--password-stdin'];

    // Without a passphrase: the keychain's refusal, saying how to use the vault instead.
    const refused = await cliProcess(account, { stdin: PASSWORD, env: headless(dir) });
    expect(refused.code).toBe(1);
    expect(refused.json.error).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', hint: expect.stringContaining('MAILWRIGHT_PASSPHRASE') });

    const added = await cliProcess(account, { stdin: `${PASSWORD}\n`, env: headless(dir, { MAILWRIGHT_PASSPHRASE: PASSPHRASE }) });
    expect(added.code, added.stdout + added.stderr).toBe(0);
    expect(added.json.account).toMatchObject({ login: { method: 'password', source: 'vault', state: 'stored' } });

    const send = ['--json', 'send', '--account', 'Work', '--to', 'bob@example.test', '--subject', 'From a headless box', '--text', 'hi'];
    const sent = await cliProcess(send, { env: headless(dir, { MAILWRIGHT_PASSPHRASE: PASSPHRASE }) });
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    expect(smtp.received).toHaveLength(1); // the server requires AUTH: the password came out of the vault

    const vault = join(dir, 'secrets.vault');
    const before = await fs.readFile(vault);
    const wrong = await cliProcess(send, { env: headless(dir, { MAILWRIGHT_PASSPHRASE: 'not the passphrase at all' }) });
    expect(wrong.code).toBe(1);
    expect(wrong.json.error).toMatchObject({ code: 'SECRETS_LOCKED', message: expect.stringContaining('does not open') });
    expect(wrong.json.state).toBe('needs-sign-in');
    const wrongAdd = await cliProcess([...account.slice(0, 3), 'Other', ...account.slice(4)], { stdin: 'x', env: headless(dir, { MAILWRIGHT_PASSPHRASE: 'not the passphrase at all' }) });
    expect(wrongAdd.json.error?.code).toBe('SECRETS_LOCKED');
    expect((await fs.readFile(vault)).equals(before)).toBe(true);

    // The list says where secrets are and that the vault is locked, without its passphrase.
    const listed = await cliProcess(['account', 'list'], { env: headless(dir) });
    expect(listed.stdout).toMatch(/encrypted vault in the data directory \(locked\)/);
    expect(listed.stdout).toMatch(/password in the vault \(locked\)/);

    // Given the passphrase again, `outbox run` sends what waited for it, once.
    const run = await cliProcess(['--json', 'outbox', 'run'], { env: headless(dir, { MAILWRIGHT_PASSPHRASE: PASSPHRASE }) });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(smtp.received.map((m) => m.parsed.subject)).toEqual(['From a headless box', 'From a headless box']);

    // The vault, and every other file, holds the password in no encoding.
    for (const file of await filesUnder(dir)) {
      const text = (await fs.readFile(file)).toString('latin1');
      for (const form of encodings(PASSWORD)) expect(text.includes(form), `${file} holds the password`).toBe(false);
    }
  });

  it('--passphrase-stdin takes the first line; `secrets change-passphrase` re-encrypts and the old one stops working', async () => {
    const dir = tempDir();
    const smtp = await startTestSmtp({ mode: 'plain', users: { [USER]: PASSWORD }, authMethods: ['PLAIN'] });
    servers.push(smtp);
    const created = await cliProcess(['--json', 'secrets', 'use-vault'], { env: headless(dir, { MAILWRIGHT_PASSPHRASE: PASSPHRASE }) });
    expect(created.code, created.stdout).toBe(0);
    expect(created.json.secrets).toMatchObject({ backend: 'vault', vault: 'unlocked', moved: 0 });

    const added = await cliProcess(
      ['--json', '--passphrase-stdin', 'account', 'add', 'Work', '--email', 'alice@example.test', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none', '--user', USER, '--password-stdin'],
      { stdin: `${PASSPHRASE}\n${PASSWORD}\n`, env: headless(dir) },
    );
    expect(added.code, added.stdout).toBe(0);

    const changed = await cliProcess(['--json', 'secrets', 'change-passphrase'], { stdin: 'the new passphrase\n', env: headless(dir, { MAILWRIGHT_PASSPHRASE: PASSPHRASE }) });
    expect(changed.code, changed.stdout).toBe(0);
    const send = ['--json', 'send', '--account', 'Work', '--to', 'bob@example.test', '--subject', 'After the change', '--text', 'hi'];
    expect((await cliProcess(send, { env: headless(dir, { MAILWRIGHT_PASSPHRASE: PASSPHRASE }) })).json.error?.code).toBe('SECRETS_LOCKED');
    // The message refused with the old passphrase waits; the new one, on standard input, sends it.
    const run = await cliProcess(['--json', '--passphrase-stdin', 'outbox', 'run'], { stdin: 'the new passphrase\n', env: headless(dir) });
    expect(run.code, run.stdout).toBe(0);
    expect(smtp.received.map((m) => m.parsed.subject)).toEqual(['After the change']);
  });
});
