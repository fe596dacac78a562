/** The screens of the app, in the order of the sidebar (and of the View menu's Ctrl+1…6). */
export const VIEWS = ['compose', 'outbox', 'merge', 'sandbox', 'accounts', 'settings'] as const;
export type View = (typeof VIEWS)[number];

/**
 * A command from outside the page: the application menu, a keyboard shortcut, or a mailto: link
 * that main turned into a saved draft. Menu and shortcuts send the same commands, so each
 * command has one implementation in the renderer.
 */
export type AppCommand =
  | { kind: 'new-message' }
  | { kind: 'attach' }
  | { kind: 'send' }
  | { kind: 'send-later' }
  | { kind: 'show'; view: View }
  /** A draft saved in main (from a mailto: link) to open in a composer. */
  | { kind: 'open-draft'; id: string };

/** The commands the composer in front carries out (the app opens composers and drafts itself). */
export type ComposerCommand = Extract<AppCommand, { kind: 'attach' | 'send' | 'send-later' }>;
