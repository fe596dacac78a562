import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WINDOW_CHANNELS, wireName } from '../../../shared/ipc/contract';
import type { OutboxItem } from '../../../shared/model/outbox';
import { draft } from '../../../shared/model/draft';
import { SANDBOX_ACCOUNT_ID } from '../../../electron/core/accounts/account-store';
import { errorInfo } from '../../../electron/core/errors';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { createFakeElectron } from '../../helpers/fake-electron';
import { savedDrafts } from '../../helpers/saved-drafts';

const dataDir = await fs.mkdtemp('/tmp/mw-wiring-');
const fake = createFakeElectron(dataDir);
vi.mock('electron', () => fake.module);
const { startApp } = await import('../../../electron/main/app');
const { retryOnWake } = await import('../../../electron/main/outbox/wake-triggers');

const outDir = '/opt/mailwright/out/main';
const appUrl = pathToFileURL('/opt/mailwright/out/renderer/index.html').href;
let started: NonNullable<Awaited<ReturnType<typeof startApp>>>;

beforeAll(async () => {
  started = (await startApp(outDir))!;
});
afterAll(async () => {
  await started.core.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const window = () => fake.windows[0]!;
const ownEvent = () => ({ sender: window().webContents, senderFrame: window().webContents.mainFrame });

describe('the Electron composition root (faked electron module)', () => {
  it('registers every contract channel, and nothing else', () => {
    expect([...fake.handlers.keys()].sort()).toEqual(WINDOW_CHANNELS.map(wireName).sort());
  });

  it('opens one hardened window with the stated webPreferences, loading the built renderer', () => {
    expect(fake.windows).toHaveLength(1);
    expect(window().options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(window().options.webPreferences.preload).toBe('/opt/mailwright/out/preload/index.cjs');
    expect(window().loaded).toBe(appUrl);
    expect(fake.app.sandboxed).toBe(true);
  });

  it('answers its own window and refuses a foreign sender, a sub-frame and a foreign page', async () => {
    const list = fake.handlers.get(wireName('accounts:list'))!;
    expect(await list(ownEvent(), undefined)).toMatchObject({ ok: true });
    const stranger = { sender: { mainFrame: {} }, senderFrame: { url: appUrl } };
    expect(await list(stranger, undefined)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const subFrame = { sender: window().webContents, senderFrame: { url: appUrl } };
    expect(await list(subFrame, undefined)).toMatchObject({ ok: false });
    window().webContents.mainFrame.url = 'https://evil.example/';
    expect(await list(ownEvent(), undefined)).toMatchObject({ ok: false });
    window().webContents.mainFrame.url = appUrl;
  });

  it('parses payloads with the contract before a handler runs', async () => {
    const save = fake.handlers.get(wireName('accounts:save'))!;
    expect(await save(ownEvent(), { name: 'x', email: 'x@y.test', host: 'h', port: 'not a port', security: 'tls' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('denies every permission and sets the CSP on responses', () => {
    const answers: boolean[] = [];
    fake.sessionCalls.permissionRequest!({}, 'media', (ok) => answers.push(ok));
    fake.sessionCalls.permissionRequest!({}, 'notifications', (ok) => answers.push(ok));
    expect(answers).toEqual([false, false]);
    expect(fake.sessionCalls.permissionCheck!()).toBe(false);
    let headers: Record<string, string[]> = {};
    fake.sessionCalls.headers!({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']![0]).toMatch(/default-src 'none'.*script-src 'self'/);
  });

  it('allows no navigation away from the app and no new windows', () => {
    const navigate = (url: string) => {
      let prevented = false;
      window().webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(`${appUrl}#outbox`)).toBe(false);
    expect(window().webContents.windowOpenHandler!()).toEqual({ action: 'deny' });
  });

  it('turns native picker results into handles: the renderer never sees a path', async () => {
    const file = join(dataDir, 'picked.txt');
    await fs.writeFile(file, 'hello');
    fake.dialogResult.filePaths = [file];
    const r = (await fake.handlers.get(wireName('attachments:pick'))!(ownEvent(), undefined)) as { ok: true; value: Array<Record<string, unknown>> };
    expect(r.ok).toBe(true);
    expect(r.value).toEqual([{ handle: expect.stringMatching(/^att_/), name: 'picked.txt', size: 5, contentType: 'text/plain' }]);
    expect(JSON.stringify(r)).not.toContain(dataDir);
  });

  it('forwards core events to the window', async () => {
    started.core.events.emit('sandbox:caught', { id: 'x', receivedAt: '', envelopeFrom: '', envelopeTo: [], subject: 's', from: '', size: 1 });
    expect(window().webContents.sent).toContainEqual([wireName('sandbox:caught'), expect.objectContaining({ id: 'x' })]);
  });

  it('notifies once when a message fails, and not when the user turned it off', async () => {
    const item = { id: 'n1', subject: 'Report', state: 'sending', error: undefined } as unknown as OutboxItem;
    const failed = { ...item, state: 'failed', error: { code: 'AUTH_FAILED', message: 'The server refused the login.', hint: '' } } as OutboxItem;
    started.core.events.emit('outbox:changed', item);
    started.core.events.emit('outbox:changed', failed);
    started.core.events.emit('outbox:changed', failed); // a second save in the same state is not news
    await vi.waitFor(() => expect(fake.notifications).toHaveLength(1));
    expect(fake.notifications[0]).toEqual({ title: 'Message not sent', body: 'Report — The server refused the login.' });
    await started.core.settings.save({ notifyFailures: false });
    started.core.events.emit('outbox:changed', { ...failed, id: 'n2' });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.notifications).toHaveLength(1);
  });

  it('notifies in the language the window speaks, the error said from its catalogue keys', async () => {
    await started.core.settings.save({ notifyFailures: true, language: 'ru' });
    const error = errorInfo('SERVER_TEMPORARY', { message: phrase('err.smtp.lost', { where: 'smtp.example.test:587' }), hint: phrase('err.smtp.lost.hint') });
    started.core.events.emit('outbox:changed', { id: 'n3', subject: '', state: 'sending' } as unknown as OutboxItem);
    started.core.events.emit('outbox:changed', { id: 'n3', subject: '', state: 'failed', error } as unknown as OutboxItem);
    await vi.waitFor(() => expect(fake.notifications).toHaveLength(2));
    expect(fake.notifications[1]).toEqual({ title: 'Письмо не отправлено', body: '(без темы) — Соединение с smtp.example.test:587 прервалось.' });
    await started.core.settings.save({ language: 'system' });
  });

  it('retries waiting mail at once on wake from sleep and when the network comes back', async () => {
    const spy = vi.spyOn(started.core.outbox, 'retryWaitingNow').mockResolvedValue();
    fake.powerMonitor.emit('resume');
    expect(spy).toHaveBeenCalledWith('woke from sleep');
    spy.mockRestore();

    // The network state is polled (main has no "online" event): only going from offline to online retries.
    const reasons: string[] = [];
    const stop = retryOnWake({ retryWaitingNow: async (why) => void reasons.push(why) }, 5);
    const polls = () => new Promise((r) => setTimeout(r, 30));
    await polls();
    expect(reasons).toEqual([]); // online all along
    fake.network.online = false;
    await polls();
    fake.network.online = true;
    await polls();
    stop();
    expect(reasons).toEqual(['back online']);
  });

  it('sets the native theme from the theme setting at start and on each change', async () => {
    expect(fake.nativeTheme.themeSource).toBe('system');
    await fake.handlers.get(wireName('settings:save'))!(ownEvent(), { theme: 'dark' });
    expect(fake.nativeTheme.themeSource).toBe('dark');
    await fake.handlers.get(wireName('settings:save'))!(ownEvent(), { theme: 'light' });
    expect(fake.nativeTheme.themeSource).toBe('light');
  });

  it('exports an item through the native save dialog: the renderer learns only the file name', async () => {
    const sent = await started.core.handlers['outbox:enqueue'](draft.parse({ accountId: SANDBOX_ACCOUNT_ID, to: ['b@example.test'], subject: 'Export me', text: 'body' }));
    const target = join(dataDir, 'exported.eml');
    fake.saveDialogResult.canceled = false;
    fake.saveDialogResult.filePath = target;
    const r = (await fake.handlers.get(wireName('outbox:export'))!(ownEvent(), { id: sent.id })) as { ok: true; value: Record<string, unknown> };
    expect(r.value).toEqual({ fileName: 'exported.eml', saved: true });
    expect(await fs.readFile(target, 'utf8')).toMatch(/Subject: Export me[\s\S]*body/);
  });

  it('opens a sign-in page in the system browser, and nothing that is not a web page', async () => {
    const { nativeHost } = await import('../../../electron/main/host/native-host');
    await nativeHost.openExternal!('https://login.example.test/authorize?x=1');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'http://attacker.example/']) {
      await expect(nativeHost.openExternal!(url)).rejects.toThrow(/not a web address/);
    }
    expect(fake.opened).toEqual(['https://login.example.test/authorize?x=1']);
  });

  // Last: it quits.
  it('quits in order: the window closes and its last draft save is answered, then the core writes what it holds, then the app quits', async () => {
    const quitsBefore = fake.app.quits;
    void started.core.recipients.record([{ name: 'Last', address: 'last@example.test' }]);
    // What the page does as it unloads: the composer saves its draft one last time.
    const page = window();
    let unloadSave: Promise<unknown> | undefined;
    page.once('close', () => (unloadSave = fake.handlers.get(wireName('drafts:save'))!({ sender: page.webContents, senderFrame: page.webContents.mainFrame }, { subject: 'Typed just before Quit' }) as Promise<unknown>));
    let prevented = 0;
    fake.app.emit('before-quit', { preventDefault: () => prevented++ });
    fake.app.emit('before-quit', { preventDefault: () => prevented++ }); // a second Quit meanwhile
    expect(prevented).toBe(2);
    await expect.poll(() => fake.app.quits).toBe(quitsBefore + 1);
    expect(await unloadSave).toMatchObject({ ok: true });
    expect(savedDrafts(dataDir).map((d) => d.subject)).toContain('Typed just before Quit');
    const { DatabaseSync } = (await import('../../../electron/core/db/sqlite')).sqlite();
    const db = new DatabaseSync(join(dataDir, 'mailwright.db'), { readOnly: true });
    expect(db.prepare('SELECT address FROM recent_recipients').all()).toContainEqual({ address: 'last@example.test' });
    db.close();
    // The quit that follows goes through.
    fake.app.emit('before-quit', { preventDefault: () => prevented++ });
    expect(prevented).toBe(2);
  });
});
