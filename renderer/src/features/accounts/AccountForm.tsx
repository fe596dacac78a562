import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { DiscoveredSettings } from '../../../../shared/model/discovery';
import type { ConnectionTestReport, SettingField } from '../../../../shared/model/connection-test';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account, AccountInput, OAuthProvider, Security } from '../../../../shared/model/account';
import { DEFAULT_CONNECTIONS, MAX_CONNECTIONS } from '../../../../shared/model/connections';
import { providerLabel } from '../../../../shared/model/sign-in';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { useEscapeToClose } from '../../lib/useEscapeToClose';
import { phaseError, TestResult } from './TestResult';
import { sayError } from '../../../../shared/i18n/errors/say';
import { Pieces, sayNote } from '../../lib/said';
import { SignInOptions, useSignInSettings } from './SignInOptions';
import { SignInPanel } from './SignInPanel';
import { useSignIn } from './useSignIn';
import { UseVaultForm } from '../secrets/UseVaultForm';
import { securityLabel } from '../../lib/security-label';

// Where a proposal came from is named by the catalogue's account.source.<source>.

/** The settings this form shows a failed test's hint beside (hintFor below): every one but the test recipient. */
const FIELDS_WITH_HINTS: readonly SettingField[] = ['email', 'host', 'port', 'security', 'username', 'password', 'pinnedCertSha256'];

// The usual pairs: choosing one fills in the other until the user sets security by hand.
const SECURITY_FOR_PORT: Record<number, Security> = { 465: 'tls', 587: 'starttls', 25: 'starttls' };

interface Props {
  account?: Account;
  onSaved: (account: Account) => void;
  onCancel: () => void;
}

