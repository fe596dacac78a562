import { AtSign, FlaskConical, Mail, Send, Settings as SettingsIcon, SquarePen, Users, type LucideIcon } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import type { Account } from '../../shared/model/account';
import type { AppCommand, ComposerCommand, View } from '../../shared/model/app-command';
import type { DraftBack } from '../../shared/model/draft';
import type { OutboxItem } from '../../shared/model/outbox';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/model/settings';
import { AccountsView } from './features/accounts/AccountsView';
import { Composer } from './features/composer/Composer';
import { ComposerTabs } from './features/composer/ComposerTabs';
import { useComposerTabs } from './features/composer/useComposerTabs';
import { MergeView } from './features/merge/MergeView';
import { OutboxView } from './features/outbox/OutboxView';
import { OUTBOX_ATTENTION_ID, OutboxAttention } from './features/outbox/OutboxAttention';
import { watchOutbox } from './features/outbox/useOutboxItems';
import { UndoToast } from './features/outbox/UndoToast';
import { SandboxView } from './features/sandbox/SandboxView';
import { SettingsView } from './features/settings/SettingsView';
import { VaultUnlock } from './features/secrets/VaultUnlock';
import { api, isBrowserMode } from './lib/api';
import { I18nProvider, useLanguage } from './lib/i18n';
import { errorLine } from './lib/said';
import { useShortcuts } from './lib/shortcuts';

// Labels are the catalogue's nav.<view>.
const NAV: Array<{ view: View; Icon: LucideIcon }> = [
  { view: 'compose', Icon: SquarePen },
  { view: 'outbox', Icon: Send },
  { view: 'merge', Icon: Users },
  { view: 'sandbox', Icon: FlaskConical },
  { view: 'accounts', Icon: AtSign },
  { view: 'settings', Icon: SettingsIcon },
];

/** The heading of the view on screen (other than the composer's): where the keyboard goes when a command shows a view. */
const focusViewHeading = () => document.querySelector<HTMLElement>('main section.view > .view-header h1')?.focus();

