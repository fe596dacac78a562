import { execFile } from 'node:child_process';
import { parse, quote } from 'shell-quote';
import { invalidInput } from '../errors';
import { secretsLocked } from './secret-store';

/** How long a password command may take (a password manager asking for its own unlock included). */
export const PASSWORD_COMMAND_TIMEOUT_MS = 10_000;

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
      throw invalidInput(
        `The password command may not contain shell syntax (${what}): it runs without a shell.`,
        'Give one program and its arguments, e.g. `pass show smtp/work`; put pipes, variables or redirections in a script and give the script.',
      );
    }
    words.push(token);
  }
  if (!words.length || !words[0]) throw invalidInput('The password command is empty.', 'Give the program that prints the password, e.g. `pass show smtp/work`.');
  return words;
}

/** The environment without what Mailwright was given in confidence: the vault's passphrase, client secrets. */
export function withoutOurSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'MAILWRIGHT_PASSPHRASE' && !/^MAILWRIGHT_OAUTH_.*_CLIENT_SECRET$/.test(name)));
}

/** The command as one line again, for showing it. */
export const showPasswordCommand = (argv: readonly string[]) => quote([...argv]);

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
      const saidPart = said && !(secret && said.includes(secret)) ? `: ${said}` : '';
      if (err) {
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
        const why =
          e.code === 'ENOENT' ? `${argv[0]} was not found` :
          e.code === 'EACCES' ? `${argv[0]} cannot be run (permission denied)` :
          e.killed && e.signal === 'SIGTERM' ? `it did not finish within ${timeoutMs / 1000} s` :
          e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER' ? 'it printed far more than a password' :
          typeof e.code === 'number' ? `it exited with status ${e.code}` : `it failed (${e.signal ?? e.code ?? e.message})`;
        return reject(secretsLocked(`The password command of ${accountName} gave no password: ${why}${saidPart}.`, `Run \`${shown}\` yourself to see what it needs (an unlocked password manager, a PATH entry), or change it with \`mailwright account password ${quote([accountName])} --password-command …\`.`));
      }
      if (!secret) return reject(secretsLocked(`The password command of ${accountName} printed nothing on its first line${saidPart}.`, `Run \`${shown}\` yourself: it must print the password on its first line.`));
      resolve(secret);
    });
  });
}
