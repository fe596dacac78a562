import type { ErrorCode } from '../../../../shared/errors';
import type { SettingField } from '../../../../shared/model/connection-test';
import type { Reply } from './smtp-dialogue';

/** A failure that ends the run at the phase it happened in. */
export class Stop extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint: string,
    readonly field?: SettingField,
    readonly reply?: Reply & { command?: string },
    readonly details?: Record<string, string | number | boolean>,
  ) {
    super(message);
  }
}
