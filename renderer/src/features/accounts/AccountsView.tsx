import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account } from '../../../../shared/model/account';
import type { ConnectionTestReport } from '../../../../shared/model/connection-test';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { AccountForm } from './AccountForm';
import { TestResult } from './TestResult';

interface Props {
  accounts: Account[];
  onChanged: () => Promise<void>;
}

export function AccountsView({ accounts, onChanged }: Props) {
  const [editing, setEditing] = useState<Account | 'new'>();
  const [tests, setTests] = useState<Record<string, ConnectionTestReport | 'running'>>({});
  const [error, setError] = useState<ErrorInfo>();

  const act = async (work: Promise<{ ok: boolean; error?: ErrorInfo }>) => {
    const r = await work;
    if (!r.ok) setError(r.error);
    else setError(undefined);
    await onChanged();
  };
  const test = async (a: Account) => {
    setTests((t) => ({ ...t, [a.id]: 'running' }));
    const r = await api()['accounts:test']({ id: a.id });
    if (r.ok) {
      setTests((t) => ({ ...t, [a.id]: r.value }));
      await onChanged(); // the account now carries this result as its last test
    }
    else {
      setError(r.error);
      setTests(({ [a.id]: _gone, ...rest }) => rest);
    }
  };

  return (
    <section className="view" aria-label="Accounts">
      <header className="view-header">
        <h1>Accounts</h1>
        <button className="btn btn-primary" onClick={() => setEditing('new')}>
          Add account
        </button>
      </header>
      {error && <ErrorBox error={error} />}
      {editing && (
        <AccountForm
          key={editing === 'new' ? 'new' : editing.id}
          account={editing === 'new' ? undefined : editing}
          onCancel={() => setEditing(undefined)}
          onSaved={async () => {
            setEditing(undefined);
            await onChanged();
          }}
        />
      )}
      <ul className="account-list" aria-label="Account list">
        {accounts.map((a) => {
          const report = tests[a.id];
          return (
            <li key={a.id} className="card account-card" aria-label={a.name}>
              <div className="account-main">
                <div>
                  <div className="account-name">
                    {a.name} {a.isDefault && <span className="badge badge-default">Default</span>}
                  </div>
                  <div className="muted">
                    {a.displayName ? `${a.displayName} <${a.email}>` : a.email}
                  </div>
                  {a.lastTest && !report && (
                    <div className={`small last-test ${a.lastTest.ok ? 'ok' : 'bad'}`}>
                      Last test {formatTime(a.lastTest.at)}: {a.lastTest.ok ? 'all phases passed' : `failed at ${a.lastTest.failedPhase} (${a.lastTest.code})`}
                    </div>
                  )}
                  <div className="muted small">
                    {a.kind === 'sandbox'
                      ? 'Built in: catches mail locally for preview'
                      : `${a.host}:${a.port} · ${a.security.toUpperCase()}${a.username ? ` · ${a.username}` : ''}${a.username ? (a.hasPassword ? ' · password in keychain' : a.hasPassword === null ? ' · keychain unavailable' : ' · no password') : ''}${a.pinnedCertSha256 ? ' · pinned certificate' : ''}`}
                  </div>
                </div>
                <div className="account-actions">
                  <button className="btn btn-small" onClick={() => void test(a)} disabled={report === 'running'} aria-label={`Test ${a.name}`}>
                    {report === 'running' ? 'Testing…' : 'Test'}
                  </button>
                  {!a.isDefault && (
                    <button className="btn btn-small btn-quiet" onClick={() => void act(api()['accounts:set-default']({ id: a.id }))} aria-label={`Make ${a.name} the default`}>
                      Make default
                    </button>
                  )}
                  {a.kind === 'smtp' && (
                    <>
                      <button className="btn btn-small btn-quiet" onClick={() => setEditing(a)} aria-label={`Edit ${a.name}`}>
                        Edit
                      </button>
                      <button
                        className="btn btn-small btn-danger"
                        aria-label={`Remove ${a.name}`}
                        onClick={() => {
                          if (confirm(`Remove the account “${a.name}”? Its password is deleted from the keychain.`)) void act(api()['accounts:remove']({ id: a.id }));
                        }}
                      >
                        Remove
                      </button>
                    </>
                  )}
                </div>
              </div>
              {report && report !== 'running' && <TestResult report={report} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

