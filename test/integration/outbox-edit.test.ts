import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { draft as draftSchema, draftText, savedDraftInput, type DraftInput } from '../../shared/model/draft';
import type { SendProgress } from '../../shared/model/outbox';
import { DEFAULT_SETTINGS } from '../../shared/model/settings';
import { FakeClock } from '../helpers/fake-clock';
import { outboxHarness, reaches, saveAccount, testDraft } from '../helpers/outbox-harness';

// Taking messages back to the composer (edit, re-open), drafts that survive restarts, settings,
// and the outbox's reactions to the machine waking up — against real SMTP servers.
const { setup, smtp } = outboxHarness();
/** Named recipients, to see names come back when a message is reopened. */
const draft = (accountId: string, extra: Partial<DraftInput> = {}) => testDraft(accountId, { to: ['Bob <bob@example.test>'], ...extra });

async function attachmentFile(dir: string, name: string, content: string) {
  const path = join(dir, name);
  await fs.writeFile(path, content);
  return path;
}

describe('edit and re-open', () => {
  it('edit of a scheduled message cancels it durably and returns the draft as written, across a restart', async () => {
    const clock = new FakeClock();
    const first = await setup({ clock });
    const s = await smtp();
    const acc = await saveAccount(first.core, s.port);
    const file = await attachmentFile(first.dir, 'notes.txt', 'attached text');
    const [att] = await Promise.all([first.core.attachments.register(file)]);
    const d = draft(acc.id, { html: '<p>Später</p>', bcc: ['hidden@example.test'], attachments: [{ handle: att!.handle }], options: { sendAt: new Date(clock.now().getTime() + 3600_000).toISOString() } });
    const item = await first.core.outbox.enqueue(d);
    await first.core.close();

    const { core } = await setup({ clock, dir: first.dir }); // a new run: the old handle means nothing now
    const back = await core.handlers['outbox:edit']({ id: item.id });
    expect(back.missing).toEqual([]);
    expect({ ...back.draft, attachments: [] }).toEqual({ ...draftText(d), attachments: [] });
    expect(back.draft.attachments).toHaveLength(1);
    expect(core.attachments.describe(back.draft.attachments[0]!.handle)).toMatchObject({ name: 'notes.txt', size: 13 });
    expect((await core.outbox.list())[0]!.state).toBe('cancelled');
    clock.advance(7200_000);
    await core.outbox.idle();
    expect(s.sessions).toBe(0); // an edited message is never sent by the scheduler
  });

  it('a file removed since it was attached is named, not silently dropped', async () => {
    const { core, dir } = await setup();
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    const file = await attachmentFile(dir, 'gone.pdf', '%PDF');
    const att = await core.attachments.register(file);
    const item = await core.outbox.enqueue(draft(acc.id, { attachments: [{ handle: att.handle }], options: { undoSeconds: 30 } }));
    await fs.rm(file);
    const { core: second } = await setup({ dir }); // the restart forgets the handle; the file is gone too
    const back = await second.outbox.edit(item.id);
    expect(back.missing).toEqual(['gone.pdf']);
    expect(back.draft.attachments).toEqual([]);
  });

  it('re-open a sent message as a new draft: text, recipients, Bcc and attachments come back; the item stays sent', async () => {
    const { core, dir } = await setup();
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    const file = await attachmentFile(dir, 'Bericht März.txt', 'zahlen');
    const att = await core.attachments.register(file);
    const item = await core.outbox.enqueue(draft(acc.id, { subject: 'Zahlen für März', html: '<p>Hallo <b>Bob</b></p>', cc: ['"Lee, Carol" <carol@example.test>'], bcc: ['hidden@example.test'], attachments: [{ handle: att.handle }] }));
    await reaches(core, item.id, ['sent']);
    await fs.rm(file); // the original may be gone: the message itself holds the bytes

    const { draft: back } = await core.handlers['outbox:reopen']({ id: item.id });
    expect(back).toMatchObject({ accountId: acc.id, subject: 'Zahlen für März', to: ['Bob <bob@example.test>'], cc: ['"Lee, Carol" <carol@example.test>'], bcc: ['hidden@example.test'] });
    expect(back.html).toContain('<b>Bob</b>');
    const info = core.attachments.describe(back.attachments[0]!.handle);
    expect(info.name).toBe('Bericht März.txt');
    expect(await fs.readFile(core.attachments.resolve(info.handle).path, 'utf8')).toBe('zahlen');
    expect((await core.outbox.list())[0]!.state).toBe('sent');
    // And it goes out again as a new message, with a new Message-ID.
    const again = await core.outbox.enqueue(draftSchema.parse(back));
    await reaches(core, again.id, ['sent']);
    expect(again.messageId).not.toBe(item.messageId);
    expect([...s.received[1]!.to].sort()).toEqual(['bob@example.test', 'carol@example.test', 'hidden@example.test']);
  });

  it('re-open a message sent with a signature: the body comes back without it, and sending again adds it once', async () => {
    const { core } = await setup();
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    await core.handlers['accounts:set-signature']({ id: acc.id, html: '<p>Ana, Acme</p>' });
    const item = await core.outbox.enqueue(draft(acc.id, { html: '<p>Body text</p>', signature: true }));
    await reaches(core, item.id, ['sent']);
    const { draft: back } = await core.handlers['outbox:reopen']({ id: item.id });
    expect(back.html).toContain('Body text');
    expect(back.html).not.toContain('Ana, Acme');
    expect(back.signature).toBe(true);
    const again = await core.outbox.enqueue(draftSchema.parse(back));
    await reaches(core, again.id, ['sent']);
    expect(s.received[1]!.parsed.text?.match(/Ana, Acme/g)).toHaveLength(1);
  });

  it('edit is refused for a message that is already sent', async () => {
    const { core } = await setup();
    const s = await smtp();
    const item = await core.outbox.enqueue(draft((await saveAccount(core, s.port)).id));
    await reaches(core, item.id, ['sent']);
    await expect(core.outbox.edit(item.id)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
  });
});

describe('sent history and progress', () => {
  it('a sent item keeps the server, the reply and timings; progress counts the bytes up to the size', async () => {
    const { core } = await setup();
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    const progress: SendProgress[] = [];
    core.events.on('outbox:progress', (p) => progress.push(p));
    const item = await core.outbox.enqueue(draft(acc.id, { text: 'x'.repeat(300_000) }));
    const sent = await reaches(core, item.id, ['sent']);
    expect(sent.delivery).toMatchObject({ host: '127.0.0.1', port: s.port, security: 'none' });
    expect(sent.response).toMatch(/^250/);
    expect(progress.at(-1)).toEqual({ id: item.id, sent: item.size, size: item.size });
    expect(progress.every((p, i) => i === 0 || p.sent >= progress[i - 1]!.sent)).toBe(true);
  });
});

describe('drafts and settings', () => {
  it('a saved draft comes back after a restart with its attachments as live handles', async () => {
    const first = await setup();
    const file = await attachmentFile(first.dir, 'plan.txt', 'the plan');
    const att = await first.core.attachments.register(file);
    const saved = await first.core.handlers['drafts:save'](savedDraftInput.parse({ to: 'bob@exa', subject: 'Half-typed', html: '<p>draft</p>', attachments: [{ handle: att.handle }] }));
    await first.core.handlers['drafts:save'](savedDraftInput.parse({ id: saved.id, to: 'bob@example.test', subject: 'Half-typed', html: '<p>draft 2</p>', attachments: [{ handle: att.handle }] }));
    await first.core.close();

    const { core } = await setup({ dir: first.dir });
    const [back, ...rest] = await core.handlers['drafts:list'](undefined);
    expect(rest).toEqual([]);
    expect(back).toMatchObject({ id: saved.id, to: 'bob@example.test', html: '<p>draft 2</p>', missing: [] });
    expect(back!.attachments).toEqual([{ handle: expect.stringMatching(/^att_/), name: 'plan.txt', size: 8, contentType: 'text/plain' }]);
    expect(JSON.stringify(back)).not.toContain(first.dir); // the renderer never learns a path
    await core.handlers['drafts:remove']({ id: saved.id });
    expect(await core.handlers['drafts:list'](undefined)).toEqual([]);
  });

  it('settings default to a 10 s undo window and survive a damaged file', async () => {
    const { core, dir } = await setup();
    // Other fields are other features' (theme, language, mailto:...): this test is about these two.
    expect(await core.handlers['settings:get'](undefined)).toEqual({ ...DEFAULT_SETTINGS, undoSeconds: 10, notifyFailures: true });
    await core.handlers['settings:save']({ undoSeconds: 30 });
    expect((await core.handlers['settings:get'](undefined)).undoSeconds).toBe(30);
    await fs.writeFile(join(dir, 'settings.json'), '{"undoSeconds": 7, "notifyFailures": false}');
    expect(await core.handlers['settings:get'](undefined)).toEqual({ ...DEFAULT_SETTINGS, undoSeconds: 10, notifyFailures: false });
  });
});

describe('the server\'s size limit', () => {
  it('a settings test keeps the SIZE the server advertised, for the composer to warn against', async () => {
    const { core } = await setup();
    const s = await smtp({ size: 1_048_576 });
    const acc = await saveAccount(core, s.port);
    const report = await core.handlers['accounts:test']({ id: acc.id });
    expect(report.ok).toBe(true);
    const [saved] = (await core.handlers['accounts:list'](undefined)).filter((a) => a.id === acc.id);
    expect(saved!.lastTest).toMatchObject({ ok: true, maxSize: 1_048_576 });
  });
});

describe('waking up', () => {
  it('retryWaitingNow makes a waiting retry go out at once instead of at the end of its backoff', async () => {
    const { core, clock } = await setup();
    const s = await smtp({ failFirst: 1 });
    const item = await core.outbox.enqueue(draft((await saveAccount(core, s.port)).id));
    const waiting = await reaches(core, item.id, ['retrying']);
    expect(Date.parse(waiting.dueAt!)).toBeGreaterThan(clock.now().getTime());
    await core.outbox.retryWaitingNow('back online');
    const sent = await reaches(core, item.id, ['sent']);
    expect(sent.attempts).toBe(2);
  });
});
