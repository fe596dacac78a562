import { useCallback, useEffect, useState } from 'react';
import type { Account } from '../../shared/model/account';
import { AccountsView } from './features/accounts/AccountsView';
import { Composer } from './features/composer/Composer';
import { OutboxView } from './features/outbox/OutboxView';
import { SandboxView } from './features/sandbox/SandboxView';
import { api } from './lib/api';

type View = 'compose' | 'outbox' | 'sandbox' | 'accounts';

const NAV: Array<{ view: View; label: string; icon: string }> = [
  { view: 'compose', label: 'Compose', icon: '✎' },
  { view: 'outbox', label: 'Outbox', icon: '⇪' },
  { view: 'sandbox', label: 'Sandbox', icon: '◫' },
  { view: 'accounts', label: 'Accounts', icon: '⚙' },
];

export function App() {
  const [view, setView] = useState<View>('compose');
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [fatal, setFatal] = useState<string>();

  const reloadAccounts = useCallback(async () => {
    try {
      const r = await api()['accounts:list']();
      if (r.ok) setAccounts(r.value);
      else setFatal(r.error.message);
    } catch (err) {
      setFatal((err as Error).message);
    }
  }, []);
  useEffect(() => void reloadAccounts(), [reloadAccounts]);

  if (fatal) {
    return (
      <div className="fatal" role="alert">
        <h1>Mailwright cannot start</h1>
        <p>{fatal}</p>
      </div>
    );
  }
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">✉</span> Mailwright
        </div>
        {NAV.map((n) => (
          <button key={n.view} className="nav-item" aria-current={view === n.view ? 'page' : undefined} onClick={() => setView(n.view)}>
            <span className="nav-icon" aria-hidden="true">{n.icon}</span>
            {n.label}
          </button>
        ))}
      </nav>
      <main className="content">
        {/* The composer stays mounted so a half-written message survives a look at the outbox. */}
        <div hidden={view !== 'compose'} className="view">
          <Composer accounts={accounts} onSent={() => setView('outbox')} />
        </div>
        {view === 'outbox' && <OutboxView accounts={accounts} />}
        {view === 'sandbox' && <SandboxView />}
        {view === 'accounts' && <AccountsView accounts={accounts} onChanged={reloadAccounts} />}
      </main>
    </div>
  );
}
