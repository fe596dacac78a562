import type { Command } from 'commander';
import type { Account, AccountInput, OAuthInput, Security } from '../../shared/model/account';
import type { ConnectionTestReport } from '../../shared/model/connection-test';
import { providerLabel, type SignInStarted } from '../../shared/model/sign-in';
import { OAUTH_PRESETS } from '../core/accounts/auth/oauth-presets';
import { MailwrightError } from '../core/errors';
import { accountIdByName, call, CliFailure, failedPhaseError, formatReport, type CliContext } from './commands';
import { connectionsFlag, SECURITY, smtpPort } from './arguments';
import { openBrowser } from './open-browser';
import { setupDeliverabilityCommands } from './deliverability-commands';

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface AddOptions {
  email: string;
  displayName: string;
  host?: string;
  port?: number;
  security?: Security;
  user?: string;
  passwordStdin?: boolean;
  passwordCommand?: string;
  oauth?: string;
  clientId?: string;
  clientSecret?: string;
  scope: string[];
  acceptCert?: string;
  connections?: number;
}

const usage = (message: string, hint: string) => new CliFailure(new MailwrightError('INVALID_INPUT', message, hint).info);

/** `--oauth microsoft|google|ISSUER_URL` as the sign-in it names. */
function oauthFrom(o: AddOptions): OAuthInput {
  const given = o.oauth!;
  const base = { ...(o.clientId ? { clientId: o.clientId } : {}), ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}), ...(o.scope.length ? { scopes: o.scope.flatMap((s) => s.split(/\s+/)).filter(Boolean) } : {}) };
  if (given === 'microsoft' || given === 'google') return { provider: given, ...base };
  if (!URL.canParse(given)) throw usage(`--oauth must be microsoft, google or an issuer URL, got "${given}".`, 'For another provider give its issuer URL, e.g. --oauth https://login.example.com --scope "smtp offline_access".');
  return { provider: 'issuer', issuer: given, ...base };
}

/** One line of `account list`: how the account logs in, and whether it can now. */
export function describeLogin(a: Account): string {
  const l = a.login;
  if (l.method === 'none') return '';
  const where = { keychain: 'in the keychain', vault: 'in the vault', command: `from \`${l.method === 'password' ? l.command : ''}\`` }[l.source];
  if (l.method === 'password') {
    const state = { stored: `password ${where}`, missing: 'no password stored', locked: 'password in the vault (locked)', unavailable: 'keychain unavailable' }[l.state];
    return `  user ${a.username} (${state})`;
  }
  const provider = providerLabel(a.oauth ?? { provider: 'issuer' });
  const state = { 'signed-in': `signed in${l.signedInAs ? ` as ${l.signedInAs}` : ''}, tokens ${where}`, 'sign-in-required': 'sign in again: `mailwright account signin`', locked: 'tokens in the vault (locked)', unavailable: 'keychain unavailable' }[l.state];
  return `  sign-in: ${provider} (${state})`;
}

