import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { Database } from '../../electron/core/db/database';
import { OutboxRepository } from '../../electron/core/outbox/outbox-repository';
import { invokeChannel } from '../../electron/core/invoke';
import type { ErrorInfo } from '../../shared/errors';
import type { OutboxItem } from '../../shared/model/outbox';
import { launchChromium, openApp, serve } from '../helpers/browser';
import { FakeClock } from '../helpers/fake-clock';
import { injectWriteFaults } from '../helpers/fs-faults';
import { savedDrafts } from '../helpers/saved-drafts';
import { draft as draftSchema } from '../../shared/model/draft';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { noJitter, outboxHarness, reaches, saveAccount, TEST_RETRY, testDraft, testDraftInput } from '../helpers/outbox-harness';
import { tempDir } from '../helpers/temp-dir';

// Storage faults: damaged files at start, a full disk (ENOSPC injected into node:fs for the data
// directory only), a read-only data directory (EROFS injected the same way: we run as root, whom
// permissions do not stop) and a file where a directory must be. In every case the error is
// STORAGE_FAILED with a hint, nothing already queued is lost or changed, nothing is sent twice,
// and the app still starts.
const { setup, smtp, track } = outboxHarness();
afterEach(() => vi.restoreAllMocks());

const call = async (core: Core, channel: string, payload?: unknown) => invokeChannel(core.handlers, channel, payload);
const failure = async (core: Core, channel: string, payload?: unknown): Promise<ErrorInfo> => {
  const r = await call(core, channel, payload);
  expect(r.ok, `${channel} should have failed`).toBe(false);
  return (r as { ok: false; error: ErrorInfo }).error;
};
const expectStorageFailed = (error: ErrorInfo) => {
  expect(error.code).toBe('STORAGE_FAILED');
  expect(error.hint).toMatch(/writable|disk/i);
};
/** Every file under a directory with its bytes, to prove nothing changed; but the database's: what it holds is checked by query (its -shm changes with every reader). */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('mailwright.db')) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length + 1)] = (await fs.readFile(path)).toString('base64');
  }
  return out;
}
/** A core on a data directory that is not the harness's (so it can be made before the directory is damaged). */
const restart = async (dir: string, log?: (m: string) => void) =>
  track(await createCore({ dataDir: dir, clock: new FakeClock(), autoRun: true, retry: TEST_RETRY, random: noJitter, keychain: new MemorySecretStore(), log }));

