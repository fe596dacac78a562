import type { Command } from 'commander';
import type { TemplateSummary } from '../../shared/model/template';
import { MailwrightError } from '../core/errors';
import { collect } from './arguments';
import { accountIdByName, call, CliFailure, readInputFile, type CliContext } from './commands';

/** The message a template or a merge is made of: --subject with --html-file or --text-file (or both), and --attach. */
export async function messageFromFlags(c: Awaited<ReturnType<CliContext['getCore']>>, o: { subject?: string; htmlFile?: string; textFile?: string; attach: string[]; listUnsubscribe?: string }) {
  if (!o.htmlFile && !o.textFile) throw new CliFailure(new MailwrightError('INVALID_INPUT', 'Give the body: --html-file FILE or --text-file FILE (or both).', 'The body may use Liquid variables, such as {{ name }}.').info);
  const attachments = [];
  for (const path of o.attach) attachments.push({ handle: (await call(c, 'attachments:register-path', { path })).handle });
  return {
    subject: o.subject ?? '',
    ...(o.htmlFile ? { html: await readInputFile(o.htmlFile, 'HTML') } : {}),
    ...(o.textFile ? { text: await readInputFile(o.textFile, 'text') } : {}),
    attachments,
    ...(o.listUnsubscribe ? { listUnsubscribe: o.listUnsubscribe } : {}),
  };
}

const describe = (t: TemplateSummary) => `${t.name}  “${t.subject}”  variables: ${t.variables.join(', ') || '(none)'}${t.attachments.length ? `  files: ${t.attachments.join(', ')}` : ''}`;

/** `mailwright template save|list|show|remove`. */
export function setupTemplateCommands(program: Command, { getCore, run, output }: CliContext): void {
  const template = program.command('template').description('saved messages with Liquid variables, for mail merges').exitOverride();
  template
    .command('save')
    .argument('<name>', 'the template’s name (saving under a name that exists replaces it)')
    .description('save a message as a template; its subject and bodies may use {{ variables }} from a merge’s data')
    .requiredOption('--account <name>', 'the account it is sent from')
    .requiredOption('--subject <text>', 'the subject, e.g. "Your order {{ order }}"')
    .option('--html-file <file>', 'HTML body')
    .option('--text-file <file>', 'plain-text body (with --html-file: its text part)')
    .option('--attach <file>', 'a file every message carries (repeatable)', collect, [])
    .option('--list-unsubscribe <url>', 'List-Unsubscribe: an https:// address (one-click) or mailto:, may use variables')
    .exitOverride()
    .action(
      run(async (name: string, o: { account: string; subject: string; htmlFile?: string; textFile?: string; attach: string[]; listUnsubscribe?: string }) => {
        const c = await getCore();
        const accountId = await accountIdByName(c, o.account);
        const saved = await call(c, 'templates:save', { name, accountId, ...(await messageFromFlags(c, o)) });
        return output.success({ template: saved }, [`Saved the template ${describe(saved)}`]);
      }),
    );
  template
    .command('list')
    .exitOverride()
    .action(
      run(async () => {
        const all = await call(await getCore(), 'templates:list', undefined);
        return output.success({ templates: all }, all.length ? all.map(describe) : ['No templates yet: `mailwright template save NAME …` saves one.']);
      }),
    );
  template
    .command('show')
    .argument('<name>')
    .exitOverride()
    .action(
      run(async (name: string) => {
        const t = await call(await getCore(), 'templates:get', { name });
        const lines = [`Name: ${t.name}`, `Subject: ${t.subject}`, `Variables: ${t.variables.join(', ') || '(none)'}`];
        if (t.listUnsubscribe) lines.push(`List-Unsubscribe: ${t.listUnsubscribe}`);
        if (t.attachments.length) lines.push(`Files: ${t.attachments.map((a) => a.name).join(', ')}`);
        if (t.missing.length) lines.push(`Files that can no longer be read: ${t.missing.join(', ')}`);
        if (t.html !== undefined) lines.push('', '--- HTML ---', t.html);
        if (t.text !== undefined) lines.push('', '--- text ---', t.text);
        return output.success({ template: t }, lines);
      }),
    );
  template
    .command('remove')
    .argument('<name>')
    .exitOverride()
    .action(
      run(async (name: string) => {
        const { removed } = await call(await getCore(), 'templates:remove', { name });
        return output.success({ removed }, [`Removed the template ${removed}.`]);
      }),
    );
}