/** `mailwright account …`: add (password, password command or OAuth2 sign-in), sign in again, list, remove, test. */
export function setupAccountCommands(program: Command, cli: CliContext): void {
  const { io, output, getCore, run, stdin } = cli;
  const account = program.command('account').description('manage SMTP accounts').exitOverride();
  setupDeliverabilityCommands(account, cli);

  /** Print where to sign in, open a browser where there is a display, and wait for the sign-in. */
  const signIn = async (started: SignInStarted): Promise<Account> => {
    io.stderr(`Sign in: ${started.url}\n`);
    if (await openBrowser(started.url, io.env)) io.stderr('(opened in your browser; waiting for the sign-in, at most 5 minutes)\n');
    else io.stderr('(open it in a browser on this computer; waiting for the sign-in, at most 5 minutes)\n');
    return call(await getCore(), 'accounts:sign-in-finish', { signInId: started.signInId });
  };
  const signedIn = (a: Account, verb: string) => output.success({ account: a }, [`${verb} "${a.name}" (${a.email} via ${a.host}:${a.port}, ${a.security}).${describeLogin(a)}`]);

  account
    .command('add')
    .argument('<name>', 'a name for the account')
    .requiredOption('--email <addr>', 'the address mail is sent from')
    .option('--display-name <text>', 'the name shown to recipients', '')
    .option('--host <host>', 'SMTP server (with --oauth microsoft or google: the provider’s, by default)')
    .option('--port <n>', 'SMTP port', smtpPort)
    .option('--security <mode>', 'tls (implicit, usually 465), starttls (usually 587) or none', SECURITY)
    .option('--user <user>', 'login user name')
    .option('--password-stdin', 'read the password from standard input (it goes to the keychain or the vault)')
    .option('--password-command <command>', 'get the password from this command’s first line of output when needed, e.g. "pass show smtp/work" (run without a shell)')
    .option('--oauth <provider>', 'sign in with OAuth2 instead of a password: microsoft, google, or an issuer URL')
    .option('--client-id <id>', 'with --oauth: your app registration’s client ID')
    .option('--client-secret <secret>', 'with --oauth google: the desktop client’s secret')
    .option('--scope <scope>', 'with --oauth: a scope to ask for (repeatable; the preset’s by default)', collect, [])
    .option('--accept-cert <sha256>', 'trust exactly the server certificate with this SHA-256 fingerprint')
    .option('--connections <n>', 'SMTP connections at once (3 by default, what Microsoft 365 allows; a server of your own may allow more)', connectionsFlag)
    .exitOverride()
    .action(
      run(async (name: string, o: AddOptions) => {
        const ways = [o.passwordStdin, o.passwordCommand, o.oauth].filter(Boolean).length;
        if (ways > 1) throw usage('Give one way to log in: --password-stdin, --password-command or --oauth.', 'Drop the others.');
        const preset = o.oauth === 'microsoft' || o.oauth === 'google' ? OAUTH_PRESETS[o.oauth].smtp(o.email) : undefined;
        const host = o.host ?? preset?.host;
        const port = o.port ?? preset?.port;
        const security = o.security ?? preset?.security;
        if (!host || !port || !security) throw usage('--host, --port and --security are needed (only --oauth microsoft or google knows its server).', 'Run `mailwright discover ADDR` to find them.');
        const input: AccountInput = { name, email: o.email, displayName: o.displayName, host, port, security };
        if (o.user) input.username = o.user;
        if (o.acceptCert) input.pinnedCertSha256 = o.acceptCert;
        if (o.connections) input.connections = o.connections;
        const c = await getCore();
        if (o.oauth) {
          const { password: _p, clearPassword: _c, passwordCommand: _pc, ...settings } = input;
          return signedIn(await signIn(await call(c, 'accounts:sign-in-start', { account: settings, oauth: oauthFrom(o) })), 'Signed in and added account');
        }
        if (o.passwordStdin) input.password = await stdin.rest();
        if (o.passwordCommand && !o.user) throw usage('--password-command needs --user: the command gives the password of that login.', 'Add --user USER (often the full address).');
        let saved = await call(c, 'accounts:save', input);
        if (o.passwordCommand) saved = await call(c, 'accounts:set-password-command', { id: saved.id, command: o.passwordCommand });
        return output.success({ account: saved }, [`Added account "${saved.name}" (${saved.email} via ${saved.host}:${saved.port}, ${saved.security}).${describeLogin(saved)}`]);
      }),
    );
  account
    .command('password')
    .argument('<name>')
    .description('give an account its password: kept in the secret store (--password-stdin), or fetched by a command when needed')
    .option('--password-stdin', 'read the password from standard input')
    .option('--password-command <command>', 'get the password from this command’s first line of output, e.g. "pass show smtp/work"')
    .option('--user <user>', 'the login user name, if it changes too')
    .exitOverride()
    .action(
      run(async (name: string, o: { passwordStdin?: boolean; passwordCommand?: string; user?: string }) => {
        if (!!o.passwordStdin === !!o.passwordCommand) throw usage('Give either --password-stdin or --password-command.', 'For example: printf \'%s\' "$PASS" | mailwright account password Work --password-stdin');
        const c = await getCore();
        const found = (await call(c, 'accounts:list', undefined)).find((a) => a.name.toLowerCase() === name.toLowerCase() && a.kind === 'smtp');
        if (!found) throw usage(`There is no account named "${name}".`, 'Run `mailwright account list` for the names.');
        const username = o.user ?? found.username;
        if (!username) throw usage(`${found.name} has no user name, so it needs no password.`, 'Give the login user name with --user (often the full address).');
        const { id, displayName, email, host, port, security } = found;
        let saved = await call(c, 'accounts:save', { id, name: found.name, displayName, email, host, port, security, username, ...(o.passwordStdin ? { password: await stdin.rest() } : {}) });
        if (o.passwordCommand) saved = await call(c, 'accounts:set-password-command', { id, command: o.passwordCommand });
        return output.success({ account: saved }, [`${saved.name}:${describeLogin(saved)}`]);
      }),
    );
  account
    .command('signin')
    .argument('<name>')
    .description('sign an OAuth2 account in again (after "sign in again", or to switch who is signed in)')
    .exitOverride()
    .action(
      run(async (name: string) => {
        const c = await getCore();
        return signedIn(await signIn(await call(c, 'accounts:sign-in-start', { accountId: await accountIdByName(c, name) })), 'Signed in');
      }),
    );
  account
    .command('list')
    .exitOverride()
    .action(
      run(async () => {
        const c = await getCore();
        const all = await call(c, 'accounts:list', undefined);
        const secrets = await call(c, 'secrets:status', undefined);
        const where = secrets.backend === 'vault' ? `an encrypted vault in the data directory (${secrets.vault})` : `the system keychain (${secrets.keychain})`;
        return output.success(
          { accounts: all, secrets },
          [
            `Secrets are kept in ${where}.`,
            ...all.map((a) => `${a.isDefault ? '*' : ' '} ${a.name.padEnd(16)} ${a.email.padEnd(32)} ${a.kind === 'sandbox' ? 'built-in sandbox' : `${a.host}:${a.port} ${a.security}`}${describeLogin(a)}${a.pinnedCertSha256 ? '  pinned cert' : ''}${a.connections ? `  connections at once: ${a.connections}` : ''}`),
          ],
        );
      }),
    );
  account
    .command('remove')
    .argument('<name>')
    .exitOverride()
    .action(
      run(async (name: string) => {
        const c = await getCore();
        const removed = await call(c, 'accounts:remove', { id: await accountIdByName(c, name) });
        return output.success(removed, [`Removed account "${name}".`]);
      }),
    );

  cli
    .checks(
      account
        .command('test')
        .argument('<name>')
        .description('the SMTP doctor: resolve, connect, TLS, login, MAIL FROM/RCPT TO; nothing is sent unless asked'),
    )
    .exitOverride()
    .action(
      run(async (name: string, o: { rcpt?: string; sendTestTo?: string }) => {
        const c = await getCore();
        return printReport(cli, await call(c, 'accounts:test', { id: await accountIdByName(c, name), rcpt: o.rcpt, sendTestTo: o.sendTestTo }));
      }),
    );
}

/** The doctor's report: exit 0 only when every phase that ran passed; the JSON keeps the whole report beside the verdict. */
export function printReport(cli: CliContext, report: ConnectionTestReport): number {
  const lines = formatReport(report);
  return report.ok ? cli.output.success({ ...report }, lines) : cli.output.failure(failedPhaseError(report), lines, { ...report });
}
