import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePasswordCommand, runPasswordCommand, showPasswordCommand } from '../../electron/core/secrets/password-command';
import { tempDir } from '../helpers/temp-dir';

// msmtp's passwordeval, without a shell: real child processes (node itself), no fakes.
const node = process.execPath;

describe('password commands', () => {
  it('splits a command line as a shell would quote it, and shows it back the same way', () => {
    expect(parsePasswordCommand(`pass show 'smtp/my work'`)).toEqual(['pass', 'show', 'smtp/my work']);
    expect(parsePasswordCommand(`secret-tool lookup service "Mail wright" user \\'ana`)).toEqual(['secret-tool', 'lookup', 'service', 'Mail wright', 'user', "'ana"]);
    expect(showPasswordCommand(['pass', 'show', 'smtp/my work'])).toBe("pass show 'smtp/my work'");
  });

  it.each([
    ['pass show x | head -1', '|'],
    ['pass show x > /tmp/leak', '>'],
    ['pass show x; rm -rf ~', ';'],
    ['pass show $ACCOUNT', '$ACCOUNT'],
    ['cat ~/secrets/*.txt', '*.txt'],
    ['pass show x && echo', '&&'],
    ['', ''],
  ])('refuses shell syntax it would not run as meant: %s', (line, named) => {
    expect(() => parsePasswordCommand(line)).toThrow(expect.objectContaining({ info: expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(named) }) }));
  });

  it('gives the first line of what the command prints, with no shell between (a ; stays an argument)', async () => {
    const secret = await runPasswordCommand([node, '-e', 'console.log(process.argv[1] + "\\nsecond line")', 'pw; not a command'], 'Work');
    expect(secret).toBe('pw; not a command');
  });

  it('says how a command failed, with its error output, never with what it printed', async () => {
    const dir = tempDir();
    // It prints the secret (assembled, so the command line itself does not hold it) and then fails.
    const fails = [node, '-e', 'console.log(["the", "secret"].join("-")); console.error("gpg: decryption failed"); process.exit(2)'];
    await expect(runPasswordCommand(fails, 'Work')).rejects.toMatchObject({
      info: { code: 'SECRETS_LOCKED', message: expect.stringMatching(/Work.*exited with status 2: gpg: decryption failed/) },
    });
    const err = await runPasswordCommand(fails, 'Work').catch((e: { info: unknown }) => e.info);
    expect(JSON.stringify(err)).not.toContain('the-secret');
    await expect(runPasswordCommand([join(dir, 'no-such-program')], 'Work')).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED', message: expect.stringContaining('was not found') } });
    await expect(runPasswordCommand([node, '-e', ''], 'Work')).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED', message: expect.stringContaining('printed nothing') } });
    const script = join(dir, 'not-executable');
    await fs.writeFile(script, '#!/bin/sh\necho pw\n', { mode: 0o644 });
    await expect(runPasswordCommand([script], 'Work')).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED', message: expect.stringContaining('permission denied') } });
  });

  it('runs the command without the vault passphrase or client secrets in its environment', async () => {
    const saved = { ...process.env };
    process.env.MAILWRIGHT_PASSPHRASE = 'vault-passphrase';
    process.env.MAILWRIGHT_OAUTH_GOOGLE_CLIENT_SECRET = 'client-secret';
    try {
      const seen = await runPasswordCommand([node, '-e', 'console.log([process.env.MAILWRIGHT_PASSPHRASE, process.env.MAILWRIGHT_OAUTH_GOOGLE_CLIENT_SECRET, process.env.PATH ? "path" : ""].join("|"))'], 'Work');
      expect(seen).toBe('||path');
    } finally {
      process.env = saved;
    }
  });

  it('stops a command that hangs at the timeout', async () => {
    await expect(runPasswordCommand([node, '-e', 'setInterval(() => {}, 1000)'], 'Work', 300)).rejects.toMatchObject({ info: { code: 'SECRETS_LOCKED', message: expect.stringContaining('did not finish within 0.3 s') } });
  });
});
