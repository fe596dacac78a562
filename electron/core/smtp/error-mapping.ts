import type { ErrorCode, Phrase, SmtpReply } from '../../../shared/errors';
import { code as commandLine, phrase } from '../../../shared/i18n/errors/phrase';
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
export function authHint(ctx: Pick<MappingContext, 'host' | 'email'>): Phrase[] {
  const domain = `${ctx.host} ${ctx.email ?? ''}`.toLowerCase();
  if (/gmail|googlemail|google/.test(domain)) return [phrase('err.auth.google'), phrase('err.auth.appPassword.google')];
  if (/outlook|hotmail|live\.com|office365/.test(domain)) return [phrase('err.auth.microsoft')];
  if (/yahoo/.test(domain)) return [phrase('err.auth.appPassword.yahoo')];
  if (/icloud|me\.com|mac\.com/.test(domain)) return [phrase('err.auth.appPassword.apple')];
  if (/fastmail/.test(domain)) return [phrase('err.auth.appPassword.fastmail')];
  return [phrase('err.auth.checkLogin')];
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
  const host = ctx.host;
  const make = (c: ErrorCode, message: Phrase, hint: Phrase | Phrase[], quote?: string) =>
    new MailwrightError(c, { message, hint, ...(quote ? { quote } : {}) }, { smtp, cause: err });

  if (code === 'EDNS' || original === 'ENOTFOUND' || original === 'EAI_AGAIN') {
    return make('DNS_NOT_FOUND', phrase('err.smtp.dnsNotFound', { host }), phrase('err.smtp.dnsNotFound.hint'));
  }
  if (original === 'ECONNREFUSED') {
    return make('CONNECTION_REFUSED', phrase('err.smtp.refused', { where }), phrase('err.smtp.refused.hint'));
  }
  if (code === 'ETIMEDOUT') {
    if (ctx.security !== 'tls' && ctx.port === 465 && err.timeoutType !== 'CONNECTION_TIMEOUT') {
      return make('TLS_MISMATCH', phrase('err.smtp.expectsTls', { where }), phrase('err.smtp.port465.hint'));
    }
    const stage = err.timeoutType === 'CONNECTION_TIMEOUT' ? 'connecting' : err.timeoutType === 'GREETING_TIMEOUT' ? 'greeting' : 'reply';
    return make('TIMEOUT', phrase(`err.smtp.timeout.${stage}`, { where }), phrase('err.smtp.timeout.hint'));
  }
  if (CERT_CODES.has(original) || CERT_CODES.has(code) || (!err.responseCode && /self[- ]signed|certificate/i.test(msg))) {
    const expired = /expired/i.test(msg) || original === 'CERT_HAS_EXPIRED';
    const hint = phrase('err.smtp.cert.hint', { flag: commandLine('--accept-cert') });
    return expired
      ? make('CERT_UNTRUSTED', phrase('err.smtp.certExpired', { host }), hint)
      : make('CERT_UNTRUSTED', phrase('err.smtp.certUntrusted', { host }), hint, msg.replace(/^Error initiating TLS - /, ''));
  }
  if (PLAINTEXT_ON_TLS.test(msg) || original === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return make(
      'TLS_MISMATCH',
      phrase('err.smtp.plainOnTls', { where }),
      ctx.port === 587 || ctx.port === 25 ? phrase('err.smtp.useStarttlsPort.hint', { port: String(ctx.port) }) : phrase('err.smtp.useStarttls.hint'),
    );
  }
  if (code === 'ETLS' || code === 'ESOCKET' && /tls|ssl/i.test(msg)) {
    if (/STARTTLS/i.test(msg) || err.command === 'STARTTLS') {
      return make('TLS_FAILED', phrase('err.smtp.starttlsFailed', { host }), phrase('err.smtp.starttlsFailed.hint'));
    }
    return make('TLS_FAILED', phrase('err.smtp.tlsFailed', { where }), phrase('err.smtp.checkSecurity.hint'), msg);
  }
  // The providers' own login refusals (basic auth off, SMTP AUTH disabled, app password needed, login required).
  const refusal = (code === 'EAUTH' || code === 'EENVELOPE') && loginRefusal(err.responseCode, err.response, ctx, code === 'EAUTH');
  if (refusal) return make(refusal.code, refusal.message, refusal.hint);
  if (code === 'EAUTH') {
    if (/not supported|no authentication|unknown authentication/i.test(msg) || err.responseCode === 504 || err.command === 'API') {
      return make('AUTH_UNSUPPORTED', phrase('err.smtp.authMethod', { host }), phrase('err.smtp.authMethod.hint'));
    }
    return make('AUTH_FAILED', phrase('err.smtp.authFailed', { host }), authHint(ctx));
  }
  // 552 at RCPT is a full mailbox, to be treated as temporary (RFC 5321 4.5.3.1.10), not a message size.
  if ((code === 'EMESSAGE' && /size|larger/i.test(msg)) || (err.responseCode === 552 && err.command !== 'RCPT TO')) {
    return make('MESSAGE_TOO_LARGE', phrase('err.smtp.tooLarge'), phrase('err.smtp.tooLarge.hint'));
  }
  const temporary = (err.responseCode !== undefined && err.responseCode >= 400 && err.responseCode < 500) || (err.responseCode === 552 && err.command === 'RCPT TO');
  if (code === 'EENVELOPE' && err.command === 'MAIL FROM' && !temporary) {
    const message = ctx.email ? phrase('err.smtp.senderRejected', { host, email: ctx.email }) : phrase('err.smtp.senderRejectedNoEmail', { host });
    return make('SENDER_REJECTED', message, phrase('err.smtp.senderRejected.hint'));
  }
  if (code === 'EENVELOPE' && err.command === 'RCPT TO' && !temporary) {
    return make('RECIPIENTS_REJECTED', phrase('err.smtp.recipientsRejected'), phrase('err.smtp.recipientsRejected.hint'));
  }
  if (temporary) {
    return make('SERVER_TEMPORARY', phrase('err.smtp.temporary', { host }), phrase('err.smtp.temporary.hint'));
  }
  if (err.responseCode !== undefined && err.responseCode >= 500) {
    return make('SERVER_PERMANENT', phrase('err.smtp.permanent', { host }), phrase('err.smtp.readReply.hint'));
  }
  if (code === 'ECONNECTION' || code === 'ESOCKET' || original === 'ECONNRESET' || original === 'EPIPE') {
    return make('SERVER_TEMPORARY', phrase('err.smtp.lost', { where }), phrase('err.smtp.lost.hint'));
  }
  // Nothing we know: the library's own words, as they came.
  return make('SERVER_PERMANENT', phrase('err.smtp.failed'), phrase('err.smtp.failed.hint'), msg || code || undefined);
}
