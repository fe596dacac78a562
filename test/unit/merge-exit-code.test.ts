import { describe, expect, it } from 'vitest';
import type { MergeReportRow, MergeStatus } from '../../shared/model/merge';
import { mergeExitCode } from '../../electron/cli/merge-commands';

// `mailwright merge` exits 0 when every row was delivered, 3 when the server refused some, 1 on
// anything else — read from each row's state, not from the counts.

const status = (state: MergeStatus['state'] = 'done') => ({ state }) as MergeStatus;
const rows = (...states: Array<MergeReportRow['state'] | [MergeReportRow['state'], string]>): MergeReportRow[] =>
  states.map((s, i) => (Array.isArray(s) ? { row: i + 1, address: `r${i}@x.test`, state: s[0], error: { code: s[1] as never, message: 'm', hint: 'h' } } : { row: i + 1, address: `r${i}@x.test`, state: s }));

describe('the exit code of a merge', () => {
  it('is 0 when every row was delivered, skipped rows aside only when skipped at the check', () => {
    expect(mergeExitCode(status(), rows('sent', 'sent'), 0)).toBe(0);
    expect(mergeExitCode(status(), rows('sent', 'skipped'), 1)).toBe(0);
    expect(mergeExitCode(status(), rows('sent', 'skipped'), 0)).toBe(1); // skipped while sending (a file gone)
  });

  it('is 3 when the server refused rows or some of their recipients, and nothing else went wrong', () => {
    expect(mergeExitCode(status(), rows('sent', 'partially-delivered'), 0)).toBe(3);
    expect(mergeExitCode(status(), rows('sent', ['failed', 'RECIPIENTS_REJECTED']), 0)).toBe(3);
    expect(mergeExitCode(status(), rows(['failed', 'SERVER_PERMANENT'], ['failed', 'MESSAGE_TOO_LARGE']), 0)).toBe(3);
  });

  it('is 1 for anything else: outcome unknown, a login, a row not settled, a merge paused or cancelled', () => {
    expect(mergeExitCode(status(), rows('sent', 'outcome-unknown'), 0)).toBe(1);
    expect(mergeExitCode(status(), rows('sent', 'needs-sign-in'), 0)).toBe(1);
    expect(mergeExitCode(status(), rows('partially-delivered', ['failed', 'AUTH_FAILED']), 0)).toBe(1);
    expect(mergeExitCode(status('paused'), rows('sent', 'pending'), 0)).toBe(1);
    expect(mergeExitCode(status('cancelled'), rows('sent', 'cancelled'), 0)).toBe(1);
  });
});
