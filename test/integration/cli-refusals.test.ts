import { describe, expect, it } from 'vitest';
import { dateTime } from '../../electron/cli/arguments';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

// Every refusal of the command line reads the same with and without --json: one sentence naming
// the flag and what it accepts, a hint, exit 2, and nothing written.
describe('the command line refuses bad flags in words', () => {
  const cases: Array<{ args: string[]; message: RegExp; hint: RegExp }> = [
    { args: ['account', 'add', 'X', '--email', 'a@example.test', '--host', 'h', '--port', '99999', '--security', 'none'], message: /--port takes a port number from 1 to 65535, not "99999"/, hint: /587/ },
    { args: ['doctor', '--email', 'a@example.test', '--host', 'h', '--port', '587', '--security', 'ssl'], message: /--security takes tls, starttls or none, not "ssl"/, hint: /465/ },
    { args: ['send', '--account', 'W', '--to', 'b@example.test', '--subject', 's', '--send-at', 'tomorrow'], message: /--send-at takes a date and time such as \S+ .*not "tomorrow"/, hint: /year-month-day/ },
    { args: ['send', '--account', 'W', '--to', 'b@example.test', '--subject', 's', '--send-at', '2026-02-30T09:00'], message: /--send-at .*not "2026-02-30T09:00"/, hint: /hours:minutes/ },
    { args: ['outbox', 'run', '--reschedule-overdue', 'soon'], message: /--reschedule-overdue takes a date and time/, hint: /year-month-day/ },
    { args: ['serve', '--port', 'http'], message: /--port takes a port number/, hint: /any free port/ },
    { args: ['send', '--to', 'b@example.test', '--subject', 's'], message: /`mailwright send` needs --account <name>/, hint: /mailwright send --help/ },
    { args: ['send', '--account', 'W', '--acount', 'x', '--subject', 's'], message: /`mailwright send` has no option --acount/, hint: /Did you mean --account\?/ },
    { args: ['send', '--account', 'W', '--subject', 's', '--to'], message: /--to needs a value after it/, hint: /mailwright send --help/ },
    { args: ['outbox', 'retry'], message: /`mailwright outbox retry` needs the id/, hint: /mailwright outbox retry --help/ },
    { args: ['outbox', 'list', 'extra'], message: /`mailwright outbox list` takes no more arguments, not "extra"/, hint: /mailwright outbox list --help/ },
    { args: ['sned'], message: /`mailwright` has no command "sned"/, hint: /Did you mean send\?/ },
    // Refused by the core's own checks, said in the command line's terms: the flag, not the window's field.
    { args: ['send', '--account', 'Sandbox', '--to', 'bob', '--subject', 's', '--text', 'x'], message: /--to "bob": is not an email address\.$/, hint: /name@example\.com/ },
    { args: ['account', 'add', 'X', '--email', 'nope', '--host', 'h', '--port', '25', '--security', 'none'], message: /--email: is not an email address/, hint: /name@example\.com/ },
    { args: ['doctor', '--email', 'a@example.test', '--host', 'h', '--port', '25', '--security', 'none', '--accept-cert', 'zz'], message: /--accept-cert: must be a SHA-256 fingerprint/, hint: /64 hex digits/ },
  ];

  it.each(cases)('$args.0 $args.1: says which flag and what it takes, with and without --json', async ({ args, message, hint }) => {
    const dir = tempDir();
    const human = await cli(['--data-dir', dir, ...args]);
    expect(human.code).toBe(2);
    expect(human.stdout).toBe('');
    const [first, second, ...rest] = human.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^Error INVALID_INPUT: /);
    expect(first).toMatch(message);
    expect(second).toMatch(/^Hint: /);
    expect(second).toMatch(hint);
    expect(rest).toEqual([]);

    const json = await cli(['--data-dir', dir, '--json', ...args]);
    expect(json.code).toBe(2);
    expect(json.stderr).toBe('');
    expect(json.json).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(message), hint: expect.stringMatching(hint) } });
    expect(`Error INVALID_INPUT: ${json.json.error!.message}\nHint: ${json.json.error!.hint}`).toBe(human.stderr.trimEnd());
  });
});

describe('--send-at and --reschedule-overdue', () => {
  const parse = dateTime('--send-at');
  it('take a time without a zone as this computer’s local time', () => {
    expect(parse('2026-12-08T09:30')).toBe(new Date(2026, 11, 8, 9, 30).toISOString());
    expect(parse('2026-12-08 09:30:15')).toBe(new Date(2026, 11, 8, 9, 30, 15).toISOString());
  });
  it('take a zone as written', () => {
    expect(parse('2026-12-08T09:30Z')).toBe('2026-12-08T09:30:00.000Z');
    expect(parse('2026-12-08T09:30:00+01:00')).toBe('2026-12-08T08:30:00.000Z');
    expect(parse('2026-12-08T09:30:05.250Z')).toBe('2026-12-08T09:30:05.250Z');
    expect(parse('2026-12-08T09:30-0530')).toBe('2026-12-08T15:00:00.000Z');
  });
  it('read years before 100 as written, not as 19xx', () => {
    expect(new Date(parse('0099-06-01T12:00')).getFullYear()).toBe(99);
    expect(parse('0099-06-01T12:00Z')).toBe('0099-06-01T12:00:00.000Z');
  });
  it('refuse a local time the clock skips when it goes forward', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
    try {
      expect(() => parse('2026-03-29T02:30')).toThrow(/does not exist on this computer's clock/);
      expect(parse('2026-03-29T03:30')).toBe('2026-03-29T01:30:00.000Z');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
  it.each(['tomorrow', '2026-02-29T09:00', '2026-12-08T24:00', '2026-13-01T09:00Z', '2026-12-08', '2026-12-08T09:60', '2026-12-08T09:00+25:00'])('refuse %s', (v) => {
    expect(() => parse(v)).toThrow(/--send-at takes a date and time/);
  });
});
