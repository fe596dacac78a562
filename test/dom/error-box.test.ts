// @vitest-environment jsdom
// Errors from main in a translated window (issue 15, items 9 and 10): the message and hint in the
// window's language, the server's reply and the system's words as they came, commands as code
// (never backticks), a certificate's facts by their names, and a hint said once.
import { act, createElement, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorCode, ErrorInfo, ErrorText, Phrase } from '../../shared/errors';
import { code, date, phrase } from '../../shared/i18n/errors/phrase';
import { englishOf } from '../../shared/i18n/errors/say';
import type { Language } from '../../shared/i18n/languages';
import type { ConnectionTestReport } from '../../shared/model/connection-test';
import { TestResult } from '../../renderer/src/features/accounts/TestResult';
import { ErrorBox } from '../../renderer/src/lib/ErrorBox';
import { errorLine } from '../../renderer/src/lib/said';
import { I18nProvider, makeI18n } from '../../renderer/src/lib/i18n';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

async function render(lang: Language, element: ReactElement): Promise<HTMLElement> {
  const host = document.createElement('div');
  const root = createRoot(host);
  await act(async () => root.render(createElement(I18nProvider, { value: makeI18n(lang), children: element })));
  unmount = () => act(() => root.unmount());
  return host;
}

/** An error as main sends it (electron/core/errors.ts errorInfo): its phrases, and the same in English. */
const errorInfo = (errorCode: ErrorCode, words: { message: Phrase; hint: Phrase; quote?: string }, extra: Partial<ErrorInfo> = {}): ErrorInfo => {
  const text: ErrorText = { message: [words.message], hint: [words.hint], ...(words.quote ? { quote: words.quote } : {}) };
  return { code: errorCode, ...englishOf(text), text, ...extra };
};

const refusedLogin = errorInfo(
  'AUTH_FAILED',
  { message: phrase('err.smtp.authFailed', { host: 'smtp.example.test' }), hint: phrase('err.auth.checkLogin') },
  { smtp: { code: 535, command: 'AUTH PLAIN', response: '535 5.7.8 Username and Password not accepted' } },
);
const keychain = errorInfo('KEYCHAIN_UNAVAILABLE', {
  message: phrase('err.keychain.unreachable'),
  hint: phrase('err.keychain.linux.hint', { session: code('dbus-run-session'), daemon: code('gnome-keyring-daemon --unlock'), env: code('MAILWRIGHT_PASSPHRASE') }),
  quote: 'Cannot autolaunch D-Bus without X11 $DISPLAY',
});

// As the doctor reports a self-signed certificate, the fingerprint and expiry among its facts.
const fingerprint = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
const untrusted = errorInfo(
  'CERT_UNTRUSTED',
  { message: phrase('err.cert.untrusted', { host: 'mail.example.test', problem: phrase('err.cert.problem.self-signed') }), hint: phrase('err.cert.untrusted.hint') },
  { details: { presentedSha256: fingerprint, subject: 'CN=mail.example.test', validTo: '2030-03-14T12:00:00.000Z' } },
);
const certificateReport: ConnectionTestReport = {
  ok: false,
  phases: [
    { name: 'resolve', status: 'passed', ms: 3, note: 'an IP address', noteText: phrase('doctor.note.ipAddress') },
    { name: 'tls', status: 'failed', ms: 40, field: 'pinnedCertSha256', ...untrusted },
  ],
  transcript: [],
};

