import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noPasswordStored } from '../../electron/core/accounts/credentials';
import type { StoredAccount } from '../../electron/core/accounts/account-store';
import { oauthError, signInRequired } from '../../electron/core/accounts/auth/oauth-client';
import { unreadable } from '../../electron/core/attachments/attachment-registry';
import { storageFailed, type StoredThing } from '../../electron/core/errors';
import type { Handlers } from '../../electron/core/handlers';
import { invokeChannel } from '../../electron/core/invoke';
import { parsePasswordCommand, runPasswordCommand } from '../../electron/core/secrets/password-command';
import { keychainUnavailable } from '../../electron/core/secrets/secret-store';
import { runDoctor } from '../../electron/core/smtp/doctor/doctor';
import { mapSmtpError, type MappingContext } from '../../electron/core/smtp/error-mapping';
import type { ErrorInfo, Phrase } from '../../shared/errors';
import { en } from '../../shared/i18n/en';
import { phrase } from '../../shared/i18n/errors/phrase';
import { englishOf, sayError, sayPhrase, type Piece } from '../../shared/i18n/errors/say';
import { LANGUAGES } from '../../shared/i18n/languages';
import { CATALOGUES } from '../../shared/i18n/translate';
import type { MessageKey } from '../../shared/i18n/types';

// Errors reach the window as catalogue keys and data, never as English sentences (issue 15, item 9):
// every error main makes must have its phrases, each key in every catalogue, and a Russian or
// Spanish window must say it without an English sentence left in it.

