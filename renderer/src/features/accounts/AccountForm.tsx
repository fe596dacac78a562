import { useEffect, useState, type ReactNode } from 'react';
import type { DiscoveredSettings } from '../../../../shared/model/discovery';
import type { ConnectionTestReport, SettingField } from '../../../../shared/model/connection-test';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account, AccountInput, Security } from '../../../../shared/model/account';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { TestResult } from './TestResult';

const SOURCE_LABEL: Record<DiscoveredSettings['source'], string> = { preset: 'Known provider', autoconfig: 'Provider’s settings file', srv: 'DNS SRV record', mx: 'Mail host', probe: 'Answered a probe' };

// The usual pairs: choosing one fills in the other until the user sets security by hand.
const SECURITY_FOR_PORT: Record<number, Security> = { 465: 'tls', 587: 'starttls', 25: 'starttls' };

interface Props {
  account?: Account;
  onSaved: (account: Account) => void;
  onCancel: () => void;
}

/** Add or edit an SMTP account. The password goes to main (and on to the keychain) and never comes back. */
export function AccountForm({ account, onSaved, onCancel }: Props) {
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
  const [error, setError] = useState<ErrorInfo>();
  const [saving, setSaving] = useState(false);
  const [test, setTest] = useState<{ report: ConnectionTestReport; running: boolean }>();
  const [proposals, setProposals] = useState<DiscoveredSettings[]>();

  // New accounts: propose settings once the address looks complete (after a pause in typing).
  useEffect(() => {
    if (account || !/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email)) return setProposals(undefined);
    const timer = setTimeout(async () => {
      const r = await api()['accounts:discover']({ email });
      if (r.ok) setProposals(r.value);
    }, 600);
    return () => clearTimeout(timer);
  }, [email, account]);

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
  /** The failed phase's hint, shown under the setting it names and announced with it. */
  const hintFor = (field: SettingField): ReactNode =>
    failed?.field === field ? (
      <span className="field-hint" role="note" id={`hint-${field}`}>
        {failed.hint}
      </span>
    ) : null;
  const describedBy = (field: SettingField) => (failed?.field === field ? `hint-${field}` : undefined);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(undefined);
    const input: AccountInput = { name, displayName, email, host: host.trim(), port: Number(port), security, pinnedCertSha256: pin.trim() || null };
    if (account) input.id = account.id;
    if (username.trim()) input.username = username.trim();
    if (password) input.password = password;
    const r = await api()['accounts:save'](input);
    setSaving(false);
    if (r.ok) onSaved(r.value);
    else setError(r.error);
  };

  return (
    <form className="card account-form" onSubmit={save} aria-label={account ? `Edit ${account.name}` : 'Add account'}>
      <h2>{account ? `Edit “${account.name}”` : 'Add an SMTP account'}</h2>
      <div className="form-grid">
        <label>
          Account name
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="Work" />
        </label>
        <label>
          Your name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} placeholder="Ana Núñez" />
        </label>
        <div className="form-field span-2">
          <label>
            Email address
            <input aria-describedby={describedBy('email')} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required placeholder="ana@example.com" />
          </label>
          {hintFor('email')}
        </div>
        {proposals && (
          <div className="span-2 proposals" role="group" aria-label="Suggested settings">
            {proposals.length === 0 ? (
              <span className="muted small">No settings found for this address: ask your provider for its SMTP server, port and security.</span>
            ) : (
              proposals.map((p) => (
                <div key={`${p.host}:${p.port}:${p.security}`} className="proposal">
                  <div>
                    <strong>
                      {p.host}:{p.port}
                    </strong>{' '}
                    <span className="muted">{p.security.toUpperCase()}</span>
                    <span className="badge proposal-source">{SOURCE_LABEL[p.source]}: {p.from}</span>
                    {p.notes?.map((n) => (
                      <div key={n} className="small muted">
                        {n}
                      </div>
                    ))}
                  </div>
                  <button type="button" className="btn btn-small" onClick={() => applyProposal(p)} aria-label={`Use ${p.host}:${p.port}`}>
                    Use
                  </button>
                </div>
              ))
            )}
          </div>
        )}
        <div className="form-field span-2">
          <label>
            SMTP server
            <input aria-describedby={describedBy('host')} value={host} onChange={(e) => setHost(e.target.value)} required placeholder="smtp.example.com" autoCapitalize="off" spellCheck={false} />
          </label>
          {hintFor('host')}
        </div>
        <div className="form-field">
          <label>
            Port
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
            Security
            <select aria-describedby={describedBy('security')}
              value={security}
              onChange={(e) => {
                setSecurity(e.target.value as Security);
                setSecurityTouched(true);
              }}
            >
              <option value="starttls">STARTTLS (usually 587)</option>
              <option value="tls">TLS (usually 465)</option>
              <option value="none">None (not encrypted)</option>
            </select>
          </label>
          {hintFor('security')}
        </div>
        <div className="form-field">
          <label>
            User name
            <input aria-describedby={describedBy('username')} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" spellCheck={false} placeholder="often your email address" />
          </label>
          {hintFor('username')}
        </div>
        <div className="form-field">
          <label>
            Password
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="new-password"
              placeholder={account?.hasPassword ? 'stored in keychain — type to replace' : ''}
              aria-describedby={[account?.hasPassword ? 'password-note' : '', describedBy('password') ?? ''].filter(Boolean).join(' ') || undefined}
            />
          </label>
          {account?.hasPassword && (
            <span id="password-note" className="field-note">
              Changing the server, user name or certificate, or turning encryption off, forgets the stored password.
            </span>
          )}
          {hintFor('password')}
        </div>
        <div className="form-field span-2">
          <label>
            Trusted certificate (SHA-256, only for servers with a self-signed certificate)
            <input aria-describedby={describedBy('pinnedCertSha256')} value={pin} onChange={(e) => setPin(e.target.value)} spellCheck={false} placeholder="AB:CD:…" className="mono" />
          </label>
          {hintFor('pinnedCertSha256')}
          {failed?.code === 'CERT_UNTRUSTED' && typeof failed.details?.presentedSha256 === 'string' && (
            <button type="button" className="btn btn-small" onClick={() => setPin(String(failed.details!.presentedSha256))}>
              Trust exactly this certificate ({String(failed.details.presentedSha256).slice(0, 23)}…)
            </button>
          )}
        </div>
      </div>
      {test && <TestResult report={test.report} running={test.running} />}
      {error && <ErrorBox error={error} title="The account was not saved" />}
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => void runTest()} disabled={test?.running || !host || !email}>
          {test?.running ? 'Testing…' : 'Test settings'}
        </button>
        <span className="grow" />
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save account'}
        </button>
      </div>
    </form>
  );
}
