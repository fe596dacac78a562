import { useCallback, useEffect, useState } from 'react';
import type { Account } from '../../shared/model/account';
import type { DraftBack } from '../../shared/model/draft';
import type { OutboxItem } from '../../shared/model/outbox';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/model/settings';
import { AccountsView } from './features/accounts/AccountsView';
import { Composer, type Incoming } from './features/composer/Composer';
import { OutboxView } from './features/outbox/OutboxView';
import { UndoToast } from './features/outbox/UndoToast';
import { SandboxView } from './features/sandbox/SandboxView';
import { SettingsView } from './features/settings/SettingsView';
import { api } from './lib/api';

type View = 'compose' | 'outbox' | 'sandbox' | 'accounts' | 'settings';

const NAV: Array<{ view: View; label: string; icon: string }> = [
  { view: 'compose', label: 'Compose', icon: '✎' },
  { view: 'outbox', label: 'Outbox', icon: '⇪' },
  { view: 'sandbox', label: 'Sandbox', icon: '◫' },
  { view: 'accounts', label: 'Accounts', icon: '⚙' },
  { view: 'settings', label: 'Settings', icon: '☰' },
];

export function App() {
  const [view, setView] = useState<View>('compose');
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [fatal, setFatal] = useState<string>();
  const [toast, setToast] = useState<OutboxItem>();
  const [incoming, setIncoming] = useState<Incoming>();

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
  useEffect(() => void api()['settings:get']().then((r) => r.ok && setSettings(r.value)), []);

  /** A message back in the composer (undo, edit, re-open as new). */
  const toComposer = useCallback((back: DraftBack, note: string) => {
    setIncoming((prev) => ({ back, note, key: (prev?.key ?? 0) + 1 }));
    setToast(undefined);
    setView('compose');
  }, []);
  const closeToast = useCallback(() => setToast(undefined), []);

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
          <Composer
            accounts={accounts}
            undoSeconds={settings.undoSeconds}
            incoming={incoming}
            onQueued={(item) => {
              setToast(item);
              setView('outbox');
            }}
          />
        </div>
        {view === 'outbox' && <OutboxView accounts={accounts} onDraft={toComposer} />}
        {view === 'sandbox' && <SandboxView />}
        {view === 'accounts' && <AccountsView accounts={accounts} onChanged={reloadAccounts} />}
        {view === 'settings' && <SettingsView settings={settings} onChanged={setSettings} />}
      </main>
      {toast && <UndoToast key={toast.id} queued={toast} onUndone={(back) => toComposer(back, 'The message was not sent: here it is again.')} onClose={closeToast} />}
    </div>
  );
}
