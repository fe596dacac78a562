import type { Capabilities, SettingField } from '../../../../shared/model/connection-test';
import type { TokenOutcome } from '../../accounts/auth/oauth-tokens';
import { MailwrightError } from '../../errors';
import { authHint } from '../error-mapping';
import { loginRefusal } from '../login-refusals';
import type { TranscriptRecorder } from '../transcript';
import type { DoctorInput } from './doctor';
import { DialogueError, type Reply, type SmtpDialogue } from './smtp-dialogue';
import { Stop } from './stop';

// The doctor's login phase: AUTH PLAIN or LOGIN with a password, or XOAUTH2 with an access token
// (renewed once when the server refuses it, as sending does), each refusal read as what to change.

/** Log in with the best method both sides have; returns its name. */
export async function authenticate(dialogue: SmtpDialogue, caps: Capabilities, input: DoctorInput, timeout: number, oauth: { token?: string }, transcript: TranscriptRecorder): Promise<string> {
  const user = input.oauth?.user ?? input.username!;
  const ctx = { host: input.host, email: input.email, accountName: input.accountName, login: input.oauth ? ('oauth2' as const) : ('password' as const) };
  const fail = (r: Reply, command: string): never => {
    const refusal = loginRefusal(r.code, r.lines.join('\n'), ctx, true);
    if (refusal) throw new Stop(refusal.code, `${refusal.message} (${r.text})`, refusal.hint, refusal.code === 'AUTH_UNSUPPORTED' ? 'username' : 'password', { ...r, command });
    if (r.code === 504 || r.code === 534 && /mechanism/i.test(r.text)) {
      throw new Stop('AUTH_UNSUPPORTED', `${input.host} does not accept ${command}: ${r.text}`, `The server offers: ${caps.auth.join(', ')}.`, 'username', { ...r, command });
    }
    if (r.code >= 400 && r.code < 500 && r.code !== 454) {
      throw new Stop('SERVER_TEMPORARY', `${input.host} could not check the login right now: ${r.text}`, 'Try again in a few minutes.', undefined, { ...r, command });
    }
    throw new Stop('AUTH_FAILED', `${input.host} refused the user name or password: ${r.text}`, authHint({ host: input.host, email: input.email }), 'password', { ...r, command });
  };
  const run = (line: string, shown?: string) =>
    dialogue.command(line, timeout, shown ? { shown } : { secret: true }).catch((err: unknown) => {
      throw err instanceof DialogueError && err.kind === 'closed'
        ? new Stop('AUTH_FAILED', `${input.host} closed the connection at login.`, 'Check the user name and password; some servers disconnect after a failed login.', 'password')
        : err;
    });
  if (input.oauth) {
    if (!caps.auth.includes('XOAUTH2')) {
      throw new Stop('AUTH_UNSUPPORTED', `${input.host} does not offer OAuth2 login (XOAUTH2) on this connection; it offers ${caps.auth.join(', ') || 'none'}.`, 'Check the server and port: the provider’s SMTP submission server (usually port 587 with STARTTLS) takes XOAUTH2.', 'host');
    }
    // SASL XOAUTH2: after a refusal the server may send a 334 challenge (its error as JSON),
    // answered with an empty line before its final reply.
    const attempt = async () => {
      let r = await run(`AUTH XOAUTH2 ${Buffer.from(`user=${user}\x01auth=Bearer ${oauth.token}\x01\x01`).toString('base64')}`, 'AUTH XOAUTH2 /* user and access token */');
      if (r.code === 334) r = await run('', '/* empty reply to the server’s error challenge */');
      return r;
    };
    let r = await attempt();
    if (r.code !== 235 && r.code >= 500) {
      // Refused: one more time with a new token, as sending does.
      const renewed = await input.oauth.token({ refused: oauth.token }).catch((err: unknown) => {
        throw fromError(err, 'password');
      });
      oauth.token = renewed.token;
      transcript.addSecret(renewed.token);
      r = await attempt();
    }
    if (r.code !== 235) fail(r, 'AUTH XOAUTH2');
    return 'XOAUTH2';
  }
  const pass = input.password!;
  if (caps.auth.includes('PLAIN')) {
    const r = await run(`AUTH PLAIN ${Buffer.from(`\0${user}\0${pass}`).toString('base64')}`, 'AUTH PLAIN /* secret */');
    if (r.code !== 235) fail(r, 'AUTH PLAIN');
    return 'PLAIN';
  }
  if (caps.auth.includes('LOGIN')) {
    let r = await run('AUTH LOGIN', 'AUTH LOGIN');
    if (r.code !== 334) fail(r, 'AUTH LOGIN');
    r = await run(Buffer.from(user).toString('base64'), '/* user name */');
    if (r.code !== 334) fail(r, 'AUTH LOGIN');
    r = await run(Buffer.from(pass).toString('base64'));
    if (r.code !== 235) fail(r, 'AUTH LOGIN');
    return 'LOGIN';
  }
  const oauthOffered = caps.auth.includes('XOAUTH2') || caps.auth.includes('OAUTHBEARER');
  throw new Stop(
    'AUTH_UNSUPPORTED',
    `${input.host} offers only login methods Mailwright does not support with a password (${caps.auth.join(', ')}).`,
    oauthOffered ? 'This server signs in with OAuth2: use Sign in (Microsoft, Google, or another provider by its issuer URL) instead of a password.' : 'Ask the provider for PLAIN or LOGIN over TLS.',
    'username',
  );
}

/** A named error from elsewhere (the token service) as the phase's verdict. */
export function fromError(err: unknown, field: SettingField): Stop {
  if (err instanceof MailwrightError) return new Stop(err.info.code, err.info.message, err.info.hint, field, undefined, err.info.details);
  throw err;
}

export function tokenNote(t: TokenOutcome): string {
  const left = t.validForMs !== undefined ? `, valid for ${Math.max(0, Math.round(t.validForMs / 60_000))} min` : '';
  return t.refreshed ? `refreshed${t.rotated ? '; the new refresh token is stored' : ''}${left}` : `the stored access token${left}`;
}
