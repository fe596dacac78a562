import type { ErrorCode, ErrorInfo, SmtpReply } from '../../shared/errors';

/** A failure with a code from the vocabulary; anything else reaching the boundary is a bug. */
export class MailwrightError extends Error {
  readonly info: ErrorInfo;

  constructor(code: ErrorCode, message: string, hint: string, extra: { smtp?: SmtpReply; details?: ErrorInfo['details']; cause?: unknown } = {}) {
    super(message, { cause: extra.cause });
    this.name = 'MailwrightError';
    this.info = { code, message, hint };
    if (extra.smtp) this.info.smtp = extra.smtp;
    if (extra.details) this.info.details = extra.details;
  }
}

export const invalidInput = (message: string, hint = 'Correct the value and try again.') =>
  new MailwrightError('INVALID_INPUT', message, hint);

export const storageFailed = (what: string, cause: unknown) =>
  new MailwrightError(
    'STORAGE_FAILED',
    `Could not write ${what}: ${(cause as Error)?.message ?? String(cause)}`,
    'Check that the data directory exists, is writable and that the disk is not full.',
    { cause },
  );
