import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import type { ErrorInfo, Phrase } from '../../../../shared/errors';
import { code, date, phrase } from '../../../../shared/i18n/errors/phrase';
import { sayText } from '../../../../shared/i18n/errors/say';
import type { TokenOutcome } from '../../accounts/auth/oauth-tokens';
import { loginRefusal } from '../login-refusals';
import type { Security } from '../../../../shared/model/account';
import type { Capabilities, CertificateReport, ConnectionTestReport, PhaseName, SettingField, TestPhase } from '../../../../shared/model/connection-test';
import { errorInfo, systemWords, withHint } from '../../errors';
import { authHint } from '../error-mapping';
import { TranscriptRecorder } from '../transcript';
import { inspectCertificate } from './certificate';
import { DialogueError, SmtpDialogue, type Reply } from './smtp-dialogue';
import { authenticate, fromError, tokenNote } from './login';
import { certProblem, duringPhrase, type During } from './phrases';
import { Stop } from './stop';

export interface DoctorInput {
  email: string;
  host: string;
  port: number;
  security: Security;
  username?: string;
  password?: string | null;
  /** OAuth2 (XOAUTH2): the user to log in as, and how to get an access token (the token phase). */
  oauth?: { user: string; token: (opts?: { refused?: string }) => Promise<TokenOutcome> };
  /** Why the account's login cannot be had (no password stored, the vault locked): the login phase says so. */
  loginError?: ErrorInfo;
  /** The account's name, for hints. */
  accountName?: string;
  pinnedCertSha256?: string;
  /** RCPT TO for the envelope check; the account's own address by default */
  rcpt?: string;
  /** only when set: send one real test message there */
  sendTestTo?: string;
}

export interface DoctorDeps {
  lookup?: (host: string) => Promise<string[]>;
  mx?: (domain: string) => Promise<string[]>;
  /** Sends the optional real test message (through the normal sending path). */
  sendTest?: (input: DoctorInput, to: string) => Promise<string>;
  timeouts?: Partial<typeof TIMEOUTS>;
  onPhase?: (phase: TestPhase) => void;
}

/** Short enough that every diagnosis arrives within 10 seconds. */
const TIMEOUTS = { connect: 5000, greeting: 5000, command: 6000, tlsProbe: 2500 };
const EHLO_NAME = 'mailwright.localhost';

function parseCapabilities(reply: Reply): Capabilities {
  const lines = reply.lines.slice(1).map((l) => l.slice(4).trim());
  const has = (word: string) => lines.some((l) => l.toUpperCase().split(/\s+/)[0] === word);
  const auth = lines.find((l) => /^AUTH[ =]/i.test(l));
  const size = lines.find((l) => /^SIZE\b/i.test(l));
  const caps: Capabilities = {
    starttls: has('STARTTLS'),
    auth: auth ? auth.slice(5).trim().toUpperCase().split(/\s+/).filter(Boolean) : [],
    smtputf8: has('SMTPUTF8'),
    eightBitMime: has('8BITMIME'),
    dsn: has('DSN'),
    pipelining: has('PIPELINING'),
    raw: lines,
  };
  const sizeValue = size ? Number(size.split(/\s+/)[1]) : NaN;
  if (sizeValue > 0) caps.size = sizeValue;
  return caps;
}

/**
 * The SMTP doctor: resolve, connect, greeting + EHLO, TLS, login, then MAIL FROM as the account
 * and RCPT TO a recipient — and RSET, QUIT: no message is sent unless `sendTestTo` asks for one.
 * Each phase passes, fails with a named error and the setting to change, or is skipped.
 */
