import { describe, expect, it } from 'vitest';
import { mapSmtpError } from '../../electron/core/smtp/error-mapping';

const ctx = { host: 'smtp.example.test', port: 587, security: 'starttls' as const, email: 'me@example.test' };
const err = (fields: Record<string, unknown>, message = 'boom') => Object.assign(new Error(message), fields);

describe('mapSmtpError', () => {
  it.each([
    [err({ code: 'EDNS', originalCode: 'ENOTFOUND' }), 'DNS_NOT_FOUND'],
    [err({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }), 'CONNECTION_REFUSED'],
    [err({ code: 'ETIMEDOUT', timeoutType: 'CONNECTION_TIMEOUT' }), 'TIMEOUT'],
    [err({ code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'self-signed certificate'), 'CERT_UNTRUSTED'],
    [err({ code: 'ESOCKET', originalCode: 'CERT_HAS_EXPIRED' }, 'certificate has expired'), 'CERT_UNTRUSTED'],
    [err({ code: 'ESOCKET', originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'wrong version number'), 'TLS_MISMATCH'],
    [err({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Authentication credentials invalid', command: 'AUTH PLAIN' }), 'AUTH_FAILED'],
    [err({ code: 'EENVELOPE', responseCode: 553, response: '553 Sender not allowed', command: 'MAIL FROM' }), 'SENDER_REJECTED'],
    [err({ code: 'EENVELOPE', responseCode: 550, response: '550 No such user', command: 'RCPT TO' }), 'RECIPIENTS_REJECTED'],
    [err({ code: 'EENVELOPE', responseCode: 451, response: '451 Try later', command: 'RCPT TO' }), 'SERVER_TEMPORARY'],
    [err({ code: 'EMESSAGE', responseCode: 552, response: '552 Message too large', command: 'DATA' }), 'MESSAGE_TOO_LARGE'],
    [err({ code: 'EMESSAGE', responseCode: 554, response: '554 Rejected as spam', command: 'DATA' }), 'SERVER_PERMANENT'],
    [err({ code: 'ECONNECTION' }, 'Connection closed unexpectedly'), 'SERVER_TEMPORARY'],
    // a full mailbox at RCPT is temporary, not a message size problem (RFC 5321 4.5.3.1.10)
    [err({ code: 'EENVELOPE', responseCode: 552, response: '552 5.2.2 Mailbox full', command: 'RCPT TO' }), 'SERVER_TEMPORARY'],
    // a timeout while fetching a certificate is a timeout
    [err({ code: 'ETIMEDOUT' }, 'Timeout while reading the server certificate'), 'TIMEOUT'],
    // a server reply that merely mentions certificates is the server's refusal
    [err({ code: 'EENVELOPE', responseCode: 554, response: '554 Client certificate required', command: 'MAIL FROM' }), 'SENDER_REJECTED'],
  ])('%#: maps to %s', (raw, code) => {
    const mapped = mapSmtpError(raw, ctx).info;
    expect(mapped.code).toBe(code);
    expect(mapped.message.length).toBeGreaterThan(10);
    expect(mapped.hint.length).toBeGreaterThan(10);
  });

  it.each([
    ['550 5.7.30', err({ code: 'EAUTH', responseCode: 550, response: '550 5.7.30 Basic authentication is not supported for Client Submission.', command: 'AUTH PLAIN' }), 'password', 'AUTH_UNSUPPORTED', /Sign in with Microsoft/],
    ['535 5.7.139', err({ code: 'EAUTH', responseCode: 535, response: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', command: 'AUTH LOGIN' }), 'password', 'AUTH_FAILED', /Authenticated SMTP/],
    ['534 5.7.9', err({ code: 'EAUTH', responseCode: 534, response: '534-5.7.9 Application-specific password required.\n534 5.7.9 https://support.google.com/mail', command: 'AUTH PLAIN' }), 'password', 'AUTH_FAILED', /app password/],
    ['530 at MAIL FROM, no login set', err({ code: 'EENVELOPE', responseCode: 530, response: '530 5.7.0 Authentication required', command: 'MAIL FROM' }), 'none', 'SIGN_IN_REQUIRED', /Set the user name and password for Work/],
    ['535 to an OAuth2 token', err({ code: 'EAUTH', responseCode: 535, response: '535 5.7.3 Authentication unsuccessful', command: 'AUTH XOAUTH2' }), 'oauth2', 'AUTH_FAILED', /Sign in again as the owner/],
    ['550 at RCPT from an OAuth2 account is still the recipient', err({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 No such user', command: 'RCPT TO' }), 'oauth2', 'RECIPIENTS_REJECTED', /recipient/],
  ] as const)('reads a provider’s login refusal by its codes: %s', (_what, raw, login, code, hint) => {
    const mapped = mapSmtpError(raw, { ...ctx, accountName: 'Work', login }).info;
    expect(mapped).toMatchObject({ code, hint: expect.stringMatching(hint) });
  });

  it('keeps the server reply', () => {
    const mapped = mapSmtpError(err({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 No such user', command: 'RCPT TO' }), ctx).info;
    expect(mapped.smtp).toEqual({ code: 550, response: '550 5.1.1 No such user', command: 'RCPT TO' });
  });

  it('gives the app-password hint for the big providers', () => {
    const gmail = mapSmtpError(err({ code: 'EAUTH', responseCode: 535 }), { ...ctx, host: 'smtp.gmail.com' }).info;
    expect(gmail.hint).toMatch(/app password/i);
    const own = mapSmtpError(err({ code: 'EAUTH', responseCode: 535 }), ctx).info;
    expect(own.hint).not.toMatch(/app password/i);
  });

  it('names the right port/security pair for a TLS mismatch', () => {
    const wrong = mapSmtpError(err({ code: 'ESOCKET' }, 'ssl3_get_record:wrong version number'), { ...ctx, security: 'tls' }).info;
    expect(wrong.hint).toMatch(/starttls/);
    const waited = mapSmtpError(err({ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }), { ...ctx, port: 465 }).info;
    expect(waited.code).toBe('TLS_MISMATCH');
    expect(waited.hint).toMatch(/"tls"/);
  });
});
