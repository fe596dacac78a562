import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account, AccountInput, Security } from '../../../../shared/model/account';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';

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
        <label className="span-2">
          Email address
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required placeholder="ana@example.com" />
        </label>
        <label className="span-2">
          SMTP server
          <input value={host} onChange={(e) => setHost(e.target.value)} required placeholder="smtp.example.com" autoCapitalize="off" spellCheck={false} />
        </label>
        <label>
          Port
          <input
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
        <label>
          Security
          <select
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
        <label>
          User name
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" spellCheck={false} placeholder="often your email address" />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" placeholder={account?.hasPassword ? 'stored in keychain — type to replace' : ''} aria-describedby={account ? 'password-note' : undefined} />
          {account?.hasPassword && (
            <span id="password-note" className="field-note">
              Changing the server, user name or certificate, or turning encryption off, forgets the stored password.
            </span>
          )}
        </label>
        <label className="span-2">
          Trusted certificate (SHA-256, only for servers with a self-signed certificate)
          <input value={pin} onChange={(e) => setPin(e.target.value)} spellCheck={false} placeholder="AB:CD:…" className="mono" />
        </label>
      </div>
      {error && <ErrorBox error={error} title="The account was not saved" />}
      <div className="form-actions">
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
