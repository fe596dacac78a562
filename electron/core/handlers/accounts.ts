import { MailwrightError } from '../errors';
import { passwordWouldTravelElsewhere, SANDBOX_ACCOUNT_ID, type StoredAccount } from '../accounts/account-store';
import { presetClientStatus } from '../accounts/auth/client-registration';
import { discover } from '../accounts/discovery/discover';
import type { Login } from '../accounts/credentials';
import { parsePasswordCommand } from '../secrets/password-command';
import { runDoctor, type DoctorInput } from '../smtp/doctor/doctor';
import { sendTestMessage } from '../smtp/doctor/send-test';
import type { CoreServices } from '../services';
import type { HostCapabilities, Handlers } from './index';

type AccountChannels =
  | 'accounts:list'
  | 'accounts:save'
  | 'accounts:remove'
  | 'accounts:set-default'
  | 'accounts:set-signature'
  | 'accounts:set-password-command'
  | 'accounts:sign-in-start'
  | 'accounts:sign-in-finish'
  | 'accounts:sign-in-cancel'
  | 'accounts:oauth-clients'
  | 'accounts:test'
  | 'doctor:run'
  | 'accounts:discover';

/** How the doctor logs in: what the login gives, or why there is none (its login phase says so). */
function doctorLogin(login: Login | MailwrightError): Partial<DoctorInput> {
  if (login instanceof MailwrightError) return { loginError: login.info };
  if (login.kind === 'password') return { username: login.user, password: login.password };
  if (login.kind === 'oauth2') return { oauth: { user: login.user, token: login.token } };
  return {};
}

/** Accounts, sign-in and the SMTP doctor (Electron Fiddle's one-file-per-area shape). */
export function accountHandlers(
  core: Pick<CoreServices, 'env' | 'accounts' | 'transports' | 'credentials' | 'signIn' | 'outbox' | 'events' | 'settings' | 'dkim' | 'domainCheck'>,
  host: HostCapabilities,
): Pick<Handlers, AccountChannels> {
  const { accounts, transports, credentials, signIn, outbox, events, settings, dkim, domainCheck } = core;
  /** The account's login, without fetching a token first: the doctor's token phase does that, timed. */
  const loginOf = (account: StoredAccount) => credentials.loginFor(account, { prefetch: false }).catch((err: unknown) => {
    if (err instanceof MailwrightError) return err;
    throw err;
  });
  const doctor = async (input: DoctorInput, runId?: string, accountId?: string) => {
    const report = await runDoctor(input, { sendTest: sendTestMessage, onPhase: runId ? (phase) => events.emit('doctor:progress', { runId, phase }) : undefined });
    if (accountId) {
      const failed = report.phases.find((p) => p.status === 'failed');
      const maxSize = report.capabilities?.size;
      await accounts.recordTest(accountId, { at: new Date().toISOString(), ok: report.ok, ...(failed ? { failedPhase: failed.name, code: failed.code } : {}), ...(maxSize ? { maxSize } : {}) });
    }
    return report;
  };
  /**
   * A login that works again: drop the transport made with the old one, and what waited for it is
   * due (before the reply: a CLI exits right after it).
   */
  const loginChanged = async (id: string) => {
    transports.invalidate(id);
    await outbox.loginReady(id);
  };
  return {
    'accounts:list': () => accounts.list(),
    'accounts:save': async (input) => {
      const saved = await accounts.save(input);
      // Any edit may be what a waiting message needed (a password, a user name, the security setting).
      await loginChanged(saved.id);
      return saved;
    },
    'accounts:remove': async ({ id }) => {
      await accounts.remove(id);
      await dkim.forget(id);
      transports.invalidate(id);
      return { removed: id };
    },
    'accounts:set-default': ({ id }) => accounts.setDefault(id),
    'accounts:set-signature': ({ id, html }) => accounts.setSignature(id, html),
    'accounts:set-password-command': async ({ id, command }) => {
      const saved = await accounts.setPasswordCommand(id, parsePasswordCommand(command));
      await loginChanged(id);
      return saved;
    },
    'accounts:sign-in-start': (request) => signIn.start(request),
    'accounts:sign-in-finish': ({ signInId }) => signIn.finish(signInId),
    'accounts:sign-in-cancel': async ({ signInId }) => ({ cancelled: signIn.cancel(signInId) }),
    'accounts:oauth-clients': () => presetClientStatus({ env: core.env, settings: () => settings.oauthClients() }),
    'accounts:test': async ({ id, rcpt, sendTestTo, runId }) => {
      const { account, login } = await transports.resolve(id, { prefetch: false }).catch(async (err: unknown) => {
        if (!(err instanceof MailwrightError)) throw err;
        return { account: await accounts.getStored(id), login: err };
      });
      const { email, host: server, port, security, username, pinnedCertSha256 } = account;
      // The From domain's records are asked of the DNS while the server is tested: a phase of its own, never a failure of the settings.
      const domain = id === SANDBOX_ACCOUNT_ID ? undefined : domainCheck.check(id).catch(() => undefined);
      const report = await doctor({ email, host: server, port, security, username, pinnedCertSha256, ...doctorLogin(login), accountName: account.name, rcpt, sendTestTo }, runId, id);
      const checked = await domain;
      return checked ? { ...report, domain: checked } : report;
    },
    'doctor:run': async ({ accountId, password, pinnedCertSha256, runId, ...typed }) => {
      const pin = pinnedCertSha256 ?? undefined;
      // A password typed is used as it is. Otherwise the saved account's login, and only where an
      // edit would keep it too: never sent to a server the user did not save it for.
      let login: Partial<DoctorInput> = {};
      let sameAccount = false;
      if (accountId) {
        const saved = await accounts.getStored(accountId);
        sameAccount = saved.host.toLowerCase() === typed.host.toLowerCase() && saved.port === typed.port && saved.security === typed.security && saved.username === typed.username;
        const asTyped: StoredAccount = { ...saved, ...typed, username: typed.username, pinnedCertSha256: pin };
        if (!password && !passwordWouldTravelElsewhere(saved, asTyped)) login = doctorLogin(await loginOf(asTyped));
        login.accountName = saved.name;
      }
      // Only a test of the account's saved settings is that account's last result.
      return doctor({ ...typed, ...login, ...(password ? { password } : {}), pinnedCertSha256: pin }, runId, sameAccount ? accountId : undefined);
    },
    'accounts:discover': ({ email }) => discover(email, host.discovery),
  };
}
