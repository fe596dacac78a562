import { promises as fs } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { wireName } from '../../../shared/ipc/contract';
import type { AppCommand } from '../../../shared/model/app-command';
import { SettingsStore } from '../../../electron/core/settings/settings-store';
import { createFakeElectron, type FakeMenuItem } from '../../helpers/fake-electron';

// The application menu, the single-instance lock and mailto: links, wired by the real startApp
// on a faked electron module (the Playwright _electron suite runs the real thing where it can).
const dataDir = await fs.mkdtemp('/tmp/mw-menu-');
const fake = createFakeElectron(dataDir);
vi.mock('electron', () => fake.module);
const { startApp } = await import('../../../electron/main/app');
const { menuTemplate, shortcutLines } = await import('../../../electron/main/menu');
const { followMailtoSetting } = await import('../../../electron/main/mailto-links');

let started: NonNullable<Awaited<ReturnType<typeof startApp>>>;
const FIRST_LAUNCH_LINK = 'mailto:first@example.test?subject=From%20the%20command%20line';

beforeAll(async () => {
  // The OS starts the app with the link as an argument (Windows, Linux); Chromium adds flags of its own.
  const argv = process.argv;
  process.argv = [...argv, '--enable-features=X', FIRST_LAUNCH_LINK];
  try {
    started = (await startApp('/opt/mailwright/out/main'))!;
  } finally {
    process.argv = argv;
  }
});
afterAll(async () => {
  await started.core.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const window = () => fake.windows[0]!;
const commands = () => window().webContents.sent.filter(([channel]) => channel === wireName('app:command')).map(([, c]) => c as AppCommand);
const drafts = () => started.core.handlers['drafts:list'](undefined);
const openedDraftIds = () => commands().flatMap((c) => (c.kind === 'open-draft' ? [c.id] : []));
const item = (id: string) => {
  const find = (items: FakeMenuItem[] | undefined): FakeMenuItem | undefined => items?.reduce<FakeMenuItem | undefined>((hit, i) => hit ?? (i.id === id ? i : find(i.submenu)), undefined);
  return find(fake.menu.template);
};

describe('mailto: links in the desktop app', () => {
  it('opens a link from its own command line at first launch as a draft', async () => {
    await vi.waitFor(async () => expect((await drafts()).map((d) => d.subject)).toContain('From the command line'));
    const draft = (await drafts()).find((d) => d.subject === 'From the command line')!;
    expect(draft.to).toBe('first@example.test');
    await vi.waitFor(() => expect(openedDraftIds()).toEqual([draft.id]));
  });

  it('turns a second instance’s link into exactly one draft with to, cc, bcc, subject and body, ignores smuggled headers, and sends nothing', async () => {
    const before = (await drafts()).length;
    const link = 'mailto:ana@example.test?cc=bob@example.test&bcc=carol@example.test&subject=Hi%0D%0ABcc:%20evil@example.test&from=ceo@example.test&x-mailer=evil&body=Line%201%0D%0ALine%202';
    fake.app.emit('second-instance', {}, ['/usr/lib/mailwright/mailwright', '--no-sandbox', link], '/home/ana', {});
    await vi.waitFor(() => expect(openedDraftIds()).toHaveLength(2));
    const all = await drafts();
    expect(all).toHaveLength(before + 1);
    const draft = all.find((d) => d.id === openedDraftIds()[1])!;
    expect(draft).toMatchObject({ to: 'ana@example.test', cc: 'bob@example.test', bcc: 'carol@example.test', subject: 'Hi Bcc: evil@example.test', html: '<p>Line 1<br>Line 2</p>', accountId: '' });
    expect(JSON.stringify(draft)).not.toContain('ceo@example.test');
    expect(await started.core.handlers['outbox:list'](undefined)).toEqual([]);
  });

  it('takes macOS’s open-url event the same way', async () => {
    let prevented = false;
    fake.app.emit('open-url', { preventDefault: () => (prevented = true) }, 'mailto:dan@example.test?subject=From%20Finder');
    await vi.waitFor(() => expect(openedDraftIds()).toHaveLength(3));
    expect(prevented).toBe(true);
    expect((await drafts()).find((d) => d.id === openedDraftIds()[2])).toMatchObject({ to: 'dan@example.test', subject: 'From Finder' });
  });

  it('only shows the window when a second instance brings no link', async () => {
    const focus = vi.spyOn(window() as unknown as { focus: () => void }, 'focus');
    const before = (await drafts()).length;
    const sent = commands().length;
    fake.app.emit('second-instance', {}, ['/usr/lib/mailwright/mailwright', 'https://example.com/'], '/', {});
    expect(focus).toHaveBeenCalled();
    await new Promise((r) => setTimeout(r, 50));
    expect((await drafts()).length).toBe(before);
    expect(commands()).toHaveLength(sent);
  });

  it('registers as the mailto: handler only while the setting is on', async () => {
    expect(fake.app.protocols.has('mailto')).toBe(false); // off by default: the OS default is not touched
    await started.core.handlers['settings:save']({ mailtoHandler: true });
    expect(fake.app.protocols.has('mailto')).toBe(true);
    await started.core.handlers['settings:save']({ mailtoHandler: false });
    expect(fake.app.protocols.has('mailto')).toBe(false);
  });

  it('leaves a default the user chose in the system alone when the setting is off at start', async () => {
    const dir = await fs.mkdtemp('/tmp/mw-menu-setting-');
    fake.app.protocols.add('mailto'); // chosen in the OS's own settings
    const stop = await followMailtoSetting(new SettingsStore(dir), () => {});
    expect(fake.app.protocols.has('mailto')).toBe(true);
    stop();
    fake.app.protocols.clear();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reflects a setting that is already on when the app starts', async () => {
    const dir = await fs.mkdtemp('/tmp/mw-menu-setting-');
    const settings = new SettingsStore(dir);
    await settings.save({ mailtoHandler: true });
    const stop = await followMailtoSetting(settings, () => {});
    expect(fake.app.protocols.has('mailto')).toBe(true);
    stop();
    fake.app.protocols.clear();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('quits when another instance holds the lock, opening nothing', async () => {
    fake.app.lockHeld = false;
    const quits = fake.app.quits;
    try {
      expect(await startApp('/opt/mailwright/out/main')).toBeUndefined();
    } finally {
      fake.app.lockHeld = true;
    }
    expect(fake.app.quits).toBe(quits + 1);
    expect(fake.windows).toHaveLength(1);
  });
});

describe('the application menu', () => {
  it('sends each command to the window, with the stated accelerators', () => {
    const expected: Array<[string, string | undefined, AppCommand]> = [
      ['new-message', 'CmdOrCtrl+N', { kind: 'new-message' }],
      ['attach', 'CmdOrCtrl+Shift+A', { kind: 'attach' }],
      ['send', 'CmdOrCtrl+Enter', { kind: 'send' }],
      ['send-later', undefined, { kind: 'send-later' }],
      ['show-compose', 'CmdOrCtrl+1', { kind: 'show', view: 'compose' }],
      ['show-outbox', 'CmdOrCtrl+2', { kind: 'show', view: 'outbox' }],
      ['show-merge', 'CmdOrCtrl+3', { kind: 'show', view: 'merge' }],
      ['show-sandbox', 'CmdOrCtrl+4', { kind: 'show', view: 'sandbox' }],
      ['show-accounts', 'CmdOrCtrl+5', { kind: 'show', view: 'accounts' }],
      ['show-settings', 'CmdOrCtrl+6', { kind: 'show', view: 'settings' }],
    ];
    for (const [id, accelerator, command] of expected) {
      const menuItem = item(id);
      expect(menuItem?.accelerator, id).toBe(accelerator);
      const sent = commands().length;
      menuItem!.click!();
      expect(commands().slice(sent), id).toEqual([command]);
    }
  });

  it('has File, Edit (the standard roles), View, Window and Help, and developer tools when run from source', () => {
    const template = fake.menu.template!;
    expect(template.map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'help']);
    expect(template[0]!.submenu!.at(-1)!.role).toBe('quit');
    expect(template[1]!.submenu!.map((i) => i.role).filter(Boolean)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'selectAll']);
    expect(template[2]!.submenu!.map((i) => i.role).filter(Boolean)).toEqual(['reload', 'toggleDevTools']);
  });

  it('follows macOS conventions, and leaves developer tools out of a packaged app', () => {
    const template = menuTemplate({ mac: true, dev: false, send: () => {}, showShortcuts: () => {} }) as FakeMenuItem[];
    expect(template.map((m) => m.label ?? m.role)).toEqual(['appMenu', 'File', 'Edit', 'View', 'windowMenu', 'help']);
    expect(template[1]!.submenu!.at(-1)!.role).toBe('close');
    expect(template[3]!.submenu!.some((i) => i.role === 'reload' || i.role === 'toggleDevTools')).toBe(false);
    expect(shortcutLines(menuTemplate({ mac: true, dev: false, send: () => {}, showShortcuts: () => {} }), true)).toContain('Send: ⌘+Enter');
  });

  it('lists the shortcuts from Help', () => {
    item('shortcuts')!.click!();
    expect(fake.messageBoxes.at(-1)!.detail).toMatch(/New message: Ctrl\+N\n[\s\S]*Settings: Ctrl\+6\nClose a dialog or pop-up: Esc/);
  });
});
