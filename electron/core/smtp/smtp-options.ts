import type { ConnectionOptions } from 'node:tls';
import type { StoredAccount } from '../accounts/account-store';
import type { Login } from '../accounts/credentials';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { MailwrightError } from '../errors';
import { probeCertificate } from './certificate-probe';

/** Timeouts a person can wait for: nodemailer's defaults (2 min connect, 10 min idle) are for daemons. */
export const SMTP_TIMEOUTS = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  dnsTimeout: 10_000,
  socketTimeout: 60_000,
} as const;

export interface SmtpConnectionSettings {
  host: string;
  port: number;
  secure: boolean;
  requireTLS: boolean;
  ignoreTLS: boolean;
  name: string;
  tls: ConnectionOptions;
  auth?: { user: string; pass: string } | { type: 'OAuth2'; user: string };
  connectionTimeout: number;
  greetingTimeout: number;
  dnsTimeout: number;
  socketTimeout: number;
}

/**
 * TLS settings for an account. With a pinned fingerprint, the server's certificate is fetched,
 * compared with the pin and then trusted as the only CA, and the identity check requires the
 * same fingerprint again on the real connection: exactly that certificate is accepted, nothing
 * else — never a blanket "ignore TLS errors".
 */
async function tlsOptions(account: StoredAccount, timeoutMs: number): Promise<ConnectionOptions> {
  const base: ConnectionOptions = { minVersion: 'TLSv1.2' };
  if (!account.pinnedCertSha256 || account.security === 'none') return base;
  const pin = account.pinnedCertSha256;
  const presented = await probeCertificate({ host: account.host, port: account.port, security: account.security, timeoutMs });
  if (presented.fingerprint256 !== pin) {
    throw new MailwrightError(
      'CERT_UNTRUSTED',
      { message: phrase('err.cert.notPinned', { host: account.host }), hint: phrase('err.cert.notPinned.hint') },
      { details: { presentedSha256: presented.fingerprint256, pinnedSha256: pin } },
    );
  }
  return {
    ...base,
    ca: [presented.pem],
    checkServerIdentity: (_host, cert) =>
      cert.fingerprint256 === pin ? undefined : Object.assign(new Error('Certificate fingerprint does not match the pin'), { code: 'MAILWRIGHT_PIN_MISMATCH' }),
  };
}

/**
 * nodemailer connection settings for one account: shared by sending and the settings test. An
 * OAuth2 login names only the user: its tokens reach each connection through the transport's
 * provisioning callback (see TransportFactory), never nodemailer's own refresh, which drops a
 * rotated refresh token.
 */
export async function smtpSettings(account: StoredAccount, login: Login): Promise<SmtpConnectionSettings> {
  const settings: SmtpConnectionSettings = {
    host: account.host,
    port: account.port,
    secure: account.security === 'tls',
    requireTLS: account.security === 'starttls',
    ignoreTLS: account.security === 'none',
    name: 'mailwright.localhost',
    tls: await tlsOptions(account, SMTP_TIMEOUTS.connectionTimeout),
    ...SMTP_TIMEOUTS,
  };
  if (login.kind === 'password') settings.auth = { user: login.user, pass: login.password };
  else if (login.kind === 'oauth2') settings.auth = { type: 'OAuth2', user: login.user };
  return settings;
}
