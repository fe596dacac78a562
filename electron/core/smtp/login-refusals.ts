import type { ErrorCode } from '../../../shared/errors';

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
  message: string;
  hint: string;
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
  const account = ctx.accountName ? ` for ${ctx.accountName}` : '';
  if (status === '5.7.30') {
    return {
      code: 'AUTH_UNSUPPORTED',
      message: `${ctx.host} no longer accepts a password for sending: basic authentication is turned off for this organisation.`,
      hint: `Sign in with Microsoft instead${account} (Accounts → Edit → Sign in with Microsoft, or \`mailwright account add … --oauth microsoft\`).`,
    };
  }
  if (status === '5.7.139') {
    return {
      code: 'AUTH_FAILED',
      message: `${ctx.host} refused the login: SMTP AUTH is disabled for this mailbox or organisation.`,
      hint: 'A Microsoft 365 administrator must turn on Authenticated SMTP for the mailbox (admin center → Users → Mail → Manage email apps, or Set-CASMailbox -SmtpClientAuthenticationDisabled $false), for password and OAuth2 sign-in alike.',
    };
  }
  if (atLogin && replyCode === 534 && status === '5.7.9') {
    return {
      code: 'AUTH_FAILED',
      message: `${ctx.host} wants an app password, not your account password.`,
      hint: `Create an app password (Google Account → Security → App passwords; it needs 2-Step Verification) and use it as the password${account}, or sign in with Google instead.`,
    };
  }
  if (replyCode === 530) {
    // No login set: one is missing, as a lost sign-in is. A login given and still 530: a setting is wrong.
    return ctx.login === 'none'
      ? {
          code: 'SIGN_IN_REQUIRED',
          message: `${ctx.host} requires a login before it takes mail, and this account has none set.`,
          hint: `Set the user name and password${account} (Accounts → Edit); the user name is often the full address.`,
        }
      : {
          code: 'AUTH_FAILED',
          message: `${ctx.host} requires a login before it takes mail, and did not take this account's.`,
          hint: 'Check the security setting: many servers offer login only after STARTTLS (port 587) or on implicit TLS (port 465).',
        };
  }
  if (atLogin && ctx.login === 'oauth2' && replyCode !== undefined && replyCode >= 500) {
    return {
      code: 'AUTH_FAILED',
      message: `${ctx.host} refused the signed-in access token.`,
      hint: `Sign in again as the owner of ${ctx.email ?? 'this address'} (the token is for the account you sign in with, and the user name must be that mailbox); some providers also need SMTP login enabled for the mailbox.`,
    };
  }
  return undefined;
}
