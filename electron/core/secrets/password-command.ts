import { execFile } from 'node:child_process';
import { parse, quote as shellQuote } from 'shell-quote';
import { code, phrase } from '../../../shared/i18n/errors/phrase';
import { invalidInput } from '../errors';
import { secretsLocked } from './secret-store';

/** How long a password command may take (a password manager asking for its own unlock included). */
export const PASSWORD_COMMAND_TIMEOUT_MS = 10_000;

const EXAMPLE = code('pass show smtp/work');

/**
 * A command line as the user typed it (`pass show smtp/work`), split into the argv it runs with.
 * Quotes and escapes work as in a shell; operators, redirections, globs and variables do not,
 * because no shell ever runs it: they are refused rather than passed on as odd arguments.
 */
export function parsePasswordCommand(line: string): string[] {
  const words: string[] = [];
  // A variable comes back as an object (not expanded to nothing), so it is refused like the rest.
  for (const token of parse(line, (name) => ({ variable: name }) as never)) {
    if (typeof token !== 'string') {
      const what = 'variable' in token ? `$${String(token.variable)}` : 'op' in token ? (token.op === 'glob' ? token.pattern : token.op) : '#';
      throw invalidInput(phrase('err.passwordCommand.shell', { what: code(what) }), phrase('err.passwordCommand.shell.hint', { example: EXAMPLE }));
    }
    words.push(token);
  }
  if (!words.length || !words[0]) throw invalidInput(phrase('err.passwordCommand.empty'), phrase('err.passwordCommand.empty.hint', { example: EXAMPLE }));
  return words;
}

/** The environment without what Mailwright was given in confidence: the vault's passphrase, client secrets. */
export function withoutOurSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'MAILWRIGHT_PASSPHRASE' && !/^MAILWRIGHT_OAUTH_.*_CLIENT_SECRET$/.test(name)));
}

/** The command as one line again, for showing it. */
export const showPasswordCommand = (argv: readonly string[]) => shellQuote([...argv]);

/**
 * Run a password command (msmtp's `passwordeval`) without a shell and return the first line it
 * prints. What it prints is never logged or shown; a failure says how it failed and what its
 * error output's first line said.
 */
export function runPasswordCommand(argv: readonly string[], accountName: string, timeoutMs = PASSWORD_COMMAND_TIMEOUT_MS): Promise<string> {
  const shown = showPasswordCommand(argv);
  return new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { shell: false, env: withoutOurSecrets(process.env), timeout: timeoutMs, maxBuffer: 64 * 1024, windowsHide: true, encoding: 'utf8' }, (err, stdout, stderr) => {
      const secret = stdout.split(/\r?\n/, 1)[0] ?? '';
      // Its error output's first line explains most failures; it is kept out only if it repeats the secret.
      const said = stderr.split(/\r?\n/).find((l) => l.trim())?.trim().slice(0, 200);
      const quote = said && !(secret && said.includes(secret)) ? said : undefined;
      const run = code(shown);
      if (err) {
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
        const program = code(argv[0]!);
        const why =
          e.code === 'ENOENT' ? phrase('err.passwordCommand.why.notFound', { program }) :
          e.code === 'EACCES' ? phrase('err.passwordCommand.why.denied', { program }) :
          e.killed && e.signal === 'SIGTERM' ? phrase('err.passwordCommand.why.timeout', { seconds: timeoutMs / 1000 }) :
          e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER' ? phrase('err.passwordCommand.why.tooMuch') :
          typeof e.code === 'number' ? phrase('err.passwordCommand.why.status', { status: String(e.code) }) : phrase('err.passwordCommand.why.other', { reason: String(e.signal ?? e.code ?? e.message) });
        const change = code(`mailwright account password ${shellQuote([accountName])} --password-command …`);
        return reject(secretsLocked({ message: phrase('err.passwordCommand.failed', { account: accountName, why }), hint: phrase('err.passwordCommand.failed.hint', { command: run, change }), quote }));
      }
      if (!secret) return reject(secretsLocked({ message: phrase('err.passwordCommand.nothing', { account: accountName }), hint: phrase('err.passwordCommand.nothing.hint', { command: run }), quote }));
      resolve(secret);
    });
  });
}
