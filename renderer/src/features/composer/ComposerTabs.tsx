import { X } from 'lucide-react';
import { useT } from '../../lib/i18n';

export interface TabInfo {
  key: number;
  title: string;
}

/**
 * Several messages open at once, each in its own composer with its own autosaved draft. Closing
 * one keeps its draft (in the Drafts menu); a list of buttons rather than ARIA tabs, because
 * each entry also has its own close button.
 */
export function ComposerTabs({ tabs, active, onSelect, onClose }: { tabs: TabInfo[]; active: number; onSelect: (key: number) => void; onClose: (key: number) => void }) {
  const { t } = useT();
  return (
    <nav className="composer-tabs" aria-label={t('composer.tabs')}>
      <ul>
        {tabs.map((tab) => {
          const title = tab.title || t('composer.title');
          return (
            <li key={tab.key} className="composer-tab" data-active={tab.key === active || undefined}>
              <button type="button" className="composer-tab-title" aria-current={tab.key === active ? 'true' : undefined} onClick={() => onSelect(tab.key)} title={title}>
                {title}
              </button>
              <button type="button" className="composer-tab-close" aria-label={t('composer.closeTab', { title })} onClick={() => onClose(tab.key)}>
                <X size={14} aria-hidden="true" />
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
