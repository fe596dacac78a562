import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account } from '../../../../shared/model/account';
import type { ConnectionTestReport } from '../../../../shared/model/connection-test';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { AccountForm } from './AccountForm';
import { SignatureEditor } from './SignatureEditor';
import { DkimPanel } from './DkimPanel';
import { phaseLabel, TestResult } from './TestResult';
import { securityLabel } from '../../lib/security-label';
import { loginSummary } from './LoginSummary';
import { SignInPanel } from './SignInPanel';
import { useSignIn } from './useSignIn';
import { providerLabel } from '../../../../shared/model/sign-in';

interface Props {
  accounts: Account[];
  onChanged: () => Promise<void>;
}

export function AccountsView({ accounts, onChanged }: Props) {
  const i18n = useT();
  const { t, time } = i18n;
  const [editing, setEditing] = useState<Account | 'new'>();
  const [tests, setTests] = useState<Record<string, ConnectionTestReport | 'running'>>({});
  const [error, setError] = useState<ErrorInfo>();
  const [signing, setSigning] = useState<string>();
  /** The account whose DKIM panel is open. */
  const [dkimOf, setDkimOf] = useState<string>();
  /** The account signing in again, one at a time; its card shows how it goes. */
  const [signingIn, setSigningIn] = useState<string>();
  const signIn = useSignIn(() => {
    setSigningIn(undefined);
    void onChanged();
  });

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
    <section className="view" aria-label={t('nav.accounts')}>
      <header className="view-header">
        <h1 tabIndex={-1}>{t('nav.accounts')}</h1>
        <button className="btn btn-primary" onClick={() => setEditing('new')}>
          {t('accounts.add')}
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
      <ul className="account-list" aria-label={t('accounts.list')}>
        {accounts.map((a) => {
          const report = tests[a.id];
          return (
            <li key={a.id} className="card account-card" aria-label={a.name}>
              <div className="account-main">
                <div>
                  <div className="account-name">
                    {a.name} {a.isDefault && <span className="badge badge-default">{t('accounts.default')}</span>}
                  </div>
                  <div className="muted">
                    {a.displayName ? `${a.displayName} <${a.email}>` : a.email}
                  </div>
                  {a.lastTest && !report && (
                    <div className={`small last-test ${a.lastTest.ok ? 'ok' : 'bad'}`}>
                      {a.lastTest.ok ? t('accounts.lastTest.passed', { time: time(a.lastTest.at) }) : t('accounts.lastTest.failed', { time: time(a.lastTest.at), phase: phaseLabel(t, a.lastTest.failedPhase ?? ''), code: a.lastTest.code ?? '' })}
                    </div>
                  )}
                  <div className="muted small">
                    {a.kind === 'sandbox'
                      ? t('accounts.sandbox')
                      : [
                          `${a.host}:${a.port}`,
                          securityLabel(t, a.security),
                          a.username,
                          loginSummary(i18n, a),
                          a.pinnedCertSha256 && t('accounts.pinnedCertificate'),
                          a.connections && t('accounts.connections', { count: a.connections }),
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                  </div>
                </div>
                <div className="account-actions">
                  {a.oauth && (
                    <button
                      className={`btn btn-small ${a.login.method === 'oauth2' && a.login.state === 'sign-in-required' ? 'btn-primary' : ''}`}
                      disabled={signingIn === a.id && signIn.state.phase !== 'failed'}
                      aria-label={t('accounts.signInAgainNamed', { name: a.name })}
                      onClick={() => {
                        setSigningIn(a.id);
                        void signIn.start({ accountId: a.id }, providerLabel(a.oauth!));
                      }}
                    >
                      {t('accounts.signInAgain')}
                    </button>
                  )}
                  <button className="btn btn-small" onClick={() => void test(a)} disabled={report === 'running'} aria-label={t('accounts.testNamed', { name: a.name })}>
                    {report === 'running' ? t('accounts.testing') : t('accounts.test')}
                  </button>
                  <button className="btn btn-small btn-quiet" onClick={() => setSigning(a.id)} aria-expanded={signing === a.id} aria-label={t('signature.of', { name: a.name })}>
                    {t('signature.label')}
                  </button>
                  {a.kind === 'smtp' && (
                    <button className="btn btn-small btn-quiet" onClick={() => setDkimOf(dkimOf === a.id ? undefined : a.id)} aria-expanded={dkimOf === a.id} aria-label={t('dkim.of', { name: a.name })}>
                      {t('dkim.label')}
                    </button>
                  )}
                  {!a.isDefault && (
                    <button className="btn btn-small btn-quiet" onClick={() => void act(api()['accounts:set-default']({ id: a.id }))} aria-label={t('accounts.makeDefaultNamed', { name: a.name })}>
                      {t('accounts.makeDefault')}
                    </button>
                  )}
                  {a.kind === 'smtp' && (
                    <>
                      <button className="btn btn-small btn-quiet" onClick={() => setEditing(a)} aria-label={t('accounts.editNamed', { name: a.name })}>
                        {t('common.edit')}
                      </button>
                      <button
                        className="btn btn-small btn-danger"
                        aria-label={t('accounts.removeNamed', { name: a.name })}
                        onClick={() => {
                          if (confirm(t('accounts.removeConfirm', { name: a.name }))) void act(api()['accounts:remove']({ id: a.id }));
                        }}
                      >
                        {t('accounts.remove')}
                      </button>
                    </>
                  )}
                </div>
              </div>
              {signingIn === a.id && (
                <SignInPanel
                  state={signIn.state}
                  onRestart={(request, provider) => void signIn.start(request, provider)}
                  onCancel={() => {
                    signIn.cancel();
                    setSigningIn(undefined);
                  }}
                />
              )}
              {signing === a.id && (
                <SignatureEditor
                  account={a}
                  onDone={async (saved) => {
                    setSigning(undefined);
                    if (saved) await onChanged();
                  }}
                />
              )}
              {dkimOf === a.id && <DkimPanel account={a} onChanged={onChanged} />}
              {report && report !== 'running' && <TestResult report={report} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

