import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import type { ErrorInfo } from '../../../../shared/errors';
import type { TokenOutcome } from '../../accounts/auth/oauth-tokens';
import { loginRefusal } from '../login-refusals';
import type { Security } from '../../../../shared/model/account';
import type { Capabilities, CertificateReport, ConnectionTestReport, PhaseName, SettingField, TestPhase } from '../../../../shared/model/connection-test';
import { MailwrightError } from '../../errors';
import { authHint } from '../error-mapping';
import { TranscriptRecorder } from '../transcript';
import { inspectCertificate } from './certificate';
import { DialogueError, SmtpDialogue, type Reply } from './smtp-dialogue';
import { authenticate, fromError, tokenNote } from './login';
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
  const servername = isIP(input.host) ? undefined : input.host;
  const tlsOptions: ConnectionOptions = { servername, rejectUnauthorized: false, minVersion: 'TLSv1.2' };

  const done = (name: PhaseName, started: number, note?: string) => {
    const phase: TestPhase = { name, status: 'passed', ms: Math.round(performance.now() - started) };
    if (note) phase.note = note;
    phases.push(phase);
    deps.onPhase?.(phase);
  };
  const skip = (name: PhaseName, note: string) => {
    const phase: TestPhase = { name, status: 'skipped', ms: 0, note };
    phases.push(phase);
    deps.onPhase?.(phase);
  };
  const replyError = (r: Reply & { command?: string }) => ({ code: r.code, response: r.lines.join('\n'), ...(r.command ? { command: r.command } : {}) });

  /** After a 4xx/5xx reply: temporary or permanent, with the server's words. */
  const refused = (r: Reply, command: string, field?: SettingField): never => {
    throw r.code >= 500
      ? new Stop('SERVER_PERMANENT', `${input.host} refused ${command}: ${r.text}`, 'Read the server’s reply: it usually says what to change.', field, { ...r, command })
      : new Stop('SERVER_TEMPORARY', `${input.host} is temporarily refusing ${command}: ${r.text}`, 'Nothing needs to change: try again in a few minutes.', field, { ...r, command });
  };
  /** Map what the socket did (timeout, close, refused) during a phase. */
  const lost = (err: unknown, during: string): Stop => {
    if (err instanceof Stop) return err;
    if (err instanceof DialogueError && err.kind === 'timeout') {
      return new Stop('TIMEOUT', `${where} stopped answering during ${during}.`, 'The server may be overloaded or a firewall may be interfering; try again, or try another port.', 'port');
    }
    if (err instanceof DialogueError && err.kind === 'closed') {
      return new Stop('SERVER_TEMPORARY', `${input.host} closed the connection during ${during}.`, 'The server may be refusing this computer (address, rate limit) or the security setting; check the transcript for its last words.', 'security');
    }
    return new Stop('TLS_FAILED', `The connection to ${where} failed during ${during}: ${(err as Error).message}`, 'Check the security setting for this port (465 → tls, 587 → starttls).', 'security');
  };

  async function upgrade(socket: TLSSocket | undefined, started: number): Promise<CertificateReport> {
    const cert = inspectCertificate(socket!, input.host, input.pinnedCertSha256);
    report.certificate = cert;
    if (!cert.trusted) {
      const details = { presentedSha256: cert.fingerprint256, subject: cert.subject, validTo: cert.validTo };
      if (cert.problem === 'issued for another name' && !input.pinnedCertSha256) {
        throw new Stop('CERT_UNTRUSTED', `The certificate of ${input.host} was issued for another name (${cert.subject}).`, 'Use the server name the certificate was issued for in the SMTP server setting.', 'host', undefined, details);
      }
      if (cert.problem === 'expired') {
        throw new Stop('CERT_UNTRUSTED', `The certificate of ${input.host} expired on ${cert.validTo}.`, 'Ask the provider to renew it. Pinning it would hide this and future problems.', 'pinnedCertSha256', undefined, details);
      }
      if (cert.problem === 'not the pinned certificate') {
        throw new Stop('CERT_UNTRUSTED', `${input.host} presented a different certificate from the one you pinned.`, 'If the server’s certificate was renewed on purpose, pin the new fingerprint; otherwise do not send: the connection may be intercepted.', 'pinnedCertSha256', undefined, details);
      }
      throw new Stop('CERT_UNTRUSTED', `The certificate of ${input.host} is not trusted (${cert.problem ?? 'unknown issuer'}).`, 'If this is your own server, check that the fingerprint below is the one it should present and trust exactly that certificate (pin it).', 'pinnedCertSha256', undefined, details);
    }
    done('tls', started, `${cert.protocol ?? 'TLS'}${cert.pinned ? ', pinned certificate' : ''}`);
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
    if (isIP(input.host)) done('resolve', started, 'an IP address');
    else {
      const addresses = await (deps.lookup ?? defaultLookup)(input.host).catch(() => [] as string[]);
      if (!addresses.length) throw new Stop('DNS_NOT_FOUND', `The server name "${input.host}" could not be found.`, 'Check the spelling of the SMTP server setting, and that this computer is online.', 'host');
      done('resolve', started, addresses.join(', '));
    }
    report.mx = await mx;

    // 2. Connect (TCP)
    phase = 'connect';
    started = performance.now();
    try {
      await dialogue.connect(input.host, input.port, t.connect);
    } catch (err) {
      const code = (err as DialogueError).errno?.code;
      if (code === 'ECONNREFUSED') throw new Stop('CONNECTION_REFUSED', `${where} refused the connection: nothing listens on that port.`, 'Check the port: submission is usually 587 (STARTTLS) or 465 (TLS).', 'port');
      if ((err as DialogueError).kind === 'timeout' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
        throw new Stop('TIMEOUT', `${where} did not answer the connection within ${t.connect / 1000} s.`, 'A firewall is probably dropping the connection (often port 25 on home networks): try 587 or 465, or check the server name.', 'port');
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
          throw new Stop('TLS_MISMATCH', `${where} does not speak implicit TLS: it answered in plain SMTP.`, `This port uses STARTTLS: set security to "starttls"${input.port === 465 ? '' : ' (or use port 465 with "tls")'}.`, 'security');
        }
        throw lost(err, 'the TLS handshake');
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
        throw new Stop('TLS_MISMATCH', `${where} expects implicit TLS: it waited for a TLS handshake instead of greeting.`, 'Set security to "tls" for this port (465 is the implicit-TLS port).', 'security');
      }
      if (err instanceof DialogueError && err.kind === 'timeout') {
        throw new Stop('TIMEOUT', `${where} accepted the connection but never greeted (${t.greeting / 1000} s).`, 'This port does not run an SMTP server that talks to you; check the port and server name.', 'port');
      }
      throw lost(err, 'the greeting');
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
        throw new Stop('TLS_FAILED', `${input.host} does not offer STARTTLS on port ${input.port}.`, 'Use port 465 with security "tls"; choose "none" only for a server you trust on a private network.', 'security');
      }
      const answer = await dialogue.command('STARTTLS', t.command).catch((err) => {
        throw lost(err, 'STARTTLS');
      });
      if (answer.code !== 220) refused(answer, 'STARTTLS', 'security');
      let secure: TLSSocket;
      try {
        secure = await dialogue.startTls(tlsOptions, t.connect);
      } catch (err) {
        throw lost(err, 'the TLS handshake');
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
      skip('tls', caps.starttls ? 'security is "none", though the server offers STARTTLS: consider "starttls"' : 'security is "none"');
    }

    // 4. Authenticate
    phase = 'auth';
    started = performance.now();
    if (input.loginError) throw new Stop(input.loginError.code, input.loginError.message, input.loginError.hint, 'password');
    if (!input.username && !input.oauth) skip('auth', 'no user name set');
    else if (!input.password && !input.oauth) {
      throw new Stop('SIGN_IN_REQUIRED', `No password is stored${input.accountName ? ` for ${input.accountName}` : ''}.`, 'Enter the password in the password field (it is kept in the secret store, never in a file in the clear).', 'password');
    } else if (!caps.auth.length) {
      throw new Stop(
        'AUTH_UNSUPPORTED',
        `${input.host} offers no login on this connection, but a user name is set.`,
        input.security === 'none' ? 'Most servers offer login only over TLS: set security to "starttls" or "tls".' : 'Clear the user name if this server needs no login (a relay), or check the port.',
        input.security === 'none' ? 'security' : 'username',
      );
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
      if (mail.code >= 500) throw new Stop('SENDER_REJECTED', `${input.host} will not accept mail from ${input.email}: ${mail.text}`, 'Use the email address that belongs to this login, or ask the provider to allow it as a sender.', 'email', { ...mail, command: 'MAIL FROM' });
      refused(mail, 'MAIL FROM', 'email');
    }
    const to = await dialogue.command(`RCPT TO:<${rcpt}>`, t.command).catch((err) => {
      throw lost(err, 'RCPT TO');
    });
    if (to.code !== 250 && to.code !== 251) {
      if (to.code >= 500) throw new Stop('RECIPIENTS_REJECTED', `${input.host} refused the recipient ${rcpt}: ${to.text}`, 'Check the recipient address; some servers only accept recipients after login.', 'rcpt', { ...to, command: 'RCPT TO' });
      refused(to, 'RCPT TO', 'rcpt');
    }
    await dialogue.command('RSET', t.command).catch(() => undefined);
    done('envelope', started, `${input.email} → ${rcpt} accepted; nothing was sent`);

    // 6. Optional: a real message, only when asked
    phase = 'send';
    started = performance.now();
    await dialogue.quit();
    if (!input.sendTestTo) skip('send', 'not asked: no message was sent');
    else if (!deps.sendTest) skip('send', 'sending a test message is not available here');
    else {
      const response = await deps.sendTest(input, input.sendTestTo);
      done('send', started, response);
    }
    report.ok = true;
  } catch (err) {
    const stop = err instanceof Stop ? err : lost(err, phase);
    const info = new MailwrightError(stop.code, stop.message, stop.hint, { details: stop.details, smtp: stop.reply ? replyError(stop.reply) : undefined }).info;
    const failed: TestPhase = { name: phase, status: 'failed', ms: Math.round(performance.now() - started), ...info };
    if (stop.field) failed.field = stop.field;
    if (stop.code === 'AUTH_FAILED' && stop.reply && !input.oauth && !loginRefusal(stop.reply.code, stop.reply.lines.join('\n'), { host: input.host }, true)) failed.hint = authHint({ host: input.host, email: input.email });
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
