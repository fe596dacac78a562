// Mailwright as the system's mail app: mailto: links (RFC 6068) arrive in the first instance's own
// command line, in a second instance's (which quits and hands it over), or as macOS's open-url
// event. Each becomes a saved draft the page opens in the composer: a link never sends anything.
import { resolve } from 'node:path';
import { app, type BrowserWindow } from 'electron';
import type { Core } from '../core/core';
import { invokeChannel } from '../core/invoke';
import { bringToFront, sendAppCommand } from './windows/active-window';

/** The link in a command line: Windows and Linux pass it as an argument (among Chromium's own flags). */
export const mailtoInArgv = (argv: readonly string[]): string | undefined => argv.find((a) => /^mailto:/i.test(a));

/** The user reached for the app: a link to open, or none (the app was started again) and only the window to show. */
type Arrival = (url: string | undefined) => void;

/**
 * Listen at once, before the app is ready (macOS sends open-url that early, and a second instance
 * may start while the core is still loading); arrivals wait until `deliverTo` names who takes them.
 */
export function receiveMailtoLinks(argv: readonly string[]): { deliverTo(take: Arrival): void } {
  const waiting: Array<string | undefined> = [];
  let take: Arrival | undefined;
  const arrive = (url: string | undefined) => (take ? take(url) : waiting.push(url));
  const first = mailtoInArgv(argv);
  if (first) arrive(first);
  app.on('second-instance', (_event, otherArgv: string[]) => arrive(mailtoInArgv(otherArgv)));
  app.on('open-url', (event, url) => {
    event.preventDefault();
    arrive(url);
  });
  return {
    deliverTo(next) {
      take = next;
      for (const url of waiting.splice(0)) next(url);
    },
  };
}

/** Save the link as a draft and ask the window to open it; never sends. */
export async function openMailtoLink(core: Core, window: BrowserWindow, url: string | undefined, log: (message: string, err?: unknown) => void): Promise<void> {
  bringToFront(window);
  if (!url) return;
  const saved = await invokeChannel(core.handlers, 'drafts:from-mailto', { url }, log, 'command-line');
  if (!saved.ok) return log(`a mailto: link was not opened: ${saved.error.message}`);
  // At first launch the page may still be loading; the composer also reopens the newest draft when it starts.
  if (window.webContents.isLoading()) await new Promise<void>((done) => window.webContents.once('did-finish-load', () => done()));
  sendAppCommand({ kind: 'open-draft', id: (saved.value as { id: string }).id }, window);
}

/** Run from source (`electron .`), the OS must be told to start Electron with our app directory. */
const launcher = (): { path?: string; args?: string[] } => (process.defaultApp && process.argv[1] ? { path: process.execPath, args: [resolve(process.argv[1])] } : {});

/**
 * Keep the OS's default mail app in line with the (opt-in) setting: registered when on; when the
 * user turns it off, unregistered only if we are the default. With the setting off at start nothing
 * is touched: a user who chose Mailwright in the system's own settings keeps that choice.
 */
export async function followMailtoSetting(settings: Core['settings'], log: (message: string, err?: unknown) => void): Promise<() => void> {
  let applied = false;
  const apply = (on: boolean) => {
    if (on === applied) return; // every settings save calls us; only a change of this one matters
    applied = on;
    const { path, args } = launcher();
    if (on && !app.setAsDefaultProtocolClient('mailto', path, args)) log('the system did not accept Mailwright as the handler of mailto: links');
    if (!on && app.isDefaultProtocolClient('mailto', path, args)) app.removeAsDefaultProtocolClient('mailto', path, args);
  };
  apply((await settings.get()).mailtoHandler);
  return settings.onSaved((s) => apply(s.mailtoHandler));
}
