import type { Command } from 'commander';
import { DKIM_KEY_TYPES, type DkimKeyType } from '../../shared/model/deliverability';
import type { Account } from '../../shared/model/account';
import { MailwrightError } from '../core/errors';
import { accountIdByName, call, CliFailure, formatDomainReport, readInputFile, type CliContext } from './commands';
import { EXIT_FAILED } from './output';

interface DkimOptions {
  generate?: boolean;
  import?: string;
  remove?: boolean;
  selector?: string;
  domain?: string;
  keyType?: DkimKeyType;
}

const usage = (message: string, hint: string) => new CliFailure(new MailwrightError('INVALID_INPUT', message, hint).info);

/** What to publish, ready to paste into a DNS zone or a provider's form. */
function dkimLines(a: Account): string[] {
  if (!a.dkim) return [`${a.name} does not sign its mail with DKIM.`];
  const { record } = a.dkim;
  return [
    `${a.name} signs its mail for ${a.dkim.domain} with selector ${a.dkim.selector} (${a.dkim.keyType}).`,
    'Publish this TXT record:',
    `  name:  ${record.name}`,
    `  value: ${record.value}`,
    `  zone:  ${record.name}. IN TXT ${zoneStrings(record.value)}`,
    `Then check it: mailwright account check-domain ${JSON.stringify(a.name)}`,
  ];
}

/** A TXT value in a zone file: strings of at most 255 characters (RFC 1035), joined by the resolver. */
const zoneStrings = (value: string) => (value.match(/.{1,255}/g) ?? []).map((s) => `"${s}"`).join(' ');

/** `mailwright account dkim` and `account check-domain`: signing keys and the From domain's DNS records. */
export function setupDeliverabilityCommands(account: Command, cli: CliContext): void {
  const { output, getCore, run } = cli;
  account
    .command('dkim')
    .argument('<name>')
    .description('DKIM-sign the account’s mail: generate a key or import one (kept in the secret store); shows the DNS record to publish')
    .option('--generate', 'make a new key (RSA 2048 unless --key-type ed25519)')
    .option('--import <file>', 'use this private key (PEM, without a passphrase)')
    .option('--remove', 'stop signing, and delete the key')
    .option('--selector <name>', 'the DKIM selector (default with --generate: mailwrightYYYYMM)')
    .option('--domain <domain>', 'the signing domain (default: the account address’s)')
    .option('--key-type <type>', `with --generate: ${DKIM_KEY_TYPES.join(' or ')}`)
    .exitOverride()
    .action(
      run(async (name: string, o: DkimOptions) => {
        if ([o.generate, o.import, o.remove].filter(Boolean).length > 1) throw usage('Give one of --generate, --import FILE or --remove.', 'Without any of them, the account’s DKIM record is shown.');
        if (o.keyType && !DKIM_KEY_TYPES.includes(o.keyType)) throw usage(`--key-type must be ${DKIM_KEY_TYPES.join(' or ')}.`, 'RSA is verified by every receiver; Ed25519 not yet by all.');
        const c = await getCore();
        const id = await accountIdByName(c, name);
        const spec = { ...(o.selector ? { selector: o.selector } : {}), ...(o.domain ? { domain: o.domain } : {}) };
        let shown: Account;
        if (o.generate) shown = await call(c, 'accounts:dkim-generate', { id, ...spec, ...(o.keyType ? { keyType: o.keyType } : {}) });
        else if (o.import) {
          if (!o.selector) throw usage('--import needs --selector: the name the key is published under.', 'Give the selector your DNS already has for this key, e.g. --selector s1.');
          shown = await call(c, 'accounts:dkim-import', { id, privateKey: await readInputFile(o.import, 'private key'), selector: o.selector, ...spec });
        } else if (o.remove) shown = await call(c, 'accounts:dkim-remove', { id });
        else shown = (await call(c, 'accounts:list', undefined)).find((a) => a.id === id)!;
        return output.success({ account: shown, ...(shown.dkim ? { record: shown.dkim.record } : {}) }, o.remove ? [`${shown.name} no longer signs its mail; its key was deleted.`] : dkimLines(shown));
      }),
    );
  account
    .command('check-domain')
    .argument('<name>')
    .description('what receivers find in the DNS for the account’s From domain: SPF, DKIM, DMARC and alignment (exit 1 when one fails)')
    .exitOverride()
    .action(
      run(async (name: string) => {
        const c = await getCore();
        const report = await call(c, 'accounts:check-domain', { id: await accountIdByName(c, name) });
        const code = output.success({ domain: report }, formatDomainReport(report));
        return report.status === 'fail' ? EXIT_FAILED : code;
      }),
    );
}