export function App() {
  const [view, setView] = useState<View>('compose');
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [fatal, setFatal] = useState<ErrorInfo>();
  const [toast, setToast] = useState<OutboxItem>();
  // A locked vault is asked for once at start; "not now" leaves it to Settings.
  const [askUnlock, setAskUnlock] = useState(false);
  useEffect(() => void api()['secrets:status']().then((r) => r.ok && setAskUnlock(r.value.vault === 'locked')), []);

  // Where the keyboard goes after a command: a number that changes asks again. The composer in
  // front takes `composerFocus` (To, else Subject, else the body); other views their heading.
  const [composerFocus, setComposerFocus] = useState(0);
  const [headingFocus, setHeadingFocus] = useState(0);
  useEffect(() => {
    if (headingFocus) focusViewHeading();
  }, [headingFocus]);
  const showCompose = useCallback(() => setView('compose'), []);
  const composers = useComposerTabs(showCompose);
  const handovers = useRef(0);

  const reloadAccounts = useCallback(
    () =>
      api()['accounts:list']().then(
        (r) => (r.ok ? setAccounts(r.value) : setFatal(r.error)),
        (err: Error) => setFatal({ code: 'INTERNAL_ERROR', message: err.message, hint: '' }),
      ),
    [],
  );
  useEffect(() => void reloadAccounts(), [reloadAccounts]);
  // The outbox is watched from the start, after the first paint: the navigation counts what needs
  // attention, and the view opens on rows already known.
  useEffect(() => {
    // (Safari has no requestIdleCallback: browser mode may run there.)
    if (typeof requestIdleCallback !== 'function') return void setTimeout(() => void watchOutbox(), 500);
    const idle = requestIdleCallback(() => void watchOutbox(), { timeout: 1_000 });
    return () => cancelIdleCallback(idle);
  }, []);
  useEffect(() => void api()['settings:get']().then((r) => r.ok && setSettings(r.value)), []);
  const i18n = useLanguage(settings.language);
  const { t } = i18n;
  // The stylesheet reads this attribute; 'system' leaves the choice to prefers-color-scheme.
  useEffect(() => document.documentElement.setAttribute('data-theme', settings.theme), [settings.theme]);

  /** A message back in a composer (undo, edit, re-open as new). */
  const { deliver, open: openComposer, openDraft, activeNow } = composers;
  const toComposer = useCallback(
    (back: DraftBack, note: string) => {
      deliver({ back, note, key: ++handovers.current });
      setToast(undefined);
      setComposerFocus((n) => n + 1);
    },
    [deliver],
  );
  const closeToast = useCallback(() => setToast(undefined), []);

  // Menu, shortcuts and mailto: links ask for the same commands; `key` makes a repeated command new.
  // The command goes to the composer in front when it was given, and to no other.
  const [command, setCommand] = useState<{ command: ComposerCommand; key: number; tab: number }>();
  const onCommand = useCallback(
    (c: AppCommand) => {
      if (c.kind === 'show') {
        setView(c.view);
        return c.view === 'compose' ? setComposerFocus((n) => n + 1) : setHeadingFocus((n) => n + 1);
      }
      if (c.kind === 'new-message') {
        openComposer();
        return setComposerFocus((n) => n + 1);
      }
      if (c.kind === 'open-draft') return openDraft(c.id);
      setCommand((prev) => ({ command: c, key: (prev?.key ?? 0) + 1, tab: activeNow() }));
      setView('compose');
    },
    [openComposer, openDraft, activeNow],
  );
  useEffect(() => api().on('app:command', onCommand), [onCommand]);
  // The desktop window has the menu's accelerators; only browser mode needs the page to listen for keys.
  useShortcuts(onCommand, isBrowserMode());

  if (fatal) {
    return (
      <div className="fatal" role="alert">
        <h1>{t('app.cannotStart')}</h1>
        <p>{errorLine(i18n.lang, fatal)}</p>
      </div>
    );
  }
  return (
    <I18nProvider value={i18n}>
      <div className="app">
        <nav className="sidebar" aria-label={t('nav.label')}>
          <div className="brand">
            <Mail className="brand-mark" size={20} aria-hidden="true" /> <span className="brand-name">Mailwright</span>
          </div>
          {NAV.map((n) => (
            <button
              key={n.view}
              className="nav-item"
              aria-current={view === n.view ? 'page' : undefined}
              onClick={() => setView(n.view)}
              title={t(`nav.${n.view}`)}
              aria-describedby={n.view === 'outbox' ? OUTBOX_ATTENTION_ID : undefined}
            >
              <n.Icon className="nav-icon" size={18} aria-hidden="true" />
              <span className="nav-label">{t(`nav.${n.view}`)}</span>
              {n.view === 'outbox' && <OutboxAttention />}
            </button>
          ))}
        </nav>
        <main className="content">
          {/* The composers stay mounted so a half-written message survives a look at the outbox. */}
          <div hidden={view !== 'compose'} className="view">
            {composers.tabs.length > 1 && <ComposerTabs tabs={composers.tabs} active={composers.active} onSelect={composers.show} onClose={composers.close} />}
            {composers.tabs.map((tab) => (
              <div key={tab.key} hidden={tab.key !== composers.active}>
                <Composer
                  accounts={accounts}
                  undoSeconds={settings.undoSeconds}
                  restoreNewest={tab.key === 0}
                  openDraftId={tab.openDraftId}
                  incoming={tab.incoming}
                  command={command?.tab === tab.key ? command : undefined}
                  focusRequest={tab.key === composers.active ? composerFocus : undefined}
                  onInfo={(info) => composers.report(tab.key, info)}
                  onNew={() => openComposer()}
                  onAddAccount={() => {
                    setView('accounts');
                    setHeadingFocus((n) => n + 1);
                  }}
                  showOpenDraft={(id) => composers.showOpenDraft(id, tab.key)}
                  onQueued={(item) => {
                    setToast(item);
                    setView('outbox');
                    composers.sent(tab.key);
                    // With an undo window the toast's Undo takes the keyboard; without one, the outbox.
                    if (item.state !== 'held') setHeadingFocus((n) => n + 1);
                  }}
                />
              </div>
            ))}
          </div>
          {view === 'outbox' && <OutboxView accounts={accounts} onDraft={toComposer} />}
          {view === 'merge' && <MergeView accounts={accounts} />}
          {view === 'sandbox' && <SandboxView />}
          {view === 'accounts' && <AccountsView accounts={accounts} onChanged={reloadAccounts} />}
          {view === 'settings' && <SettingsView settings={settings} onChanged={setSettings} />}
        </main>
        {askUnlock && (
          <VaultUnlock
            onUnlocked={() => {
              setAskUnlock(false);
              void reloadAccounts();
            }}
            onClose={() => setAskUnlock(false)}
          />
        )}
        {toast && <UndoToast key={toast.id} queued={toast} onUndone={(back) => toComposer(back, t('outbox.note.undone'))} onClose={closeToast} onFocusGone={focusViewHeading} />}
      </div>
    </I18nProvider>
  );
}
