// Native dialogs, menus and the window frame follow the same theme setting as the page:
// nativeTheme.themeSource takes exactly the setting's values ('system', 'light', 'dark').
import { nativeTheme } from 'electron';
import type { Core } from '../../core/core';

export async function followThemeSetting(settings: Core['settings']): Promise<() => void> {
  nativeTheme.themeSource = (await settings.get()).theme;
  return settings.onSaved((s) => (nativeTheme.themeSource = s.theme));
}
