import type { ErrorCode, Phrase } from '../../../shared/errors';
import { code, phrase } from '../../../shared/i18n/errors/phrase';

/** How the account logs in, as far as reading a server's refusal needs to know. */
export type LoginKind = 'none' | 'password' | 'oauth2';

export interface RefusalContext {
  host: string;
  email?: string;
  /** the account's name, for hints that say where to change it */
  accountName?: string;
  login?: LoginKind;
}

export interface Refusal {
  code: ErrorCode;
  message: Phrase;
  hint: Phrase;
}

/** The enhanced status code of a reply (RFC 3463), e.g. "5.7.30" from "550 5.7.30 Basic authentication…". */
export function enhancedStatus(reply: string | undefined): string | undefined {
  return reply?.match(/^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/)?.[1];
}

/**
 * What the providers' login refusals mean, by reply and enhanced status code (never by their
 * wording), with what to do about each:
 * - Microsoft 365 `550 5.7.30`: password login (basic authentication) is off for the organisation;
 * - Microsoft 365 `535 5.7.139`: SMTP AUTH is disabled for the mailbox or the organisation;
 * - Gmail `534 5.7.9`: an app password (or signing in with Google) is needed;
 * - any `530` (RFC 4954 §6, 5.7.0): the server wants a login this account does not give.
 */
export function loginRefusal(replyCode: number | undefined, reply: string | undefined, ctx: RefusalContext, atLogin: boolean): Refusal | undefined {
  const status = enhancedStatus(reply);
  const host = ctx.host;
  const account = ctx.accountName;
  if (status === '5.7.30') {
    const command = code('mailwright account add … --oauth microsoft');
    return {
      code: 'AUTH_UNSUPPORTED',
      message: phrase('err.login.basicAuthOff', { host }),
      hint: account ? phrase('err.login.useMicrosoftFor.hint', { account, command }) : phrase('err.login.useMicrosoft.hint', { command }),
    };
  }
  if (status === '5.7.139') {
    return {
      code: 'AUTH_FAILED',
      message: phrase('err.login.smtpAuthDisabled', { host }),
      hint: phrase('err.login.smtpAuthDisabled.hint', { command: code('Set-CASMailbox -SmtpClientAuthenticationDisabled $false') }),
    };
  }
  if (atLogin && replyCode === 534 && status === '5.7.9') {
    return {
      code: 'AUTH_FAILED',
      message: phrase('err.login.appPassword', { host }),
      hint: account ? phrase('err.login.appPasswordFor.hint', { account }) : phrase('err.login.appPassword.hint'),
    };
  }
  if (replyCode === 530) {
    // No login set: one is missing, as a lost sign-in is. A login given and still 530: a setting is wrong.
    return ctx.login === 'none'
      ? {
          code: 'SIGN_IN_REQUIRED',
          message: phrase('err.login.requiredNone', { host }),
          hint: account ? phrase('err.login.setLoginFor.hint', { account }) : phrase('err.login.setLogin.hint'),
        }
      : { code: 'AUTH_FAILED', message: phrase('err.login.requiredNotTaken', { host }), hint: phrase('err.login.requiredNotTaken.hint') };
  }
  if (atLogin && ctx.login === 'oauth2' && replyCode !== undefined && replyCode >= 500) {
    return {
      code: 'AUTH_FAILED',
      message: phrase('err.login.tokenRefused', { host }),
      hint: ctx.email ? phrase('err.login.tokenRefused.hint', { email: ctx.email }) : phrase('err.login.tokenRefusedNoEmail.hint'),
    };
  }
  return undefined;
}