const ctx: MappingContext = { host: 'smtp.example.test', port: 587, security: 'starttls', email: 'ana@example.test', accountName: 'Work', login: 'password' };
const raw = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);
const smtp: Array<[string, unknown, Partial<MappingContext>?]> = [
  ['DNS', raw('getaddrinfo ENOTFOUND', { code: 'EDNS', originalCode: 'ENOTFOUND' })],
  ['refused', raw('connect ECONNREFUSED', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' })],
  ['465 waited for a greeting', raw('Greeting never received', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }), { port: 465 }],
  ['connect timeout', raw('Connection timeout', { code: 'ETIMEDOUT', timeoutType: 'CONNECTION_TIMEOUT' })],
  ['self-signed', raw('self-signed certificate', { code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' })],
  ['expired', raw('certificate has expired', { code: 'ESOCKET', originalCode: 'CERT_HAS_EXPIRED' })],
  ['plain text on TLS', raw('ssl3_get_record:wrong version number', { code: 'ESOCKET' }), { security: 'tls' }],
  ['STARTTLS', raw('Error upgrading connection with STARTTLS', { code: 'ETLS', command: 'STARTTLS' })],
  ['TLS alert', raw('ssl alert handshake failure', { code: 'ETLS' })],
  ['password at Gmail', raw('Invalid login', { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Username and Password not accepted' }), { host: 'smtp.gmail.com' }],
  ['password elsewhere', raw('Invalid login', { code: 'EAUTH', responseCode: 535, response: '535 Authentication failed' })],
  ['no such method', raw('Unrecognized authentication type', { code: 'EAUTH', responseCode: 504, response: '504 Unrecognized authentication type' })],
  ['basic auth off', raw('Invalid login', { code: 'EAUTH', responseCode: 550, response: '550 5.7.30 Basic authentication is not supported' })],
  ['SMTP AUTH disabled', raw('Invalid login', { code: 'EAUTH', responseCode: 535, response: '535 5.7.139 Authentication unsuccessful' })],
  ['app password', raw('Invalid login', { code: 'EAUTH', responseCode: 534, response: '534 5.7.9 Application-specific password required' })],
  ['login needed, none set', raw('Mail command failed', { code: 'EENVELOPE', responseCode: 530, response: '530 5.7.0 Authentication required', command: 'MAIL FROM' }), { login: 'none' }],
  ['login needed, not taken', raw('Mail command failed', { code: 'EENVELOPE', responseCode: 530, response: '530 5.7.0 Authentication required', command: 'MAIL FROM' })],
  ['token refused', raw('Invalid login', { code: 'EAUTH', responseCode: 535, response: '535 5.7.3 Authentication unsuccessful' }), { login: 'oauth2' }],
  ['too large', raw('Message size exceeds', { code: 'EMESSAGE', responseCode: 552, response: '552 5.3.4 Message size exceeds fixed limit' })],
  ['sender', raw('Mail command failed', { code: 'EENVELOPE', responseCode: 550, response: '550 5.7.1 Sender not allowed', command: 'MAIL FROM' })],
  ['recipients', raw('Recipient command failed', { code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 No such user', command: 'RCPT TO' })],
  ['temporary', raw('Greylisted', { code: 'EMESSAGE', responseCode: 451, response: '451 4.7.1 Greylisted, try again later' })],
  ['permanent', raw('Rejected', { code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 Spam detected' })],
  ['lost', raw('Connection closed unexpectedly', { code: 'ECONNECTION' })],
  ['unknown', raw('something odd happened')],
];

const oauth = (fields: Record<string, unknown>, step: 'discovery' | 'authorize' | 'code' | 'refresh' = 'code') =>
  oauthError(Object.assign(new Error('oauth failure'), fields), { issuer: 'https://login.example.test', step, accountName: 'Work' }).info;
const oauthCases: Array<[string, ErrorInfo]> = [
  ['unreachable', oauth({ cause: { code: 'ENOTFOUND' } })],
  ['timeout', oauth({ name: 'TimeoutError' })],
  ['denied', oauth({ error: 'access_denied', error_description: 'The user declined' }, 'authorize')],
  ['state mismatch', oauth({ code: 'OAUTH_INVALID_RESPONSE' }, 'authorize')],
  ['authorize refused', oauth({ error: 'unauthorized_client' }, 'authorize')],
  ['grant gone', oauth({ error: 'invalid_grant', error_description: 'Token expired' }, 'refresh')],
  ['code refused', oauth({ error: 'invalid_grant' })],
  ['client refused', oauth({ error: 'invalid_client' })],
  ['scope refused', oauth({ error: 'invalid_scope' })],
  ['provider trouble', oauth({ status: 503 })],
  ['no provider', oauth({}, 'discovery')],
  ['other', oauth({ error: 'weird' })],
];

// A payload refused by the contract never reaches a handler.
const handlers = new Proxy({} as Handlers, { get: () => () => Promise.reject(new Error('a handler ran')) });
const refused = async (channel: string, payload: unknown) => {
  const r = await invokeChannel(handlers, channel, payload);
  if (r.ok) throw new Error(`${channel} accepted ${JSON.stringify(payload)}`);
  return r.error;
};
const account = { name: 'Work', email: 'ana@example.test', host: 'smtp.example.test', port: 587, security: 'starttls' };

async function everyKind(): Promise<Array<[string, ErrorInfo]>> {
  const thrown = (work: () => unknown) => {
    try {
      work();
    } catch (err) {
      return (err as { info: ErrorInfo }).info;
    }
    throw new Error('nothing was thrown');
  };
  const closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const doctor = async (host: string, port: number) => (await runDoctor({ email: 'ana@example.test', host, port, security: 'starttls' }, { lookup: async () => [], mx: async () => [] })).phases.find((p) => p.status === 'failed') as ErrorInfo;
  return [
    ...smtp.map(([name, err, more]): [string, ErrorInfo] => [`smtp: ${name}`, mapSmtpError(err, { ...ctx, ...more }).info]),
    ...oauthCases.map(([name, info]): [string, ErrorInfo] => [`oauth: ${name}`, info]),
    ['input: a recipient', await refused('outbox:enqueue', { accountId: 'a', to: ['ok@example.test', 'bob'] })],
    ['input: a line break', await refused('outbox:enqueue', { accountId: 'a', to: ['ok@example.test'], subject: 'a\nb' })],
    ['input: too long', await refused('outbox:enqueue', { accountId: 'a', to: ['ok@example.test'], subject: 'x'.repeat(999) })],
    ['input: no recipient', await refused('outbox:enqueue', { accountId: 'a', to: [] })],
    ['input: a time', await refused('outbox:enqueue', { accountId: 'a', to: ['ok@example.test'], options: { sendAt: 'tomorrow' } })],
    ['input: an account', await refused('accounts:save', { ...account, name: '', host: 'bad host', port: 70000, security: 'ssl', email: 'nobody' })],
    ['input: a missing field', await refused('accounts:save', { name: 'Work' })],
    ['input: an unknown field', await refused('accounts:list', { extra: 1 })],
    ['input: a fingerprint', await refused('accounts:save', { ...account, pinnedCertSha256: 'AB:CD' })],
    ['unknown operation', await refused('no:such-thing', undefined)],
    ['address', await refused('outbox:enqueue', { accountId: 'a', to: ['ok@example.test'], cc: ['a b@c.test'] })],
    ['two addresses', await refused('outbox:enqueue', { accountId: 'a', to: ['a@b.test c@d.test'] })],
    ['reply-to', await refused('outbox:enqueue', { accountId: 'a', to: ['ok@example.test'], replyTo: 'a@-b.test' })],
    ['shell syntax', thrown(() => parsePasswordCommand('pass show x | head'))],
    ['password command', await runPasswordCommand(['/nonexistent/mailwright-test-program'], 'Work').then(() => { throw new Error('it ran'); }, (err: { info: ErrorInfo }) => err.info)],
    ['keychain', keychainUnavailable(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')).info],
    ['no password', noPasswordStored({ name: 'Work' } as StoredAccount).info],
    ['sign in again', signInRequired('Work', phrase('err.oauth.why.noRefreshToken')).info],
    ['attachment gone', unreadable('report.pdf', Object.assign(new Error('ENOENT'), { code: 'ENOENT' })).info],
    ['attachment other', unreadable('report.pdf', new Error('EIO: i/o error')).info],
    ...(['settings', 'draft', 'accounts', 'outbox', 'change', 'vault'] as StoredThing[]).map((what): [string, ErrorInfo] => [`storage: ${what}`, storageFailed(what, new Error('ENOSPC: no space left on device')).info]),
    ['doctor: no such server', await doctor('nowhere.example.test', 587)],
    ['doctor: nothing listens', await doctor('127.0.0.1', closedPort)],
  ];
}

const keysIn = (phrases: readonly Phrase[]): string[] =>
  phrases.flatMap((p) => [p.key, ...Object.values(p.params ?? {}).flatMap((v) => (typeof v === 'object' && 'key' in v ? keysIn([v]) : []))]);
const prose = (pieces: readonly Piece[]) => pieces.filter((p): p is string => typeof p === 'string').join('');
/** Three English-looking words in a row: a sentence (or most of one) that was not translated. */
const ENGLISH_RUN = /\b[A-Za-z]{3,}(?:[ ,]+[A-Za-z]{2,}){2,}\b/;

describe('errors made in main carry their words as catalogue keys', async () => {
  const cases = await everyKind();

  it.each(cases)('%s: every key is catalogued, and the English words are made from them', (_name, info) => {
    expect(info.text, 'no catalogue phrases').toBeDefined();
    const text = info.text!;
    expect(text.message.length).toBeGreaterThan(0);
    expect(text.hint.length, 'a hint of what to do').toBeGreaterThan(0);
    for (const key of keysIn([...text.message, ...text.hint])) expect(Object.hasOwn(en, key), key).toBe(true);
    expect(englishOf(text)).toEqual({ message: info.message, hint: info.hint });
  });

  it.each(cases)('%s: said in Russian and Spanish, with no English sentence left', (_name, info) => {
    const english = sayError('en', info);
    for (const lang of ['ru', 'es'] as const) {
      const said = sayError(lang, info);
      for (const part of ['message', 'hint'] as const) {
        expect(prose(said[part]), `${lang} ${part}`).not.toBe(prose(english[part]));
        if (lang === 'ru') {
          expect(prose(said[part]), `ru ${part}`).toMatch(/[а-яё]/i);
          expect(prose(said[part]), `ru ${part}`).not.toMatch(ENGLISH_RUN);
        }
      }
      // The system's or the provider's own words are shown apart, as they came, in every language.
      expect(said.quote).toBe(info.text!.quote);
    }
  });
});

describe('the error catalogues', () => {
  const errorKeys = (Object.keys(en) as MessageKey[]).filter((k) => k.startsWith('err.') || k.startsWith('doctor.'));
  // Sentences whose words are all placeholders or names: the same in every language.
  const SAME_EVERYWHERE = new Set<MessageKey>(['err.input.issueNoValue']);

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s translates every error sentence, hint and note', (lang) => {
    const untranslated = errorKeys.filter((k) => !SAME_EVERYWHERE.has(k) && JSON.stringify(CATALOGUES[lang][k]) === JSON.stringify(en[k]));
    expect(untranslated).toEqual([]);
  });

  it('Russian error texts are Russian: no English sentence inside them', () => {
    const english = errorKeys.filter((k) => ENGLISH_RUN.test(JSON.stringify(CATALOGUES.ru[k]).replace(/\{\w+\}/g, '')));
    expect(english).toEqual([]);
  });

  it('no hint writes a command in backticks: commands are {placeholders}, shown as code', () => {
    for (const lang of LANGUAGES) expect(errorKeys.filter((k) => JSON.stringify(CATALOGUES[lang][k]).includes('`'))).toEqual([]);
  });

  it('a nested phrase (a field, a state) is said in the same language as its sentence', () => {
    const pieces = sayPhrase('ru', phrase('err.outbox.notAllowed', { action: phrase('outbox.action.send-now'), state: phrase('outbox.state.sent') }));
    expect(prose(pieces)).toBe('«Отправить сейчас» нельзя для письма в состоянии «Отправлено».');
  });
});

describe('main builds no error from English strings', () => {
  // The command line's own refusals may stay English (electron/cli); everything else goes through the catalogues.
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  const files = sources('electron').filter((f) => !f.startsWith(join('electron', 'cli')));

  it.each([
    ['new MailwrightError(code, "English", …)', /new MailwrightError\(\s*'[A-Z_]+',\s*[`'"]/],
    ['{ code, message: "English" } as an error', /code:\s*'[A-Z_]+',\s*message:\s*[`'"]/],
    ['invalidInput("English", …)', /invalidInput\(\s*[`'"]/],
  ])('none made as %s', (_what, pattern) => {
    expect(files.filter((f) => pattern.test(readFileSync(f, 'utf8')))).toEqual([]);
  });
});