/** Add or edit an SMTP account. The password goes to main (and on to the keychain) and never comes back. */
export function AccountForm({ account, onSaved, onCancel }: Props) {
  useEscapeToClose(onCancel); // as Cancel: nothing typed here is saved
  const { t, lang } = useT();
  const [name, setName] = useState(account?.name ?? '');
  const [displayName, setDisplayName] = useState(account?.displayName ?? '');
  const [email, setEmail] = useState(account?.email ?? '');
  const [host, setHost] = useState(account?.host ?? '');
  const [port, setPort] = useState(String(account?.port ?? 587));
  const [security, setSecurity] = useState<Security>(account?.security ?? 'starttls');
  const [securityTouched, setSecurityTouched] = useState(!!account);
  const [username, setUsername] = useState(account?.username ?? '');
  const [password, setPassword] = useState('');
  const [pin, setPin] = useState(account?.pinnedCertSha256 ?? '');
  const [connections, setConnections] = useState(String(account?.connections ?? DEFAULT_CONNECTIONS));
  const [error, setError] = useState<ErrorInfo>();
  const [saving, setSaving] = useState(false);
  const [test, setTest] = useState<{ report: ConnectionTestReport; running: boolean }>();
  // Proposals for the address they were made for: typing another address hides them at once.
  const [found, setFound] = useState<{ email: string; proposals: DiscoveredSettings[] }>();
  const looksComplete = !account && /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email);
  const proposals = looksComplete && found?.email === email ? found.proposals : undefined;
  // An OAuth account shows how it is signed in rather than an empty password field.
  const [usePassword, setUsePassword] = useState(!account?.oauth);
  const signInSettings = useSignInSettings(account);
  const signIn = useSignIn(onSaved);
  const signingIn = signIn.state.phase === 'starting' || signIn.state.phase === 'waiting';
  /** The sign-in the provider offers: the account's own, or what discovery recognised for the address. */
  const offer = account?.oauth && account.oauth.provider !== 'issuer' ? account.oauth.provider : proposals?.find((p) => p.signIn)?.signIn;

  // New accounts: propose settings once the address looks complete (after a pause in typing).
  useEffect(() => {
    if (!looksComplete) return;
    const timer = setTimeout(async () => {
      const r = await api()['accounts:discover']({ email });
      if (r.ok) setFound({ email, proposals: r.value });
    }, 600);
    return () => clearTimeout(timer);
  }, [email, looksComplete]);

  const applyProposal = (p: DiscoveredSettings) => {
    setHost(p.host);
    setPort(String(p.port));
    setSecurity(p.security);
    setSecurityTouched(true);
    setUsername(p.username === 'email' ? email : p.username === 'localpart' ? email.split('@')[0]! : '');
  };

  // Test the settings as typed, saved or not: phases arrive one by one over doctor:progress.
  const runTest = async () => {
    const runId = crypto.randomUUID();
    setError(undefined);
    setTest({ report: { ok: false, phases: [], transcript: [] }, running: true });
    const off = api().on('doctor:progress', ({ runId: id, phase }) => {
      if (id === runId) setTest((t) => (t && t.running ? { ...t, report: { ...t.report, phases: [...t.report.phases, phase] } } : t));
    });
    const r = await api()['doctor:run']({
      ...(account ? { accountId: account.id } : {}),
      email,
      host: host.trim(),
      port: Number(port),
      security,
      ...(username.trim() ? { username: username.trim() } : {}),
      ...(password ? { password } : {}),
      pinnedCertSha256: pin.trim() || null,
      runId,
    });
    off();
    if (r.ok) setTest({ report: r.value, running: false });
    else {
      setTest(undefined);
      setError(r.error);
    }
  };
  const failed = test && !test.running ? test.report.phases.find((p) => p.status === 'failed') : undefined;
  const failure = failed && phaseError(failed);
  /** The failed phase's hint, shown under the setting it names and announced with it (and so not again in the test result). */
  const hintFor = (field: SettingField): ReactNode =>
    failed?.field === field && failure ? (
      <span className="field-hint" role="note" id={`hint-${field}`}>
        <Pieces pieces={sayError(lang, failure).hint} />
      </span>
    ) : null;
  const describedBy = (field: SettingField) => (failed?.field === field ? `hint-${field}` : undefined);

  /** The settings as typed (no password): what Save and a sign-in both save. */
  const typed = (): AccountInput => {
    const input: AccountInput = { name, displayName, email, host: host.trim(), port: Number(port), security, pinnedCertSha256: pin.trim() || null, connections: Number(connections) === DEFAULT_CONNECTIONS ? null : Number(connections) };
    if (account) input.id = account.id;
    if (username.trim()) input.username = username.trim();
    return input;
  };
  const signInWith = (provider: OAuthProvider) => {
    setError(undefined);
    again.current = () => signInWith(provider);
    const oauth = signInSettings.oauthInput(provider);
    const input = typed();
    // No server typed yet: the discovered one of this provider, as "Use" would have filled it in.
    const proposal = !input.host ? proposals?.find((p) => p.signIn === provider) : undefined;
    if (proposal) {
      applyProposal(proposal);
      Object.assign(input, { host: proposal.host, port: proposal.port, security: proposal.security }, proposal.username === 'email' ? { username: email } : {});
    }
    void signIn.start({ account: input, oauth }, providerLabel(oauth));
  };

  /** What to do again once a vault is there, when no keychain answered: the save, or the sign-in. */
  const again = useRef<() => void>(undefined);
  const save = async (e?: React.FormEvent) => {
    e?.preventDefault();
    again.current = () => void save();
    setSaving(true);
    setError(undefined);
    const input = typed();
    if (password) input.password = password;
    const r = await api()['accounts:save'](input);
    setSaving(false);
    if (r.ok) onSaved(r.value);
    else setError(r.error);
  };

  return (
    <form className="card account-form" onSubmit={save} aria-label={account ? t('accounts.editNamed', { name: account.name }) : t('accounts.add')}>
      <h2>{account ? t('account.form.editTitle', { name: account.name }) : t('account.form.addTitle')}</h2>
      <div className="form-grid">
        <label>
          {t('account.form.name')}
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder={t('account.form.namePlaceholder')} />
        </label>
        <label>
          {t('account.form.displayName')}
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} placeholder={t('account.form.displayNamePlaceholder')} />
        </label>
        <div className="form-field span-2">
          <label>
            {t('account.form.email')}
            <input aria-describedby={describedBy('email')} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required placeholder="ana@example.com" />
          </label>
          {hintFor('email')}
        </div>
        {proposals && (
          <div className="span-2 proposals" role="group" aria-label={t('account.form.suggested')}>
            {proposals.length === 0 ? (
              <span className="muted small">{t('account.form.noSuggestions')}</span>
            ) : (
              proposals.map((p) => (
                <div key={`${p.host}:${p.port}:${p.security}`} className="proposal">
                  <div>
                    <strong>
                      {p.host}:{p.port}
                    </strong>{' '}
                    <span className="muted">{securityLabel(t, p.security)}</span>
                    <span className="badge proposal-source">{t(`account.source.${p.source}`)}: {p.from}</span>
                    {p.notes?.map((n, i) => (
                      <div key={n} className="small muted">
                        {sayNote(lang, p.noteTexts?.[i], n)}
                      </div>
                    ))}
                  </div>
                  <button type="button" className="btn btn-small" onClick={() => applyProposal(p)} aria-label={t('account.form.useNamed', { server: `${p.host}:${p.port}` })}>
                    {t('account.form.use')}
                  </button>
                </div>
              ))
            )}
          </div>
        )}
        <div className="form-field span-2">
          <label>
            {t('account.form.host')}
            <input aria-describedby={describedBy('host')} value={host} onChange={(e) => setHost(e.target.value)} required placeholder="smtp.example.com" autoCapitalize="off" spellCheck={false} />
          </label>
          {hintFor('host')}
        </div>
        <div className="form-field">
          <label>
            {t('account.form.port')}
            <input aria-describedby={describedBy('port')}
              inputMode="numeric"
              value={port}
              onChange={(e) => {
                setPort(e.target.value);
                const paired = SECURITY_FOR_PORT[Number(e.target.value)];
                if (paired && !securityTouched) setSecurity(paired);
              }}
              required
            />
          </label>
          {hintFor('port')}
        </div>
        <div className="form-field">
          <label>
            {t('account.form.security')}
            <select aria-describedby={describedBy('security')}
              value={security}
              onChange={(e) => {
                setSecurity(e.target.value as Security);
                setSecurityTouched(true);
              }}
            >
              <option value="starttls">{t('account.form.security.starttls')}</option>
              <option value="tls">{t('account.form.security.tls')}</option>
              <option value="none">{t('account.form.security.none')}</option>
            </select>
          </label>
          {hintFor('security')}
        </div>
        <div className="form-field">
          <label>
            {t('account.form.username')}
            <input aria-describedby={describedBy('username')} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" spellCheck={false} placeholder={t('account.form.usernamePlaceholder')} />
          </label>
          {hintFor('username')}
        </div>
        <div className="form-field">
          {usePassword ? (
            <label>
              {t('account.form.password')}
              <input
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="new-password"
                placeholder={account?.login.method === 'password' && account.login.state === 'stored' ? t('account.form.passwordStored') : ''}
                aria-describedby={[account?.login.method === 'password' && account.login.state === 'stored' ? 'password-note' : '', describedBy('password') ?? ''].filter(Boolean).join(' ') || undefined}
              />
            </label>
          ) : (
            <div className="sign-in-state">
              <span>{account?.oauth && account.login.method === 'oauth2' && (account.login.state === 'signed-in' ? (account.login.signedInAs ? t('signin.status', { provider: providerLabel(account.oauth), who: account.login.signedInAs }) : t('signin.statusNoWho', { provider: providerLabel(account.oauth) })) : t('signin.statusRequired', { provider: providerLabel(account.oauth) }))}</span>
              <button type="button" className="btn-link" onClick={() => setUsePassword(true)}>
                {t('signin.usePassword')}
              </button>
            </div>
          )}
          {usePassword && account?.login.method === 'password' && account.login.state === 'stored' && (
            <span id="password-note" className="field-note">
              {t('account.form.passwordNote')}
            </span>
          )}
          {hintFor('password')}
          {(offer || account?.oauth?.provider === 'issuer') && (
            <button type="button" className="btn btn-sign-in" disabled={signingIn || !email} onClick={() => signInWith(account?.oauth?.provider === 'issuer' ? 'issuer' : offer!)}>
              {account?.oauth ? t('accounts.signInAgain') : t('signin.with', { provider: providerLabel({ provider: offer ?? 'issuer', issuer: account?.oauth?.issuer }) })}
            </button>
          )}
        </div>
        <div className="form-field span-2">
          <label>
            {t('account.form.pin')}
            <input aria-describedby={describedBy('pinnedCertSha256')} value={pin} onChange={(e) => setPin(e.target.value)} spellCheck={false} placeholder="AB:CD:…" className="mono" />
          </label>
          {hintFor('pinnedCertSha256')}
          {failed?.code === 'CERT_UNTRUSTED' && typeof failed.details?.presentedSha256 === 'string' && (
            <button type="button" className="btn btn-small" onClick={() => setPin(String(failed.details!.presentedSha256))}>
              {t('account.form.trustThis', { fingerprint: String(failed.details.presentedSha256).slice(0, 23) })}
            </button>
          )}
        </div>
        <div className="form-field">
          <label>
            {t('account.form.connections')}
            <input type="number" min={1} max={MAX_CONNECTIONS} step={1} value={connections} onChange={(e) => setConnections(e.target.value)} aria-describedby="connections-note" />
          </label>
          <span id="connections-note" className="field-note">
            {t('account.form.connectionsNote')}
          </span>
        </div>
        <SignInOptions settings={signInSettings} offer={offer} busy={signingIn || !host || !email} onSignIn={signInWith} />
      </div>
      <SignInPanel state={signIn.state} onRestart={(request, provider) => void signIn.start(request, provider)} onCancel={signIn.cancel} />
      {test && <TestResult report={test.report} running={test.running} hintBeside={FIELDS_WITH_HINTS} />}
      {error && <ErrorBox error={error} title={t('account.form.notSaved')} />}
      {(error?.code === 'KEYCHAIN_UNAVAILABLE' || (signIn.state.phase === 'failed' && signIn.state.error.code === 'KEYCHAIN_UNAVAILABLE')) && (
        <UseVaultForm
          lead={t('secrets.offerVault')}
          onDone={() => {
            setError(undefined);
            again.current?.();
          }}
        />
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => void runTest()} disabled={test?.running || !host || !email}>
          {test?.running ? t('accounts.testing') : t('account.form.test')}
        </button>
        <span className="grow" />
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? t('account.form.saving') : t('account.form.save')}
        </button>
      </div>
    </form>
  );
}