export async function runDoctor(input: DoctorInput, deps: DoctorDeps = {}): Promise<ConnectionTestReport> {
  const t = { ...TIMEOUTS, ...deps.timeouts };
  const transcript = new TranscriptRecorder({ secrets: [input.password] });
  /** The access token in use, once the token phase has one (redacted wherever it might appear). */
  const oauth: { token?: string } = {};
  const dialogue = new SmtpDialogue(transcript);
  const phases: TestPhase[] = [];
  const report: ConnectionTestReport = { ok: false, phases, transcript: transcript.lines };
  const where = `${input.host}:${input.port}`;
  const host = input.host;
  const servername = isIP(input.host) ? undefined : input.host;
  const tlsOptions: ConnectionOptions = { servername, rejectUnauthorized: false, minVersion: 'TLSv1.2' };

  /** A note is data as it came (addresses, the greeting), or words of ours as a phrase: English for the command line, keys for the window. */
  const noted = (phase: TestPhase, note: string | Phrase | undefined) => {
    if (typeof note === 'string') phase.note = note;
    else if (note) Object.assign(phase, { note: sayText('en', note), noteText: note });
    phases.push(phase);
    deps.onPhase?.(phase);
  };
  const done = (name: PhaseName, started: number, note?: string | Phrase) => noted({ name, status: 'passed', ms: Math.round(performance.now() - started) }, note);
  const skip = (name: PhaseName, note: Phrase) => noted({ name, status: 'skipped', ms: 0 }, note);
  const replyError = (r: Reply & { command?: string }) => ({ code: r.code, response: r.lines.join('\n'), ...(r.command ? { command: r.command } : {}) });

  /** After a 4xx/5xx reply: temporary or permanent, with the server's words. */
  const refused = (r: Reply, command: string, field?: SettingField): never => {
    // The greeting is refused as "the connection"; anything else by its command, as code.
    const what = command === 'the connection' ? phrase('err.doctor.theConnection') : code(command);
    throw r.code >= 500
      ? new Stop('SERVER_PERMANENT', { message: phrase('err.doctor.refused', { host, command: what }), hint: phrase('err.smtp.readReply.hint') }, field, { ...r, command })
      : new Stop('SERVER_TEMPORARY', { message: phrase('err.doctor.temporarilyRefusing', { host, command: what }), hint: phrase('err.smtp.temporary.hint') }, field, { ...r, command });
  };
  /** Map what the socket did (timeout, close, refused) during a phase. */
  const lost = (err: unknown, at: During): Stop => {
    if (err instanceof Stop) return err;
    const during = duringPhrase(at);
    if (err instanceof DialogueError && err.kind === 'timeout') {
      return new Stop('TIMEOUT', { message: phrase('err.doctor.stoppedAnswering', { where, during }), hint: phrase('err.doctor.stoppedAnswering.hint') }, 'port');
    }
    if (err instanceof DialogueError && err.kind === 'closed') {
      return new Stop('SERVER_TEMPORARY', { message: phrase('err.doctor.closed', { host, during }), hint: phrase('err.doctor.closed.hint') }, 'security');
    }
    return new Stop('TLS_FAILED', { message: phrase('err.doctor.failedDuring', { where, during }), hint: phrase('err.smtp.checkSecurity.hint'), quote: systemWords(err) }, 'security');
  };

  async function upgrade(socket: TLSSocket | undefined, started: number): Promise<CertificateReport> {
    const cert = inspectCertificate(socket!, input.host, input.pinnedCertSha256);
    report.certificate = cert;
    if (!cert.trusted) {
      // validTo as ISO 8601, so that a window writes the date its user's way.
      const validTo = new Date(cert.validTo);
      const details = { presentedSha256: cert.fingerprint256, subject: cert.subject, validTo: Number.isNaN(validTo.getTime()) ? cert.validTo : validTo.toISOString() };
      const stop = (message: Phrase, hint: Phrase, field: SettingField) => new Stop('CERT_UNTRUSTED', { message, hint }, field, undefined, details);
      if (cert.problem === 'issued for another name' && !input.pinnedCertSha256) {
        throw stop(phrase('err.cert.otherName', { host, subject: cert.subject }), phrase('err.cert.otherName.hint'), 'host');
      }
      if (cert.problem === 'expired') throw stop(phrase('err.cert.expiredOn', { host, date: date(details.validTo) }), phrase('err.cert.expired.hint'), 'pinnedCertSha256');
      if (cert.problem === 'not the pinned certificate') throw stop(phrase('err.cert.notPinned', { host }), phrase('err.cert.notPinned.hint'), 'pinnedCertSha256');
      throw stop(phrase('err.cert.untrusted', { host, problem: certProblem(cert.problem) }), phrase('err.cert.untrusted.hint'), 'pinnedCertSha256');
    }
    done('tls', started, cert.pinned ? phrase('doctor.note.pinned', { protocol: cert.protocol ?? 'TLS' }) : (cert.protocol ?? 'TLS'));
    return cert;
  }

  let phase: PhaseName = input.oauth ? 'token' : 'resolve';
  let started = performance.now();
  try {
    // 0. OAuth2: an access token first (refreshed if it is about to expire); no token, no point connecting.
    if (input.oauth) {
      const got = await input.oauth.token().catch((err: unknown) => {
        throw fromError(err, 'password');
      });
      oauth.token = got.token;
      transcript.addSecret(got.token);
      done('token', started, tokenNote(got));
      phase = 'resolve';
      started = performance.now();
    }
    // 1. Resolve (and the MX of the address's domain, for context)
    const domain = input.email.split('@')[1] ?? '';
    const mx = domain ? (deps.mx ?? defaultMx)(domain).catch(() => [] as string[]) : Promise.resolve([] as string[]);
    if (isIP(input.host)) done('resolve', started, phrase('doctor.note.ipAddress'));
    else {
      const addresses = await (deps.lookup ?? defaultLookup)(input.host).catch(() => [] as string[]);
      if (!addresses.length) throw new Stop('DNS_NOT_FOUND', { message: phrase('err.smtp.dnsNotFound', { host }), hint: phrase('err.smtp.dnsNotFound.hint') }, 'host');
      done('resolve', started, addresses.join(', '));
    }
    report.mx = await mx;

    // 2. Connect (TCP)
    phase = 'connect';
    started = performance.now();
    try {
      await dialogue.connect(input.host, input.port, t.connect);
    } catch (err) {
      const errno = (err as DialogueError).errno?.code;
      if (errno === 'ECONNREFUSED') throw new Stop('CONNECTION_REFUSED', { message: phrase('err.doctor.nothingListens', { where }), hint: phrase('err.doctor.checkPort.hint') }, 'port');
      if ((err as DialogueError).kind === 'timeout' || errno === 'EHOSTUNREACH' || errno === 'ENETUNREACH') {
        throw new Stop('TIMEOUT', { message: phrase('err.doctor.connectTimeout', { where, seconds: t.connect / 1000 }), hint: phrase('err.doctor.connectTimeout.hint') }, 'port');
      }
      throw lost(err, 'connect');
    }
    done('connect', started);

    // 3a. Implicit TLS comes first
    if (input.security === 'tls') {
      phase = 'tls';
      started = performance.now();
      let secure: TLSSocket;
      try {
        secure = await dialogue.startTls(tlsOptions, t.connect);
      } catch (err) {
        if (/wrong version number|packet length too long|unknown protocol|record layer/i.test((err as Error).message)) {
          throw new Stop('TLS_MISMATCH', { message: phrase('err.doctor.notImplicitTls', { where }), hint: phrase(input.port === 465 ? 'err.doctor.useStarttls.hint' : 'err.doctor.useStarttlsOr465.hint') }, 'security');
        }
        throw lost(err, 'handshake');
      }
      await upgrade(secure, started);
    }

    // 3. Greeting and EHLO
    phase = 'greeting';
    started = performance.now();
    let greeting: Reply;
    try {
      greeting = await dialogue.read(t.greeting);
    } catch (err) {
      if (err instanceof DialogueError && err.kind === 'timeout' && input.security !== 'tls' && (await speaksTls(input.host, input.port, t.tlsProbe))) {
        throw new Stop('TLS_MISMATCH', { message: phrase('err.doctor.expectsTls', { where }), hint: phrase('err.doctor.useTls.hint') }, 'security');
      }
      if (err instanceof DialogueError && err.kind === 'timeout') {
        throw new Stop('TIMEOUT', { message: phrase('err.doctor.noGreeting', { where, seconds: t.greeting / 1000 }), hint: phrase('err.doctor.noGreeting.hint') }, 'port');
      }
      throw lost(err, 'greeting');
    }
    if (greeting.code !== 220) refused(greeting, 'the connection', 'host');
    let ehlo = await dialogue.command(`EHLO ${EHLO_NAME}`, t.command).catch((err) => {
      throw lost(err, 'EHLO');
    });
    if (ehlo.code !== 250) refused(ehlo, 'EHLO');
    let caps = parseCapabilities(ehlo);
    report.capabilities = caps;
    done('greeting', started, greeting.text.slice(0, 80));

    // 3b. STARTTLS
    if (input.security === 'starttls') {
      phase = 'tls';
      started = performance.now();
      if (!caps.starttls) {
        throw new Stop('TLS_FAILED', { message: phrase('err.doctor.noStarttls', { host, port: String(input.port) }), hint: phrase('err.doctor.noStarttls.hint') }, 'security');
      }
      const answer = await dialogue.command('STARTTLS', t.command).catch((err) => {
        throw lost(err, 'STARTTLS');
      });
      if (answer.code !== 220) refused(answer, 'STARTTLS', 'security');
      let secure: TLSSocket;
      try {
        secure = await dialogue.startTls(tlsOptions, t.connect);
      } catch (err) {
        throw lost(err, 'handshake');
      }
      await upgrade(secure, started);
      ehlo = await dialogue.command(`EHLO ${EHLO_NAME}`, t.command).catch((err) => {
        throw lost(err, 'EHLO');
      });
      if (ehlo.code !== 250) refused(ehlo, 'EHLO');
      // Servers stop advertising STARTTLS once it is in use; the report keeps what was offered.
      caps = { ...parseCapabilities(ehlo), starttls: true };
      report.capabilities = caps;
    } else if (input.security === 'none') {
      skip('tls', phrase(caps.starttls ? 'doctor.note.securityNoneStarttls' : 'doctor.note.securityNone'));
    }

    // 4. Authenticate
    phase = 'auth';
    started = performance.now();
    if (input.loginError) throw fromError(input.loginError, 'password');
    if (!input.username && !input.oauth) skip('auth', phrase('doctor.note.noUser'));
    else if (!input.password && !input.oauth) {
      const message = input.accountName ? phrase('err.doctor.noPasswordFor', { account: input.accountName }) : phrase('err.doctor.noPassword');
      throw new Stop('SIGN_IN_REQUIRED', { message, hint: phrase('err.doctor.noPassword.hint') }, 'password');
    } else if (!caps.auth.length) {
      const plainText = input.security === 'none';
      throw new Stop('AUTH_UNSUPPORTED', { message: phrase('err.doctor.noLogin', { host }), hint: phrase(plainText ? 'err.doctor.noLoginPlain.hint' : 'err.doctor.noLogin.hint') }, plainText ? 'security' : 'username');
    } else {
      const method = await authenticate(dialogue, caps, input, t.command, oauth, transcript);
      done('auth', started, `AUTH ${method}`);
    }

    // 5. Envelope: prove the server accepts this sender and a recipient, then take it all back
    phase = 'envelope';
    started = performance.now();
    const rcpt = input.rcpt ?? input.email;
    const mail = await dialogue.command(`MAIL FROM:<${input.email}>`, t.command).catch((err) => {
      throw lost(err, 'MAIL FROM');
    });
    if (mail.code !== 250) {
      if (mail.code >= 500) throw new Stop('SENDER_REJECTED', { message: phrase('err.doctor.senderRejected', { host, email: input.email }), hint: phrase('err.smtp.senderRejected.hint') }, 'email', { ...mail, command: 'MAIL FROM' });
      refused(mail, 'MAIL FROM', 'email');
    }
    const to = await dialogue.command(`RCPT TO:<${rcpt}>`, t.command).catch((err) => {
      throw lost(err, 'RCPT TO');
    });
    if (to.code !== 250 && to.code !== 251) {
      if (to.code >= 500) throw new Stop('RECIPIENTS_REJECTED', { message: phrase('err.doctor.recipientRejected', { host, rcpt }), hint: phrase('err.doctor.recipientRejected.hint') }, 'rcpt', { ...to, command: 'RCPT TO' });
      refused(to, 'RCPT TO', 'rcpt');
    }
    await dialogue.command('RSET', t.command).catch(() => undefined);
    done('envelope', started, phrase('doctor.note.envelope', { from: input.email, to: rcpt }));

    // 6. Optional: a real message, only when asked
    phase = 'send';
    started = performance.now();
    await dialogue.quit();
    if (!input.sendTestTo) skip('send', phrase('doctor.note.notAsked'));
    else if (!deps.sendTest) skip('send', phrase('doctor.note.sendUnavailable'));
    else {
      const response = await deps.sendTest(input, input.sendTestTo);
      done('send', started, response);
    }
    report.ok = true;
  } catch (err) {
    const stop = err instanceof Stop ? err : lost(err, phase);
    let info: ErrorInfo = errorInfo(stop.code, stop.words, { ...(stop.details ? { details: stop.details } : {}), ...(stop.reply ? { smtp: replyError(stop.reply) } : {}) });
    if (stop.code === 'AUTH_FAILED' && stop.reply && !input.oauth && !loginRefusal(stop.reply.code, stop.reply.lines.join('\n'), { host: input.host }, true)) info = withHint(info, authHint({ host: input.host, email: input.email }));
    const failed: TestPhase = { name: phase, status: 'failed', ms: Math.round(performance.now() - started), ...info };
    if (stop.field) failed.field = stop.field;
    phases.push(failed);
    deps.onPhase?.(failed);
    dialogue.close();
  }
  return report;
}

/** Whether a port answers a TLS handshake: tells "expects implicit TLS" from a silent server. */
async function speaksTls(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const probe = new SmtpDialogue(new TranscriptRecorder({ secrets: [] }));
  try {
    await probe.connect(host, port, timeoutMs, { servername: isIP(host) ? undefined : host, rejectUnauthorized: false });
    return true;
  } catch {
    return false;
  } finally {
    probe.close();
  }
}

const defaultLookup = async (host: string) => (await dns.lookup(host, { all: true })).map((a) => a.address);
const defaultMx = async (domain: string) => (await dns.resolveMx(domain)).sort((a, b) => a.priority - b.priority).map((m) => m.exchange);
