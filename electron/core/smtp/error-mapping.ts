import type { SmtpReply } from '../../../shared/errors';
import { MailwrightError } from '../errors';
import { loginRefusal, type RefusalContext } from './login-refusals';

/** The fields nodemailer and Node put on their errors. */
interface RawSmtpError extends Error {
  code?: string;
  originalCode?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  timeoutType?: string;
  reason?: string;
}

export interface MappingContext extends RefusalContext {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  email?: string;
}

// TLS verification codes OpenSSL/Node use for a certificate we cannot trust.
const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'MAILWRIGHT_PIN_MISMATCH',
]);

// What OpenSSL says when the other side does not speak TLS at all: a plain SMTP greeting arrived.
const PLAINTEXT_ON_TLS = /wrong version number|packet length too long|unknown protocol|http request|record layer failure/i;

/** Provider-specific login hints: the big providers refuse the account password for SMTP. */
export function authHint(ctx: Pick<MappingContext, 'host' | 'email'>): string {
  const domain = `${ctx.host} ${ctx.email ?? ''}`.toLowerCase();
  const appPassword = (who: string, where: string) =>
    `${who} refuses your normal password for SMTP when two-step verification is on: create an app password (${where}) and put it in the password field.`;
  if (/gmail|googlemail|google/.test(domain)) return `Sign in with Google instead of a password (Accounts → Edit), or: ${appPassword('Google', 'Google Account → Security → App passwords')}`;
  if (/outlook|hotmail|live\.com|office365/.test(domain)) {
    return 'Sign in with Microsoft instead of a password (Accounts → Edit): Outlook.com takes no password for SMTP, and Microsoft 365 turns password login off at the end of 2026.';
  }
  if (/yahoo/.test(domain)) return appPassword('Yahoo', 'Account Info → Account security → Generate app password');
  if (/icloud|me\.com|mac\.com/.test(domain)) return appPassword('Apple', 'appleid.apple.com → Sign-In and Security → App-Specific Passwords');
  if (/fastmail/.test(domain)) return appPassword('Fastmail', 'Settings → Privacy & Security → App passwords');
  return 'Check the user name and password (the user name is often the full email address).';
}

const reply = (err: RawSmtpError): SmtpReply | undefined => {
  if (!err.response && !err.responseCode) return undefined;
  const r: SmtpReply = {};
  if (err.responseCode) r.code = err.responseCode;
  if (err.response) r.response = err.response;
  if (err.command) r.command = err.command;
  return r;
};

