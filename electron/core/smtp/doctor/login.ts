import type { Capabilities, SettingField } from '../../../../shared/model/connection-test';
import type { TokenOutcome } from '../../accounts/auth/oauth-tokens';
import type { ErrorInfo, Phrase } from '../../../../shared/errors';
import { code, phrase } from '../../../../shared/i18n/errors/phrase';
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
  const host = input.host;
  const ctx = { host: input.host, email: input.email, accountName: input.accountName, login: input.oauth ? ('oauth2' as const) : ('password' as const) };
  const fail = (r: Reply, command: string): never => {
    const refusal = loginRefusal(r.code, r.lines.join('\n'), ctx, true);
    // The server's words travel in `reply` (shown as its reply), not in the sentences.
    const reply = { ...r, command };
    if (refusal) throw new Stop(refusal.code, { message: refusal.message, hint: refusal.hint }, refusal.code === 'AUTH_UNSUPPORTED' ? 'username' : 'password', reply);
    if (r.code === 504 || r.code === 534 && /mechanism/i.test(r.text)) {
      throw new Stop('AUTH_UNSUPPORTED', { message: phrase('err.doctor.mechanism', { host, command: code(command) }), hint: phrase('err.doctor.offers.hint', { methods: caps.auth.join(', ') }) }, 'username', reply);
    }
    if (r.code >= 400 && r.code < 500 && r.code !== 454) {
      throw new Stop('SERVER_TEMPORARY', { message: phrase('err.doctor.loginLater', { host }), hint: phrase('err.doctor.tryLater.hint') }, undefined, reply);
    }
    throw new Stop('AUTH_FAILED', { message: phrase('err.smtp.authFailed', { host }), hint: authHint({ host, email: input.email }) }, 'password', reply);
  };
  const run = (line: string, shown?: string) =>
    dialogue.command(line, timeout, shown ? { shown } : { secret: true }).catch((err: unknown) => {
      throw err instanceof DialogueError && err.kind === 'closed'
        ? new Stop('AUTH_FAILED', { message: phrase('err.doctor.closedAtLogin', { host }), hint: phrase('err.doctor.closedAtLogin.hint') }, 'password')
        : err;
    });
  if (input.oauth) {
    if (!caps.auth.includes('XOAUTH2')) {
      const message = caps.auth.length ? phrase('err.doctor.noXoauth2', { host, methods: caps.auth.join(', ') }) : phrase('err.doctor.noXoauth2NoLogin', { host });
      throw new Stop('AUTH_UNSUPPORTED', { message, hint: phrase('err.doctor.noXoauth2.hint') }, 'host');
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
    { message: phrase('err.doctor.noPasswordMethod', { host, methods: caps.auth.join(', ') }), hint: phrase(oauthOffered ? 'err.doctor.useOAuth.hint' : 'err.doctor.askPlain.hint') },
    'username',
  );
}

/** A named error from elsewhere (the token service, the secret store) as the phase's verdict, in its own phrases. */
export function fromError(err: unknown, field: SettingField): Stop {
  const info: ErrorInfo | undefined = err instanceof MailwrightError ? err.info : isErrorInfo(err) ? err : undefined;
  if (!info) throw err;
  // Every error of the core has its phrases; one without (never expected) keeps its English words as a quote.
  const words = info.text ?? { message: phrase('err.internal'), hint: phrase('err.internal.hint'), quote: info.message };
  return new Stop(info.code, words, field, undefined, info.details);
}

const isErrorInfo = (v: unknown): v is ErrorInfo => typeof v === 'object' && v !== null && typeof (v as ErrorInfo).code === 'string' && typeof (v as ErrorInfo).message === 'string';

/** How the access token was had: stored, or refreshed (and rotated), with how long it stays valid. */
export function tokenNote(t: TokenOutcome): Phrase {
  const how = phrase(!t.refreshed ? 'doctor.note.tokenStored' : t.rotated ? 'doctor.note.tokenRotated' : 'doctor.note.tokenRefreshed');
  return t.validForMs === undefined ? how : phrase('doctor.note.validFor', { note: how, minutes: Math.max(0, Math.round(t.validForMs / 60_000)) });
}
