import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { ConnectionTestReport, PhaseName, TestPhase } from '../../../shared/model/connection-test';
import type { StoredAccount } from '../accounts/account-store';
import { MailwrightError } from '../errors';
import { probeCertificate } from './certificate-probe';
import { mapSmtpError } from './error-mapping';
import { smtpSettings } from './smtp-options';
import { TranscriptRecorder } from './transcript';

/**
 * Test an account's settings: connect (greeting + EHLO), TLS, login — and nothing is sent.
 * A server that offers no login while a user name is set is a failure, not the silent success
 * nodemailer's verify() would report. (The SMTP doctor issue grows this into the full diagnosis.)
 */
export async function testConnection(account: StoredAccount, password: string | null): Promise<ConnectionTestReport> {
  const recorder = new TranscriptRecorder({ secrets: [password], startsInTls: account.security === 'tls' });
  const phases: TestPhase[] = [];
  const ctx = { host: account.host, port: account.port, security: account.security, email: account.email };
  const phase = (name: PhaseName, status: TestPhase['status'], ms: number, extra: Partial<TestPhase> = {}) =>
    phases.push({ name, status, ms: Math.round(ms), ...extra });
  let report: ConnectionTestReport['certificate'];

  const finish = (): ConnectionTestReport => {
    const result: ConnectionTestReport = { ok: phases.every((p) => p.status !== 'failed'), phases, transcript: recorder.lines };
    if (report) result.certificate = report;
    return result;
  };
  const fail = (name: PhaseName, started: number, err: unknown) => {
    const mapped = mapSmtpError(err, ctx);
    phase(name, 'failed', performance.now() - started, { error: mapped.info });
    return mapped;
  };

  let started = performance.now();
  let conn: SMTPConnection | undefined;
  try {
    const settings = await smtpSettings(account, password);
    conn = new SMTPConnection({ ...settings, logger: recorder.logger(), debug: true, transactionLog: true });
    const c = conn;
    c.on('error', () => undefined); // errors arrive through the callbacks below
    await new Promise<void>((resolve, reject) => {
      c.once('error', reject);
      c.connect(() => resolve());
    });
  } catch (err) {
    const mapped = mapSmtpError(err, ctx);
    // A TLS failure is reported on the TLS phase, with the certificate the server presented.
    const tlsProblem = ['CERT_UNTRUSTED', 'TLS_MISMATCH', 'TLS_FAILED'].includes(mapped.info.code);
    if (tlsProblem) {
      phase('connect', 'passed', 0, { note: 'TCP connection established' });
      fail('tls', started, mapped);
      if (mapped.info.code === 'CERT_UNTRUSTED') await describeCertificate();
    } else {
      fail('connect', started, mapped);
      phase('tls', 'skipped', 0);
    }
    phase('auth', 'skipped', 0);
    conn?.close();
    return finish();
  }

  async function describeCertificate() {
    try {
      const cert = await probeCertificate({ host: account.host, port: account.port, security: account.security, timeoutMs: 5000 });
      report = { fingerprint256: cert.fingerprint256, subject: cert.subject, issuer: cert.issuer, validTo: cert.validTo, trusted: cert.trusted };
      const failed = phases.find((p) => p.name === 'tls' && p.error);
      if (failed?.error) failed.error.details = { presentedSha256: cert.fingerprint256, validTo: cert.validTo };
    } catch {
      // the failure above already says what is wrong
    }
  }

  // Split the handshake into its phases by the transcript's clock: up to STARTTLS is connecting, then TLS.
  const handshake = performance.now() - started;
  const starttlsAt = recorder.sentAt(/^STARTTLS$/i);
  if (account.security === 'starttls' && starttlsAt !== undefined && recorder.tlsAt !== undefined) {
    phase('connect', 'passed', starttlsAt, { note: 'greeting and EHLO' });
    phase('tls', conn.secure ? 'passed' : 'failed', recorder.tlsAt - starttlsAt, { note: 'STARTTLS' });
  } else {
    phase('connect', 'passed', handshake, { note: account.security === 'tls' ? 'TCP, implicit TLS, greeting and EHLO' : 'greeting and EHLO' });
    if (account.security === 'none') phase('tls', 'skipped', 0, { note: 'security is "none"' });
    else if (conn.secure) phase('tls', 'passed', 0, { note: 'implicit TLS, timed with connect' });
  }
  if (account.security !== 'none' && !conn.secure) {
    phase('tls', 'failed', 0, { error: new MailwrightError('TLS_FAILED', 'The connection is not encrypted.', 'Set security to "starttls" or "tls".').info });
  }

  started = performance.now();
  if (!account.username) {
    phase('auth', 'skipped', 0, { note: 'no user name set' });
  } else if (!password) {
    phase('auth', 'failed', 0, { error: new MailwrightError('AUTH_FAILED', 'No password is stored for this account.', 'Enter the password in the account settings.').info });
  } else if (!conn.allowsAuth) {
    phase('auth', 'failed', 0, {
      error: new MailwrightError(
        'AUTH_UNSUPPORTED',
        `${account.host} does not offer login on this connection, but a user name is set.`,
        account.security === 'none' ? 'Most servers offer login only over TLS: set security to "starttls" or "tls".' : 'Clear the user name if this server needs no login, or check the port.',
      ).info,
    });
  } else {
    const c = conn;
    try {
      await new Promise<void>((resolve, reject) => c.login({ user: account.username!, pass: password }, (err) => (err ? reject(err) : resolve())));
      phase('auth', 'passed', performance.now() - started);
    } catch (err) {
      fail('auth', started, err);
    }
  }
  conn.quit();
  return finish();
}
