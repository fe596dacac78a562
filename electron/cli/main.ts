import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { collect, dateTime, listenPort, SECURITY, smtpPort, usageError } from './arguments';
import { FINAL_STATES } from '../../shared/model/outbox';
import { createCore, type Core } from '../core/core';
import { defaultDataDir } from '../core/data-dir';
import { MailwrightError } from '../core/errors';
import { accountIdByName, call, CliFailure, formatItem, readInputFile, StdinReader, type CliContext } from './commands';
import { printReport, setupAccountCommands } from './account-commands';
import { setupSecretsCommands } from './secrets-commands';
import { setupTemplateCommands } from './template-commands';
import { setupMergeCommands } from './merge-commands';
import { EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, Output } from './output';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

/** The `mailwright` command: the same core and the same contract handlers as the window, no window. */
export async function main(argv: string[], io: CliIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), stdin: process.stdin, env: process.env }): Promise<number> {
  const json = argv.includes('--json');
  const output = new Output(json, io.stdout, io.stderr);
  // Read once and taken out of the environment: no program started from here (a password command,
  // a browser) inherits it.
  const envPassphrase = io.env.MAILWRIGHT_PASSPHRASE || undefined;
  delete io.env.MAILWRIGHT_PASSPHRASE;
  let exitCode = 0;
  let core: Core | undefined;

  const program = new Command('mailwright')
    .description('Send mail through your SMTP accounts, from the command line.')
    .option('--data-dir <dir>', 'data directory (default: the desktop app’s; or MAILWRIGHT_DATA_DIR)')
    .option('--json', 'print one JSON object on stdout')
    .option('--passphrase-stdin', 'the secrets vault’s passphrase is the first line of standard input (else MAILWRIGHT_PASSPHRASE)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => (json ? undefined : io.stdout(s)),
      writeErr: (s) => (json ? undefined : io.stderr(s)),
      // Refusals are printed once, in the catch below, the way every other error is.
      outputError: () => {},
    })
    .showHelpAfterError(false);

  const stdin = new StdinReader(io.stdin, () => !!program.opts<{ passphraseStdin?: boolean }>().passphraseStdin);
  const passphrase = async () => (program.opts<{ passphraseStdin?: boolean }>().passphraseStdin ? stdin.passphrase() : envPassphrase);
  /**
   * `longRunning`: for `serve`, which runs like the app: what goes wrong on the way (a send that
   * could not be completed, a failed look at the outbox) is said on stderr, as the app writes its
   * log, rather than nowhere. One-shot commands report their own outcome and nothing else.
   */
  const getCore = async ({ longRunning = false } = {}) => {
    const opts = program.opts<{ dataDir?: string }>();
    const log = (message: string, err?: unknown) => io.stderr(`mailwright: ${message}${err ? `: ${(err as Error)?.message ?? String(err)}` : ''}\n`);
    // A long-running process sends due and scheduled mail by itself, as the app does.
    core ??= await createCore({ dataDir: opts.dataDir ?? defaultDataDir(io.env), passphrase: await passphrase(), env: io.env, ...(longRunning ? { log, autoRun: true } : {}) });
    return core;
  };
  const run =
    <A extends unknown[]>(action: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      exitCode = await action(...args);
    };

  const checks = (cmd: Command) =>
    cmd.option('--rcpt <addr>', 'recipient for the RCPT TO check (default: the account’s own address)').option('--send-test-to <addr>', 'also send one real test message to this address');
  const cli: CliContext = { io, output, getCore, run, stdin, passphrase, checks };
  setupAccountCommands(program, cli);
  setupSecretsCommands(program, cli);
  setupTemplateCommands(program, cli);
  setupMergeCommands(program, cli);

  checks(
    program
      .command('doctor')
      .description('test SMTP settings without saving them; nothing is sent unless asked')
      .requiredOption('--email <addr>', 'the address mail would be sent from')
      .requiredOption('--host <host>', 'SMTP server')
      .requiredOption('--port <n>', 'SMTP port', smtpPort)
      .requiredOption('--security <mode>', 'tls, starttls or none', SECURITY)
      .option('--user <user>', 'login user name')
      .option('--password-stdin', 'read the password from standard input')
      .option('--accept-cert <sha256>', 'trust exactly the server certificate with this SHA-256 fingerprint'),
  )
    .exitOverride()
    .action(
      run(async (o: { email: string; host: string; port: number; security: 'tls' | 'starttls' | 'none'; user?: string; passwordStdin?: boolean; acceptCert?: string; rcpt?: string; sendTestTo?: string }) => {
        const password = o.passwordStdin ? await stdin.rest() : undefined;
        const report = await call(await getCore(), 'doctor:run', {
          email: o.email,
          host: o.host,
          port: o.port,
          security: o.security,
          username: o.user,
          password: password || undefined,
          pinnedCertSha256: o.acceptCert,
          rcpt: o.rcpt,
          sendTestTo: o.sendTestTo,
        });
        return printReport(cli, report);
      }),
    );

  program
    .command('send')
    .description('queue a message and send it now')
    .requiredOption('--account <name>', 'the account to send with')
    .option('--to <addr>', 'recipient (repeatable)', collect, [])
    .option('--cc <addr>', 'copy recipient (repeatable)', collect, [])
    .option('--bcc <addr>', 'blind copy recipient (repeatable)', collect, [])
    .option('--reply-to <addr>', 'where replies should go')
    .requiredOption('--subject <text>', 'the subject')
    .option('--text <text>', 'plain-text body')
    .option('--text-file <file>', 'plain-text body from a file')
    .option('--html-file <file>', 'HTML body from a file (its plain-text part is --text or --text-file, or else generated)')
    .option('--attach <file>', 'attach a file (repeatable)', collect, [])
    .option('--send-at <time>', 'send later: queue it for this time, e.g. 2026-12-08T09:00 (local) or …Z (sent by the app, `serve` or `outbox run`)', dateTime('--send-at'))
    .exitOverride()
    .action(
      run(async (o: { account: string; to: string[]; cc: string[]; bcc: string[]; replyTo?: string; subject: string; text?: string; textFile?: string; htmlFile?: string; attach: string[]; sendAt?: string }) => {
        if (o.text !== undefined && o.textFile) throw new CliFailure(new MailwrightError('INVALID_INPUT', 'Give either --text or --text-file, not both.', 'Drop one of them.').info);
        const c = await getCore();
        const accountId = await accountIdByName(c, o.account);
        const text = o.textFile ? await readInputFile(o.textFile, 'text') : o.text;
        const html = o.htmlFile ? await readInputFile(o.htmlFile, 'HTML') : undefined;
        const attachments = [];
        for (const path of o.attach) attachments.push({ handle: (await call(c, 'attachments:register-path', { path })).handle });
        const queued = await call(c, 'outbox:enqueue', { accountId, to: o.to, cc: o.cc, bcc: o.bcc, replyTo: o.replyTo, subject: o.subject, text, html, attachments, ...(o.sendAt ? { options: { sendAt: o.sendAt } } : {}) });
        if (o.sendAt) return output.success({ id: queued.id, state: queued.state, messageId: queued.messageId, dueAt: queued.dueAt }, [`Scheduled for ${queued.dueAt}`, formatItem(queued)]);
        const item = await call(c, 'outbox:wait', { id: queued.id });
        if (item.state === 'failed' || item.state === 'outcome-unknown') return output.failure(item.error!, [formatItem(item)]);
        if (item.state === 'needs-sign-in') {
          const waits = { ...item.error!, hint: `${item.error!.hint} The message waits in the outbox (${item.id}) and goes at the next \`mailwright outbox run\` (or in the app) once that is done.` };
          return output.failure(waits, [formatItem(item)], { id: item.id, state: item.state });
        }
        if (item.state === 'retrying') {
          const later = { ...item.error!, hint: `${item.error!.hint} It stays in the outbox and is retried at ${item.dueAt} by the app, \`mailwright serve\` or \`mailwright outbox run\`.` };
          return output.failure(later, [formatItem(item)], { id: item.id, state: item.state, retryAt: item.dueAt });
        }
        if (!FINAL_STATES.includes(item.state)) {
          const unknown = new MailwrightError('OUTCOME_UNKNOWN', 'The server may have the message, but its answer could not be recorded.', 'Run `mailwright outbox list` to see what is known; do not resend before checking.');
          return output.failure(unknown.info, [formatItem(item)]);
        }
        const partial = item.state === 'partially-delivered';
        return output.success(
          { id: item.id, state: item.state, messageId: item.messageId, accepted: item.accepted ?? [], rejected: item.rejected ?? [], response: item.response ?? '' },
          [partial ? `Sent ${item.messageId} to ${item.accepted?.length ?? 0} of ${(item.accepted?.length ?? 0) + (item.rejected?.length ?? 0)} recipients; refused: ${(item.rejected ?? []).map((r) => `${r.address} (${r.response || r.code || 'refused'})`).join(', ')}` : `Sent ${item.messageId}`, formatItem(item)],
          partial ? EXIT_PARTIAL : EXIT_OK,
        );
      }),
    );

  program
    .command('compose')
    .description('open a mailto: link as a draft (the app shows it in the composer); never sends')
    .argument('<mailto>', "a mailto: URL, e.g. 'mailto:ana@example.com?subject=Hi&body=…'")
    .exitOverride()
    .action(
      run(async (url: string) => {
        const saved = await call(await getCore(), 'drafts:from-mailto', { url });
        return output.success({ draft: saved.id }, [`Saved as a draft: Mailwright opens it in the composer, to review and send.`]);
      }),
    );
  const outbox = program.command('outbox').description('the outbox and sent messages').exitOverride();
  const itemAction = (name: string, channel: 'outbox:retry' | 'outbox:cancel' | 'outbox:resend' | 'outbox:mark-sent' | 'outbox:send-now', description: string) =>
    outbox
      .command(name)
      .argument('<id>', 'the item id from `outbox list`')
      .description(description)
      .exitOverride()
      .action(
        run(async (id: string) => {
          const item = await call(await getCore(), channel, { id });
          return output.success({ item }, [formatItem(item)]);
        }),
      );
  itemAction('retry', 'outbox:retry', 'try a failed message again (a partly delivered one only to those who did not get it); `outbox run` or the app sends it');
  itemAction('cancel', 'outbox:cancel', 'never send this message');
  itemAction('resend', 'outbox:resend', 'outcome unknown: send the same message again (same Message-ID)');
  itemAction('mark-sent', 'outbox:mark-sent', 'outcome unknown: you checked, it arrived');
  itemAction('send-now', 'outbox:send-now', 'send a held, scheduled or overdue message at the next `outbox run`, or at once in the app');
  outbox
    .command('export')
    .argument('<id>')
    .argument('<file>', 'where to write the .eml')
    .description('write the exact message (.eml) to a file')
    .exitOverride()
    .action(
      run(async (id: string, file: string) => {
        const c = await getCore();
        await call(c, 'outbox:export-file', { id, path: file });
        return output.success({ id, file }, [`Wrote ${file}`]);
      }),
    );
  outbox
    .command('run')
    .description('send everything that is due now (scheduled, undo window over, retries), then exit')
    .option('--send-overdue', 'also send what became due while nothing was running')
    .option('--reschedule-overdue <time>', 'move overdue messages to this time instead, e.g. 2026-12-08T09:00 (local)', dateTime('--reschedule-overdue'))
    .option('--discard-overdue', 'cancel overdue messages instead')
    .exitOverride()
    .action(
      run(async (o: { sendOverdue?: boolean; rescheduleOverdue?: string; discardOverdue?: boolean }) => {
        const c = await getCore();
        const overdue = (await call(c, 'outbox:list', undefined)).filter((i) => i.overdue && (i.state === 'held' || i.state === 'scheduled'));
        // One message refused (another process is working on it) must not stop the others or the run.
        const refused: string[] = [];
        for (const item of overdue) {
          try {
            if (o.sendOverdue) await call(c, 'outbox:send-now', { id: item.id });
            else if (o.rescheduleOverdue) await call(c, 'outbox:reschedule', { id: item.id, at: o.rescheduleOverdue });
            else if (o.discardOverdue) await call(c, 'outbox:cancel', { id: item.id });
          } catch (err) {
            // Another process holds this message right now: the others are still worth doing.
            if (!(err instanceof CliFailure) || err.error.code !== 'BUSY') throw err;
            refused.push(`${item.subject || item.id}: ${err.error.message}`);
          }
        }
        await call(c, 'outbox:run-due', undefined);
        const items = await call(c, 'outbox:list', undefined);
        const waiting = items.filter((i) => i.overdue && (i.state === 'held' || i.state === 'scheduled'));
        const lines = items.filter((i) => i.updatedAt >= new Date(Date.now() - 60_000).toISOString()).map(formatItem);
        if (waiting.length) lines.push(`${waiting.length} overdue message(s) wait for your choice: --send-overdue, --reschedule-overdue ISO or --discard-overdue.`);
        lines.push(...refused);
        return output.success({ items }, lines.length ? lines : ['Nothing was due.']);
      }),
    );
  outbox
    .command('list')
    .exitOverride()
    .action(
      run(async () => {
        const items = await call(await getCore(), 'outbox:list', undefined);
        return output.success({ items }, items.length ? items.map(formatItem) : ['The outbox is empty.']);
      }),
    );

  program
    .command('discover')
    .argument('<addr>', 'an email address')
    .description('propose SMTP settings for an address, with where each proposal came from')
    .exitOverride()
    .action(
      run(async (addr: string) => {
        const found = await call(await getCore(), 'accounts:discover', { email: addr });
        const lines = found.length
          ? found.flatMap((f) => [`${f.host}:${f.port} ${f.security.padEnd(8)} user: ${f.username}  [${f.source}: ${f.from}]`, ...(f.notes ?? []).map((n) => `    note: ${n}`)])
          : [`Nothing found for ${addr}: ask the provider for its SMTP server, port and security.`];
        return output.success({ candidates: found }, lines);
      }),
    );

  program
    .command('serve')
    .description('browser mode: serve the app on 127.0.0.1 until stopped')
    .option('--port <n>', 'port to listen on (default: any free port)', listenPort)
    .exitOverride()
    .action(
      run(async (o: { port?: number }) => {
        const rendererDir = resolve(import.meta.dirname, '../../out/renderer');
        if (!existsSync(join(rendererDir, 'index.html'))) {
          throw new CliFailure(new MailwrightError('INVALID_INPUT', 'The app is not built yet.', 'Run `npm run build` first (bash scripts/launch.sh does it for you).').info);
        }
        // Only then: a core that runs like the app begins sending at once.
        const c = await getCore({ longRunning: true });
        await c.sandbox.ensureStarted();
        const { startWebServer } = await import('../web/server'); // `serve` only: the other commands need no HTTP server
        const web = await startWebServer(c, { rendererDir, port: o.port });
        io.stdout(`Mailwright UI: ${web.url}\n`);
        await new Promise<void>((done) => {
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
        });
        await web.close();
        return 0;
      }),
    );

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      output.failure(usageError(err, program, argv));
      return EXIT_USAGE;
    }
    if (err instanceof CliFailure) exitCode = output.failure(err.error, err.human);
    else if (err instanceof MailwrightError) exitCode = output.failure(err.info);
    else throw err;
  } finally {
    await core?.close();
  }
  return exitCode;
}