describe('an error from main in a Russian window', () => {
  it('says the message and hint in Russian, and the server’s reply as the server wrote it', async () => {
    const box = await render('ru', createElement(ErrorBox, { error: refusedLogin }));
    expect(box.querySelector('.error-title')?.textContent).toContain('Не удалось войти');
    expect(box.querySelector('.error-message')?.textContent).toBe('Сервер smtp.example.test не принял имя пользователя или пароль.');
    expect(box.querySelector('.error-hint')?.textContent).toBe('Что делать: Проверьте имя пользователя и пароль (имя пользователя — часто полный адрес эл. почты).');
    expect(box.querySelector('.error-server')?.textContent).toBe('Ответ сервера: 535 5.7.8 Username and Password not accepted');
    expect(box.textContent).not.toContain(refusedLogin.hint);
    expect(box.textContent).not.toContain(refusedLogin.message);
  });

  it('shows commands as code, never in backticks, and the system’s own words apart', async () => {
    expect(keychain.hint).toContain('`dbus-run-session`'); // the command line's English marks commands so
    const box = await render('ru', createElement(ErrorBox, { error: keychain }));
    expect(box.textContent).not.toContain('`');
    const code = [...box.querySelectorAll('.error-hint code')].map((c) => c.textContent);
    expect(code).toContain('MAILWRIGHT_PASSPHRASE');
    expect(box.querySelector('.error-hint')?.textContent).toMatch(/Пароли и входы/);
    expect(box.querySelector('.error-quote')?.textContent).toBe('Система сообщила: Cannot autolaunch D-Bus without X11 $DISPLAY');
    expect(box.querySelector('.error-message')?.textContent).toBe('Системное хранилище паролей недоступно.');
  });

  it('says an error in one line for a status or a toast, keeping the system’s own words', () => {
    expect(errorLine('ru', keychain)).toBe('Системное хранилище паролей недоступно: Cannot autolaunch D-Bus without X11 $DISPLAY.');
  });

  it('falls back to main’s English words for a key it does not know (a newer or older Mailwright)', async () => {
    const box = await render('ru', createElement(ErrorBox, { error: { ...refusedLogin, text: { message: [{ key: 'err.no-such-key' as never }], hint: [] } } }));
    expect(box.querySelector('.error-message')?.textContent).toBe(refusedLogin.message);
    expect(box.querySelector('.error-hint')?.textContent).toBe(`Что делать: ${refusedLogin.hint}`);
  });
});

describe('the doctor’s certificate verdict', () => {
  it('names the certificate’s facts and writes its date the reader’s way, not raw keys', async () => {
    for (const [lang, labels, month] of [
      ['ru', ['Отпечаток сертификата (SHA-256)', 'Кому выдан', 'Действителен до'], /14 марта 2030/],
      ['es', ['Huella del certificado (SHA-256)', 'Emitido para', 'Válido hasta'], /14 de marzo de 2030/],
      ['en', ['Certificate fingerprint (SHA-256)', 'Issued to', 'Valid until'], /March 14, 2030/],
    ] as const) {
      const result = await render(lang, createElement(TestResult, { report: certificateReport }));
      const facts = [...result.querySelectorAll('.error-detail')].map((d) => d.textContent ?? '');
      expect(facts.map((f) => f.split(':')[0])).toEqual(labels);
      expect(facts[0]).toContain(fingerprint);
      expect(facts[2]).toMatch(month);
      expect(result.textContent).not.toMatch(/presentedSha256|validTo/);
      unmount?.();
    }
  });

  it('says the hint once: in the result, or only beside the setting when the form shows it there', async () => {
    const hint = 'Если это ваш собственный сервер, убедитесь, что отпечаток ниже — тот, который он должен предъявлять, и доверяйте только этому сертификату (закрепите его).';
    const alone = await render('ru', createElement(TestResult, { report: certificateReport }));
    expect(alone.textContent?.split(hint).length).toBe(2);
    unmount?.();
    const inForm = await render('ru', createElement(TestResult, { report: certificateReport, hintBeside: ['pinnedCertSha256'] }));
    expect(inForm.textContent).not.toContain(hint);
    expect(inForm.querySelector('.error-message')?.textContent).toBe('Сертификат mail.example.test не вызывает доверия (самоподписанный).');
  });

  it('says a phase’s note in the window’s language', async () => {
    const result = await render('es', createElement(TestResult, { report: certificateReport }));
    expect(result.querySelector('li[data-status="passed"]')?.getAttribute('title')).toBe('una dirección IP');
  });

  it('an expiry date inside a sentence is written the reader’s way too', async () => {
    const expired = errorInfo('CERT_UNTRUSTED', { message: phrase('err.cert.expiredOn', { host: 'mail.example.test', date: date('2030-03-14T12:00:00.000Z') }), hint: phrase('err.cert.expired.hint') });
    const box = await render('ru', createElement(ErrorBox, { error: expired }));
    expect(box.querySelector('.error-message')?.textContent).toBe('Срок действия сертификата mail.example.test закончился (14 марта 2030 г.).');
  });
});
