import { useCallback, useEffect, useRef, useState } from 'react';
import type { Account } from '../../shared/model/account';
import type { AppCommand, ComposerCommand, View } from '../../shared/model/app-command';
import type { DraftBack } from '../../shared/model/draft';
import type { OutboxItem } from '../../shared/model/outbox';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/model/settings';
import { AccountsView } from './features/accounts/AccountsView';
import { Composer, type ComposerInfo, type Incoming } from './features/composer/Composer';
import { ComposerTabs } from './features/composer/ComposerTabs';
import { OutboxView } from './features/outbox/OutboxView';
import { UndoToast } from './features/outbox/UndoToast';
import { SandboxView } from './features/sandbox/SandboxView';
import { SettingsView } from './features/settings/SettingsView';
import { api, isBrowserMode } from './lib/api';
import { I18nProvider, useLanguage } from './lib/i18n';
import { useShortcuts } from './lib/shortcuts';

// Labels are the catalogue's nav.<view>.
const NAV: Array<{ view: View; icon: string }> = [
  { view: 'compose', icon: '✎' },
  { view: 'outbox', icon: '⇪' },
  { view: 'sandbox', icon: '◫' },
  { view: 'accounts', icon: '⚙' },
  { view: 'settings', icon: '☰' },
];

export function App() {
  const [view, setView] = useState<View>('compose');
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [fatal, setFatal] = useState<string>();
  const [toast, setToast] = useState<OutboxItem>();

  // Several messages can be open at once, each its own composer and draft; the first one reopens
  // the newest unsent draft at start.
  interface Tab extends ComposerInfo {
    key: number;
    incoming?: Incoming;
    openDraftId?: string;
  }
  const nextKey = useRef(1);
  const [tabs, setTabs] = useState<Tab[]>([{ key: 0, title: '', empty: true }]);
  const [activeTab, setActiveTab] = useState(0);
  const openTab = useCallback((init: Omit<Tab, 'key' | 'title' | 'empty'> = {}) => {
    const key = nextKey.current++;
    setTabs((list) => [...list, { key, title: '', empty: true, ...init }]);
    setActiveTab(key);
    setView('compose');
  }, []);
  const closeTab = (key: number) => {
    const rest = tabs.filter((t) => t.key !== key);
    if (!rest.length) {
      // Closing the last one leaves a fresh message.
      const fresh = nextKey.current++;
      rest.push({ key: fresh, title: '', empty: true });
    }
    setTabs(rest);
    if (key === activeTab || !rest.some((t) => t.key === activeTab)) setActiveTab(rest.at(-1)!.key);
  };
  const onInfo = useCallback((key: number, info: ComposerInfo) => setTabs((list) => list.map((t) => (t.key === key ? { ...t, ...info } : t))), []);
  /** A draft already open in another composer is shown there rather than opened twice (two autosaves would fight). */
  const showOpenDraft = (draftId: string, from: number) => {
    const open = tabs.find((t) => t.draftId === draftId && t.key !== from);
    if (open) setActiveTab(open.key);
    return !!open;
  };

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
  const i18n = useLanguage(settings.language);
  const { t } = i18n;
  // The stylesheet reads this attribute; 'system' leaves the choice to prefers-color-scheme.
  useEffect(() => document.documentElement.setAttribute('data-theme', settings.theme), [settings.theme]);

  /** A message back in a composer (undo, edit, re-open as new): the one in front if it is empty, else a new one. */
  const toComposer = useCallback(
    (back: DraftBack, note: string) => {
      const incoming = { back, note, key: nextKey.current++ };
      const front = tabs.find((t) => t.key === activeTab);
      if (front?.empty) setTabs((list) => list.map((t) => (t.key === front.key ? { ...t, incoming } : t)));
      else openTab({ incoming });
      setToast(undefined);
      setView('compose');
    },
    [tabs, activeTab, openTab],
  );
  const closeToast = useCallback(() => setToast(undefined), []);

  // Menu, shortcuts and mailto: links ask for the same commands; `key` makes a repeated command new.
  // The command goes to the composer in front when it was given, and to no other.
  const [command, setCommand] = useState<{ command: ComposerCommand; key: number; tab: number }>();
  const onCommand = useCallback(
    (c: AppCommand) => {
      if (c.kind === 'show') return setView(c.view);
      if (c.kind === 'new-message') return openTab();
      if (c.kind === 'open-draft') {
        const open = tabs.find((t) => t.draftId === c.id);
        return open ? (setActiveTab(open.key), setView('compose')) : openTab({ openDraftId: c.id });
      }
      setCommand((prev) => ({ command: c, key: (prev?.key ?? 0) + 1, tab: activeTab }));
      setView('compose');
    },
    [tabs, activeTab, openTab],
  );
  useEffect(() => api().on('app:command', onCommand), [onCommand]);
  // The desktop window has the menu's accelerators; only browser mode needs the page to listen for keys.
  useShortcuts(onCommand, isBrowserMode());

  if (fatal) {
    return (
      <div className="fatal" role="alert">
        <h1>{t('app.cannotStart')}</h1>
        <p>{fatal}</p>
      </div>
    );
  }
  return (
    <I18nProvider value={i18n}>
      <div className="app">
        <nav className="sidebar" aria-label={t('nav.label')}>
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">✉</span> Mailwright
          </div>
          {NAV.map((n) => (
            <button key={n.view} className="nav-item" aria-current={view === n.view ? 'page' : undefined} onClick={() => setView(n.view)}>
              <span className="nav-icon" aria-hidden="true">{n.icon}</span>
              {t(`nav.${n.view}`)}
            </button>
          ))}
        </nav>
        <main className="content">
          {/* The composers stay mounted so a half-written message survives a look at the outbox. */}
          <div hidden={view !== 'compose'} className="view">
            {tabs.length > 1 && <ComposerTabs tabs={tabs} active={activeTab} onSelect={setActiveTab} onClose={closeTab} />}
            {tabs.map((tab) => (
              <div key={tab.key} hidden={tab.key !== activeTab}>
                <Composer
                  accounts={accounts}
                  undoSeconds={settings.undoSeconds}
                  restoreNewest={tab.key === 0}
                  openDraftId={tab.openDraftId}
                  incoming={tab.incoming}
                  command={command?.tab === tab.key ? command : undefined}
                  onInfo={(info) => onInfo(tab.key, info)}
                  onNew={() => openTab()}
                  showOpenDraft={(id) => showOpenDraft(id, tab.key)}
                  onQueued={(item) => {
                    setToast(item);
                    setView('outbox');
                    // A second composer is done with once its message is sent; the last one stays, empty.
                    if (tabs.length > 1) closeTab(tab.key);
                  }}
                />
              </div>
            ))}
          </div>
          {view === 'outbox' && <OutboxView accounts={accounts} onDraft={toComposer} />}
          {view === 'sandbox' && <SandboxView />}
          {view === 'accounts' && <AccountsView accounts={accounts} onChanged={reloadAccounts} />}
          {view === 'settings' && <SettingsView settings={settings} onChanged={setSettings} />}
        </main>
        {toast && <UndoToast key={toast.id} queued={toast} onUndone={(back) => toComposer(back, t('outbox.note.undone'))} onClose={closeToast} />}
      </div>
    </I18nProvider>
  );
}
