import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../electron/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> & { ok: boolean; error?: { code: string; message: string; hint: string; smtp?: { code?: number; response?: string } } };
}

const parse = (stdout: string) => {
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
};

/** Run the CLI in this process (fast): the same main() the bin calls. */
export async function cli(args: string[], stdin = '', env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    stdin: Readable.from([stdin]),
    env: { ...process.env, MAILWRIGHT_DATA_DIR: undefined, ...env },
  });
  return { code, stdout, stderr, json: parse(stdout) };
}

/**
 * The command line of the `mailwright` command in a child process: the package's bin file itself
 * (what `npx mailwright` runs), or npx itself with `viaNpx` — which adds seconds per call, so
 * only the tests about the published entry point use it.
 */
export const mailwrightCommand = (args: string[], viaNpx = false): [string, string[]] =>
  viaNpx ? ['npx', ['--no-install', 'mailwright', ...args]] : [process.execPath, [BIN, ...args]];

const BIN = fileURLToPath(new URL('../../bin/mailwright.mjs', import.meta.url));

/** Run the real `mailwright` command in a child process, as a user would. */
export function cliProcess(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv; viaNpx?: boolean } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env = { ...(opts.env ?? process.env), npm_config_update_notifier: 'false' };
    const [cmd, argv] = mailwrightCommand(args, opts.viaNpx);
    const child = spawn(cmd, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, json: parse(stdout) }));
    child.stdin.end(opts.stdin ?? '');
  });
}
