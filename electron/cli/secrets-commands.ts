import type { Command } from 'commander';
import type { SecretsStatus } from '../../shared/model/secrets';
import { MailwrightError } from '../core/errors';
import { call, CliFailure, type CliContext } from './commands';

const describe = (s: SecretsStatus) =>
  s.backend === 'vault'
    ? `Secrets are kept in an encrypted vault in the data directory (secrets.vault), ${s.vault}. The system keychain is ${s.keychain}.`
    : `Secrets are kept in the system keychain, which is ${s.keychain}.${s.keychain === 'unavailable' ? ' To keep them in an encrypted vault instead: MAILWRIGHT_PASSPHRASE=… mailwright secrets use-vault' : ''}`;

/** `mailwright secrets …`: where secrets are kept, and the vault's passphrase. */
export function setupSecretsCommands(program: Command, cli: CliContext): void {
  const { output, getCore, run, stdin, passphrase } = cli;
  const secrets = program.command('secrets').description('where passwords and sign-ins are kept: the system keychain or an encrypted vault').exitOverride();
  const needPassphrase = async (what: string) => {
    const given = await passphrase();
    if (given === undefined) throw new CliFailure(new MailwrightError('INVALID_INPUT', `${what} needs the vault's passphrase.`, 'Set MAILWRIGHT_PASSPHRASE, or pass --passphrase-stdin and give it as the first line of standard input.').info);
    return given;
  };

  secrets
    .command('status')
    .exitOverride()
    .action(
      run(async () => {
        const status = await call(await getCore(), 'secrets:status', undefined);
        return output.success({ secrets: status }, [describe(status)]);
      }),
    );
  secrets
    .command('use-vault')
    .description('keep this data directory’s secrets in a new encrypted vault, under MAILWRIGHT_PASSPHRASE (or --passphrase-stdin); those in the keychain move into it')
    .exitOverride()
    .action(
      run(async () => {
        const result = await call(await getCore(), 'secrets:use-vault', { passphrase: await needPassphrase('Creating a vault') });
        return output.success({ secrets: result }, [`Created the vault; ${result.moved} secret(s) moved into it from the keychain.`, describe(result)]);
      }),
    );
  secrets
    .command('change-passphrase')
    .description('re-encrypt the vault under a new passphrase, read from standard input (the current one: MAILWRIGHT_PASSPHRASE or --passphrase-stdin’s first line)')
    .exitOverride()
    .action(
      run(async () => {
        const current = await needPassphrase('Changing the passphrase');
        const next = await stdin.rest();
        const status = await call(await getCore(), 'secrets:change-passphrase', { current, next });
        return output.success({ secrets: status }, ['The vault now opens with the new passphrase.']);
      }),
    );
}
