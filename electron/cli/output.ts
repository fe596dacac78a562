import type { ErrorInfo } from '../../shared/errors';
import { INPUT_ERROR_CODES } from '../../shared/errors';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** Sent, but some recipients were refused: a script must not take that for delivered to all. */
export const EXIT_PARTIAL = 3;

/** Where the CLI writes: human lines, or exactly one JSON object on stdout with --json. */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly out: (s: string) => void,
    private readonly err: (s: string) => void,
  ) {}

  /** Success: one JSON object, or the human lines. `code`: EXIT_PARTIAL for a message not everyone got. */
  success(value: Record<string, unknown>, human: string[], code = EXIT_OK): number {
    if (this.json) this.out(JSON.stringify({ ok: true, ...value }) + '\n');
    else if (human.length) this.out(human.join('\n') + '\n');
    return code;
  }

  /** A failure with a code: exit 2 when the input was at fault, 1 otherwise. */
  failure(error: ErrorInfo, human: string[] = [], extra: Record<string, unknown> = {}): number {
    if (this.json) this.out(JSON.stringify({ ...extra, ok: false, error }) + '\n');
    else {
      if (human.length) this.out(human.join('\n') + '\n');
      const lines = [`Error ${error.code}: ${error.message}`, `Hint: ${error.hint}`];
      if (error.smtp?.response) lines.push(`Server said: ${error.smtp.response}`);
      for (const [k, v] of Object.entries(error.details ?? {})) lines.push(`${k}: ${v}`);
      this.err(lines.join('\n') + '\n');
    }
    return INPUT_ERROR_CODES.includes(error.code) ? EXIT_USAGE : EXIT_FAILED;
  }
}
