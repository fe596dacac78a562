import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { KeychainSecretStore } from '../../electron/core/secrets/keychain-store';
import { runDoctor } from '../../electron/core/smtp/doctor/doctor';
import { FakeClock } from '../helpers/fake-clock';
import { noJitter, outboxHarness, reaches, testDraft, TEST_RETRY } from '../helpers/outbox-harness';
import { scriptedServer } from '../helpers/tcp-servers';
import { tempDir } from '../helpers/temp-dir';

// What the big providers answer when a login is refused, said as what to do; and the account
// whose login is simply missing, which used to read as "the server refused the sender".

const { track, smtp, setup } = outboxHarness();
const keychain = new KeychainSecretStore(`Mailwright test ${randomUUID()}`);

/** An SMTP server that answers AUTH (and MAIL FROM) with a provider's exact words. */
async function provider(replies: { auth?: string; mail?: string }) {
  return track(
    await scriptedServer((socket: Socket) => {
      socket.write('220 smtp.provider.test ESMTP\r\n');
      let buffer = '';
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        let i;
        while ((i = buffer.indexOf('\r\n')) >= 0) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const verb = line.split(' ')[0]!.toUpperCase();
          if (verb === 'EHLO') socket.write('250-smtp.provider.test\r\n250-AUTH LOGIN PLAIN XOAUTH2\r\n250 8BITMIME\r\n');
          else if (verb === 'AUTH') socket.write(`${replies.auth ?? '235 2.7.0 Accepted'}\r\n`);
          else if (verb === 'MAIL') socket.write(`${replies.mail ?? '250 2.1.0 Ok'}\r\n`);
          else if (verb === 'QUIT') socket.end('221 Bye\r\n');
          else socket.write('250 Ok\r\n');
        }
      });
    }),
  );
}

async function core() {
  return track(await createCore({ dataDir: tempDir(), keychain, clock: new FakeClock(), autoRun: true, retry: TEST_RETRY, random: noJitter, env: {} }));
}
const account = (port: number, extra: Record<string, unknown> = {}) => ({ name: 'Work', email: 'ana@contoso.test', displayName: '', host: '127.0.0.1', port, security: 'none' as const, username: 'ana@contoso.test', ...extra });

describe('the providers’ login refusals, as what to do', () => {
  it.each([
    ['Microsoft 365, basic authentication off', '550 5.7.30 Basic authentication is not supported for Client Submission.', 'AUTH_UNSUPPORTED', /Sign in with Microsoft/],
    ['Microsoft 365, SMTP AUTH off for the mailbox', '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.', 'AUTH_FAILED', /administrator must turn on Authenticated SMTP/],
    ['Gmail, an app password needed', '534-5.7.9 Application-specific password required. Learn more at\r\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor', 'AUTH_FAILED', /app password/],
  ])('%s: the doctor and a send both say it', async (_who, reply, code, hint) => {
    const server = await provider({ auth: reply });
    const report = await runDoctor({ email: 'ana@contoso.test', host: '127.0.0.1', port: server.port, security: 'none', username: 'ana@contoso.test', password: 'pw' });
    expect(report.phases.find((p) => p.status === 'failed')).toMatchObject({ name: 'auth', code, hint: expect.stringMatching(hint) });

    const c = await core();
    const saved = await c.handlers['accounts:save']({ ...account(server.port), password: 'pw' });
    const item = await c.handlers['outbox:enqueue'](testDraft(saved.id));
    const failed = await reaches(c, item.id, ['failed', 'sent', 'needs-sign-in']);
    expect(failed).toMatchObject({ state: 'failed', error: { code, hint: expect.stringMatching(hint) } });
    await c.handlers['accounts:remove']({ id: saved.id });
  });
});

describe('a login that is missing says so: SIGN_IN_REQUIRED, never SENDER_REJECTED', () => {
  it('no password stored: the message waits, the doctor names the password field, and saving a password sends it', async () => {
    const server = await smtp({ users: { 'ana@contoso.test': 'right-pw' }, authMethods: ['PLAIN'] });
    const c = await core();
    const saved = await c.handlers['accounts:save'](account(server.port));
    expect(saved.login).toMatchObject({ method: 'password', state: 'missing' });
    const item = await c.handlers['outbox:enqueue'](testDraft(saved.id));
    const waiting = await reaches(c, item.id, ['failed', 'sent', 'needs-sign-in']);
    expect(waiting).toMatchObject({ state: 'needs-sign-in', error: { code: 'SIGN_IN_REQUIRED', message: 'No password is stored for Work.' } });
    expect(server.transactions).toBe(0); // it never tried a login bound to fail

    const report = await c.handlers['accounts:test']({ id: saved.id });
    expect(report.phases.find((p) => p.status === 'failed')).toMatchObject({ name: 'auth', code: 'SIGN_IN_REQUIRED', field: 'password' });

    await c.handlers['accounts:save']({ ...account(server.port), id: saved.id, password: 'right-pw' });
    expect((await reaches(c, item.id, ['failed', 'sent'])).state).toBe('sent');
    expect(server.received).toHaveLength(1);
    await c.handlers['accounts:remove']({ id: saved.id });
  });

  it('a server that wants a login from an account with no user name: 530 reads as sign-in needed, with the user name to set', async () => {
    const server = await smtp({ users: { ana: 'pw' } }); // smtp-server answers MAIL FROM without AUTH with 530
    const c = await core();
    const saved = await c.handlers['accounts:save']({ ...account(server.port), username: undefined });
    const item = await c.handlers['outbox:enqueue'](testDraft(saved.id));
    const waiting = await reaches(c, item.id, ['failed', 'sent', 'needs-sign-in']);
    expect(waiting).toMatchObject({ state: 'needs-sign-in', error: { code: 'SIGN_IN_REQUIRED', hint: expect.stringContaining('Set the user name and password for Work'), smtp: { code: 530 } } });
  });

  it('a password another process stores reaches the running app on its periodic look: the waiting message goes, once', async () => {
    const server = await smtp({ users: { 'ana@contoso.test': 'right-pw' }, authMethods: ['PLAIN'] });
    const { core, clock } = await setup();
    const saved = await core.handlers['accounts:save'](account(server.port));
    const item = await core.handlers['outbox:enqueue'](testDraft(saved.id));
    expect((await reaches(core, item.id, ['failed', 'sent', 'needs-sign-in'])).state).toBe('needs-sign-in');
    await core.secrets.set(saved.id, 'right-pw'); // e.g. `mailwright account password` in a terminal
    clock.advance(30_000);
    expect((await reaches(core, item.id, ['failed', 'sent'])).state).toBe('sent');
    expect(server.received).toHaveLength(1);
  });
});