describe('damaged files at start', () => {
  it('a truncated or nonsensical settings.json falls back to the defaults, and saving works again', async () => {
    const dir = tempDir();
    for (const damaged of ['{"undoSeconds": 5, "theme": "da', '\u0000\u0000\u0000', '{"undoSeconds": "lots", "theme": 7, "language": ["x"]}', '[]', 'null']) {
      await fs.writeFile(join(dir, 'settings.json'), damaged);
      const core = await restart(dir);
      const got = await call(core, 'settings:get');
      expect(got).toMatchObject({ ok: true, value: { undoSeconds: 10, theme: 'system', language: 'system' } });
      expect(await call(core, 'settings:save', { undoSeconds: 5 })).toMatchObject({ ok: true, value: { undoSeconds: 5 } });
      expect(JSON.parse(await fs.readFile(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ undoSeconds: 5 });
      await core.close();
    }
  });

  it('a truncated accounts.json is moved aside (kept, reported), the Sandbox still works, and accounts can be added again', async () => {
    const { core, dir } = await setup();
    const server = await smtp();
    expect((await saveAccount(core, server.port, 'Work')).name).toBe('Work');
    await core.close();
    const whole = await fs.readFile(join(dir, 'accounts.json'), 'utf8');
    await fs.writeFile(join(dir, 'accounts.json'), whole.slice(0, whole.length / 2));
    const logged: string[] = [];
    const again = await restart(dir, (m) => logged.push(m));
    const list = await call(again, 'accounts:list');
    expect(list).toMatchObject({ ok: true, value: [{ id: 'sandbox' }] });
    expect(logged.join('\n')).toMatch(/accounts\.json was unreadable and was moved to .*accounts\.json\.corrupt-\d+/);
    const aside = (await fs.readdir(dir)).filter((n) => n.startsWith('accounts.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await fs.readFile(join(dir, aside[0]!), 'utf8')).toBe(whole.slice(0, whole.length / 2));
    expect(await call(again, 'accounts:save', { name: 'Work', email: 'ana@example.test', displayName: '', host: '127.0.0.1', port: server.port, security: 'none' })).toMatchObject({ ok: true });
  });

  it('a damaged database is set aside and reported; the app starts; messages whose bytes survive come back for the user, never sent by themselves', async () => {
    const { core, dir, clock } = await setup();
    const server = await smtp();
    const account = await saveAccount(core, server.port);
    await fs.writeFile(join(dir, 'report.txt'), 'the attached report');
    const withFile = { attachments: [{ handle: (await core.attachments.register(join(dir, 'report.txt'))).handle }] };
    const later = { options: { sendAt: new Date(clock.now().getTime() + 3600_000).toISOString() } };
    const big = await core.outbox.enqueue(testDraft(account.id, { subject: 'with a file', ...withFile, ...later }));
    await core.outbox.enqueue(testDraft(account.id, { subject: 'small', ...later }));
    await core.close();
    const bytes = await fs.readFile(join(dir, 'messages', `${big.id}.eml`));
    // Garbage over the database (its WAL checkpointed into it on close); the next start comes a minute later.
    await fs.writeFile(join(dir, 'mailwright.db'), Buffer.alloc(64 * 1024, 0x5a));
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await fs.utimes(join(dir, 'messages', `${big.id}.eml`), aMinuteAgo, aMinuteAgo);

    const logged: string[] = [];
    const clock2 = new FakeClock(clock.now().getTime());
    const again = track(await createCore({ dataDir: dir, clock: clock2, autoRun: true, retry: TEST_RETRY, random: noJitter, keychain: new MemorySecretStore(), log: (m) => logged.push(m) }));
    expect(logged.join('\n')).toMatch(/the database failed its check and was moved to .*mailwright\.db\.damaged-/);
    const items = (await call(again, 'outbox:list')) as { ok: true; value: OutboxItem[] };
    // The message with a file is back from its own bytes, waiting for the user; the small one was in the damaged file, kept aside.
    expect(items.value).toEqual([expect.objectContaining({ id: big.id, state: 'outcome-unknown', subject: 'with a file', messageId: big.messageId, accountId: account.id, error: expect.objectContaining({ code: 'STORAGE_FAILED' }) })]);
    expect((await again.outbox.readMessage(items.value[0]!)).equals(bytes)).toBe(true);
    clock2.advance(2 * 3600_000);
    await again.outbox.idle();
    expect(server.transactions).toBe(0); // neither went out by itself
    // The user checked: sending it again goes, once, with its Message-ID.
    await again.outbox.resend(big.id);
    await reaches(again, big.id, ['sent']);
    expect(server.received.map((m) => m.parsed.messageId)).toEqual([big.messageId]);
    // New mail queues and goes as before.
    const fresh = await again.outbox.enqueue(testDraft(account.id, { subject: 'after' }));
    await reaches(again, fresh.id, ['sent']);
  });

  it('a rescue a crash cut short is finished at the next start: old message files are brought back, not removed as leftovers', async () => {
    const { core, dir, clock } = await setup();
    const account = await saveAccount(core, (await smtp()).port);
    await fs.writeFile(join(dir, 'report.txt'), 'the attached report');
    const withFile = { attachments: [{ handle: (await core.attachments.register(join(dir, 'report.txt'))).handle }] };
    const big = await core.outbox.enqueue(testDraft(account.id, { subject: 'with a file', ...withFile, options: { sendAt: new Date(clock.now().getTime() + 3600_000).toISOString() } }));
    await core.close();
    await fs.writeFile(join(dir, 'mailwright.db'), Buffer.alloc(64 * 1024, 0x5a));
    // The process that replaced the database died just after its first commit, before bringing anything back.
    const database = new Database({ dataDir: dir });
    const repo = new OutboxRepository(() => database.db);
    await database.write(() => repo.markRescuePending(Date.now()));
    await database.close();
    const old = new Date(Date.now() - 2 * 3600_000); // older than any build in progress could be
    await fs.utimes(join(dir, 'messages', `${big.id}.eml`), old, old);
    // A file written after the database was replaced is another process's build in progress: not the rescue's.
    await fs.writeFile(join(dir, 'messages', '0zzzzzzzz-aaaaaaaaaaaa.eml'), 'Subject: building\r\n\r\nstill being written');

    const again = await restart(dir);
    expect((await again.outbox.list()).map((i) => [i.id, i.state])).toEqual([[big.id, 'outcome-unknown']]);
    expect(await fs.readFile(join(dir, 'messages', '0zzzzzzzz-aaaaaaaaaaaa.eml'), 'utf8')).toContain('still being written');
  });
});

describe('a full disk (ENOSPC)', () => {
  it('refuses to queue with STORAGE_FAILED and a hint, leaves no half-queued message or litter, and keeps the earlier ones intact', async () => {
    const { core, dir } = await setup();
    const server = await smtp();
    const account = await saveAccount(core, server.port);
    const first = await core.outbox.enqueue(testDraft(account.id, { subject: 'before the disk filled' }));
    await reaches(core, first.id, ['sent']);
    await core.outbox.idle();
    const before = await snapshot(dir);

    const disk = injectWriteFaults(dir, 'ENOSPC');
    disk.database(core.database);
    const draft = testDraftInput(account.id, { subject: 'does not fit', text: 'x'.repeat(20_000) });
    expectStorageFailed(await failure(core, 'outbox:enqueue', draft));
    // Every place the composer or settings write to says the same, with a hint.
    expectStorageFailed(await failure(core, 'drafts:save', { subject: 'kept in the composer', to: 'bob@example.test' }));
    expectStorageFailed(await failure(core, 'settings:save', { undoSeconds: 30 }));
    expectStorageFailed(await failure(core, 'accounts:save', { name: 'Other', email: 'o@example.test', displayName: '', host: '127.0.0.1', port: 25, security: 'none' }));
    expect(disk.hits()).toBeGreaterThan(0);
    // The outbox still answers, with exactly what it had.
    const listed = await call(core, 'outbox:list');
    expect((listed as { value: OutboxItem[] }).value.map((i) => [i.id, i.state])).toEqual([[first.id, 'sent']]);
    disk.restore();

    // Nothing changed on disk: no half-built message, no temp file, the earlier message's bytes as they were.
    expect(await snapshot(dir)).toEqual(before);
    expect(savedDrafts(dir)).toEqual([]);
    // Space again: the same draft queues and goes out, once.
    const retried = await core.outbox.enqueue(draftSchema.parse(draft));
    await reaches(core, retried.id, ['sent']);
    expect(server.received.map((m) => m.parsed.subject)).toEqual(['before the disk filled', 'does not fit']);
  });

  it('a disk that fills while a message waits: it is not sent until its state can be written, then sent once', async () => {
    const logged: string[] = [];
    const { core, dir, clock } = await setup({ log: (m) => logged.push(m) });
    const server = await smtp();
    const account = await saveAccount(core, server.port);
    const item = await core.outbox.enqueue(testDraft(account.id, { subject: 'waits for space', options: { sendAt: new Date(clock.now().getTime() + 60_000).toISOString() } }));
    const disk = injectWriteFaults(dir, 'ENOSPC');
    disk.database(core.database);
    clock.advance(60_000);
    await expect.poll(() => logged.length).toBeGreaterThan(0);
    await core.outbox.idle();
    // "sending" could not be recorded, so not a byte went out.
    expect(server.transactions).toBe(0);
    expect((await core.outbox.get(item.id)).state).toBe('scheduled');
    disk.restore();
    core.outbox.wake();
    await reaches(core, item.id, ['sent']);
    expect(server.received).toHaveLength(1);
  });
});

describe('a data directory that cannot be written', () => {
  it('read-only (EROFS): the core still starts and lists everything, and queueing fails with STORAGE_FAILED', async () => {
    const { core, dir } = await setup();
    const server = await smtp();
    const account = await saveAccount(core, server.port);
    const sent = await core.outbox.enqueue(testDraft(account.id, { subject: 'sent before' }));
    await reaches(core, sent.id, ['sent']);
    await core.close();
    const before = await snapshot(dir);

    const ro = injectWriteFaults(dir, 'EROFS');
    const logged: string[] = [];
    const again = await restart(dir, (m) => logged.push(m));
    ro.database(again.database);
    expect((await call(again, 'accounts:list')) as { value: Array<{ name: string }> }).toMatchObject({ ok: true, value: [{ name: 'Sandbox' }, { name: 'Plain' }] });
    expect(await call(again, 'outbox:list')).toMatchObject({ ok: true, value: [{ id: sent.id, state: 'sent' }] });
    expect(await call(again, 'settings:get')).toMatchObject({ ok: true });
    expectStorageFailed(await failure(again, 'outbox:enqueue', testDraftInput(account.id, { subject: 'cannot be queued' })));
    expectStorageFailed(await failure(again, 'drafts:save', { subject: 'x' }));
    ro.restore();
    expect(await snapshot(dir)).toEqual(before);
    expect(savedDrafts(dir)).toEqual([]);
    expect(server.transactions).toBe(1);
  });

  it('a file where the messages folder must be: the core starts, says why a message with a file cannot be queued, and the rest works', async () => {
    const dir = tempDir();
    await fs.writeFile(join(dir, 'messages'), 'not a folder');
    await fs.writeFile(join(dir, 'report.txt'), 'attached');
    const core = await restart(dir);
    expect(await call(core, 'accounts:list')).toMatchObject({ ok: true });
    expect(await call(core, 'outbox:list')).toMatchObject({ ok: true, value: [] });
    const withFile = testDraftInput('sandbox', { attachments: [{ handle: (await core.attachments.register(join(dir, 'report.txt'))).handle }] });
    expectStorageFailed(await failure(core, 'outbox:enqueue', withFile));
    // A message without files is kept in the database, which works.
    expect(await call(core, 'outbox:enqueue', testDraftInput('sandbox'))).toMatchObject({ ok: true });
    expect(await call(core, 'drafts:save', { subject: 'kept as a draft' })).toMatchObject({ ok: true });
    expect(await fs.readFile(join(dir, 'messages'), 'utf8')).toBe('not a folder');
  });

  it('a database that cannot be opened (a folder in its place): the core starts, lists accounts, and queueing says STORAGE_FAILED', async () => {
    const dir = tempDir();
    await fs.mkdir(join(dir, 'mailwright.db'));
    const core = await restart(dir);
    expect(await call(core, 'accounts:list')).toMatchObject({ ok: true });
    expectStorageFailed(await failure(core, 'outbox:list'));
    expectStorageFailed(await failure(core, 'outbox:enqueue', testDraftInput('sandbox')));
    expect((await fs.stat(join(dir, 'mailwright.db'))).isDirectory()).toBe(true);
  });
});

describe('browser mode on a data directory whose database cannot be opened', () => {
  it('mailwright serve starts and shows the UI; Send says STORAGE_FAILED and the message stays in the composer', async () => {
    const dir = tempDir();
    await fs.mkdir(join(dir, 'mailwright.db'));
    const served = await serve(dir);
    const browser = await launchChromium();
    try {
      const page = await openApp(browser, served.url);
      await expect.poll(() => page.getByLabel('From').inputValue()).toBe('sandbox');
      await page.getByLabel('To', { exact: true }).fill('bob@example.test, ');
      await page.getByLabel('Subject', { exact: true }).fill('Nowhere to queue');
      await page.getByLabel('Message body').click();
      await page.keyboard.type('Keep me');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const alert = page.locator('.composer').getByRole('alert');
      await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toMatch(/STORAGE_FAILED/);
      expect(await alert.textContent()).toMatch(/writable|disk/i);
      expect(await page.getByLabel('Subject', { exact: true }).inputValue()).toBe('Nowhere to queue');
      expect(await page.getByLabel('Message body').textContent()).toContain('Keep me');
    } finally {
      await browser.close();
      await served.stop();
    }
  }, 60_000);
});