/** Turn whatever nodemailer, Node or OpenSSL threw into a named error with a human hint and the server's reply. */
export function mapSmtpError(raw: unknown, ctx: MappingContext): MailwrightError {
  if (raw instanceof MailwrightError) return raw;
  const err = (raw ?? new Error(String(raw))) as RawSmtpError;
  const code = err.code ?? '';
  const original = err.originalCode ?? code;
  const msg = err.message ?? '';
  const smtp = reply(err);
  const where = `${ctx.host}:${ctx.port}`;
  const make = (c: ConstructorParameters<typeof MailwrightError>[0], message: string, hint: string) =>
    new MailwrightError(c, message, hint, { smtp, cause: err });

  if (code === 'EDNS' || original === 'ENOTFOUND' || original === 'EAI_AGAIN') {
    return make('DNS_NOT_FOUND', `The server name "${ctx.host}" could not be found.`, 'Check the spelling of the server (host) setting, and that this computer is online.');
  }
  if (original === 'ECONNREFUSED') {
    return make('CONNECTION_REFUSED', `${where} refused the connection.`, 'Check the port: submission is usually 587 (STARTTLS) or 465 (TLS). The server may also be down.');
  }
  if (code === 'ETIMEDOUT') {
    if (ctx.security !== 'tls' && ctx.port === 465 && err.timeoutType !== 'CONNECTION_TIMEOUT') {
      return make('TLS_MISMATCH', `${where} expects implicit TLS but Mailwright waited for a plain greeting.`, 'Port 465 uses implicit TLS: set security to "tls".');
    }
    const stage = err.timeoutType === 'CONNECTION_TIMEOUT' ? 'connecting' : err.timeoutType === 'GREETING_TIMEOUT' ? 'waiting for the greeting' : 'waiting for a reply';
    return make('TIMEOUT', `${where} did not answer in time (${stage}).`, 'Check the host and port; a firewall may be dropping the connection. Try port 587 or 465.');
  }
  if (CERT_CODES.has(original) || CERT_CODES.has(code) || (!err.responseCode && /self[- ]signed|certificate/i.test(msg))) {
    const expired = /expired/i.test(msg) || original === 'CERT_HAS_EXPIRED';
    return make(
      'CERT_UNTRUSTED',
      expired ? `The certificate of ${ctx.host} has expired.` : `The certificate of ${ctx.host} is not trusted (${msg.replace(/^Error initiating TLS - /, '')}).`,
      'If this is your own server with a self-signed certificate, compare its SHA-256 fingerprint with the one you expect and pin it (--accept-cert). Otherwise ask the provider to fix the certificate.',
    );
  }
  if (PLAINTEXT_ON_TLS.test(msg) || original === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return make(
      'TLS_MISMATCH',
      `${where} does not speak implicit TLS: it answered in plain text.`,
      ctx.port === 587 || ctx.port === 25
        ? `Port ${ctx.port} uses STARTTLS: set security to "starttls" (or use port 465 with "tls").`
        : 'Set security to "starttls" for this port, or use port 465 with "tls".',
    );
  }
  if (code === 'ETLS' || code === 'ESOCKET' && /tls|ssl/i.test(msg)) {
    if (/STARTTLS/i.test(msg) || err.command === 'STARTTLS') {
      return make('TLS_FAILED', `${ctx.host} did not offer or complete STARTTLS.`, 'Use port 465 with security "tls", or ask the provider whether this port supports STARTTLS.');
    }
    return make('TLS_FAILED', `The secure connection to ${where} failed: ${msg}`, 'Check the security setting for this port (465 → tls, 587 → starttls).');
  }
  // The providers' own login refusals (basic auth off, SMTP AUTH disabled, app password needed, login required).
  const refusal = (code === 'EAUTH' || code === 'EENVELOPE') && loginRefusal(err.responseCode, err.response, ctx, code === 'EAUTH');
  if (refusal) return make(refusal.code, refusal.message, refusal.hint);
  if (code === 'EAUTH') {
    if (/not supported|no authentication|unknown authentication/i.test(msg) || err.responseCode === 504 || err.command === 'API') {
      return make('AUTH_UNSUPPORTED', `${ctx.host} does not accept the login method Mailwright tried.`, 'Check the security setting (many servers offer login only after STARTTLS), or clear the user name if this server needs no login.');
    }
    return make('AUTH_FAILED', `${ctx.host} refused the user name or password.`, authHint(ctx));
  }
  // 552 at RCPT is a full mailbox, to be treated as temporary (RFC 5321 4.5.3.1.10), not a message size.
  if ((code === 'EMESSAGE' && /size|larger/i.test(msg)) || (err.responseCode === 552 && err.command !== 'RCPT TO')) {
    return make('MESSAGE_TOO_LARGE', 'The message is larger than the server accepts.', 'Remove or shrink attachments; attachments grow by about a third when encoded for mail.');
  }
  const temporary = (err.responseCode !== undefined && err.responseCode >= 400 && err.responseCode < 500) || (err.responseCode === 552 && err.command === 'RCPT TO');
  if (code === 'EENVELOPE' && err.command === 'MAIL FROM' && !temporary) {
    return make('SENDER_REJECTED', `${ctx.host} will not send mail from ${ctx.email ?? 'this address'}.`, 'Use the email address that belongs to this login, or ask the provider to allow this address as a sender.');
  }
  if (code === 'EENVELOPE' && err.command === 'RCPT TO' && !temporary) {
    return make('RECIPIENTS_REJECTED', 'The server refused the recipients.', 'Check the recipient addresses for typos.');
  }
  if (temporary) {
    return make('SERVER_TEMPORARY', `${ctx.host} is temporarily not accepting the message.`, 'Nothing needs to change: try again in a few minutes.');
  }
  if (err.responseCode !== undefined && err.responseCode >= 500) {
    return make('SERVER_PERMANENT', `${ctx.host} refused the message.`, 'Read the server reply below: it usually says what to change.');
  }
  if (code === 'ECONNECTION' || code === 'ESOCKET' || original === 'ECONNRESET' || original === 'EPIPE') {
    return make('SERVER_TEMPORARY', `The connection to ${where} was lost.`, 'Check that this computer is online and try again.');
  }
  return make('SERVER_PERMANENT', `Sending failed: ${msg || code || 'unknown error'}.`, 'Check the account settings with "Test settings".');
}
