// Keyboard shortcuts for browser mode, where there is no application menu: the same AppCommands
// the menu's accelerators send in the desktop app, so each command has one implementation.
import { useEffect } from 'react';
import { useLatest } from './useLatest';
import { VIEWS, type AppCommand } from '../../../shared/model/app-command';

type Keys = Pick<KeyboardEvent, 'code' | 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/**
 * The command a key press stands for, if any. Keys are read by position (`code`), so Shift or
 * another layout does not change them. A browser keeps Ctrl/Cmd+N for itself (new window), so a new
 * message is Alt+N; on macOS Option+N types a tilde (ñ), so there it is Ctrl+Option+N.
 */
export function shortcutCommand(e: Keys, mac: boolean): AppCommand | undefined {
  const mod = mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  if (mod && !e.altKey) {
    if (e.key === 'Enter' && !e.shiftKey) return { kind: 'send' };
    if (e.code === 'KeyA' && e.shiftKey) return { kind: 'attach' };
    const digit = /^Digit([1-9])$/.exec(e.code);
    const view = digit && !e.shiftKey ? VIEWS[Number(digit[1]) - 1] : undefined;
    if (view) return { kind: 'show', view };
  }
  const newMessage = e.code === 'KeyN' && e.altKey && !e.shiftKey && !e.metaKey && e.ctrlKey === mac;
  return newMessage ? { kind: 'new-message' } : undefined;
}

export const isMacPlatform = () => /Mac|iPhone|iPad/.test(navigator.platform);

/** Carry out shortcuts on the whole page while `enabled` (off in the desktop app, whose menu owns the keys). */
export function useShortcuts(onCommand: (command: AppCommand) => void, enabled: boolean): void {
  const latest = useLatest(onCommand);
  useEffect(() => {
    if (!enabled) return;
    const mac = isMacPlatform();
    const onKeyDown = (e: KeyboardEvent) => {
      // A field that handled the key itself (the composer's Ctrl+Enter, an editor command) keeps it.
      if (e.defaultPrevented || e.repeat) return;
      const command = shortcutCommand(e, mac);
      if (!command) return;
      e.preventDefault();
      latest.current(command);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled, latest]);
}
