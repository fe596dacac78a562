import type { ErrorCode } from '../../../../shared/errors';
import type { SettingField } from '../../../../shared/model/connection-test';
import type { Words } from '../../errors';
import type { Reply } from './smtp-dialogue';

/** A failure that ends the run at the phase it happened in, in catalogue phrases (the server's words are in `reply`). */
export class Stop extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly words: Words,
    readonly field?: SettingField,
    readonly reply?: Reply & { command?: string },
    readonly details?: Record<string, string | number | boolean>,
  ) {
    super(code);
  }
}
