import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaughtMessageSummary } from '../../shared/model/sandbox';
import type { OutboxItem } from '../../shared/model/outbox';
import { createCore } from '../../electron/core/core';
import { invokeChannel } from '../../electron/core/invoke';
import { tempDir } from '../helpers/temp-dir';

describe('the sandbox account and server, through the contract handlers', () => {
  it('catches an HTML message with an attachment and serves its parts for preview', async () => {
    const dir = tempDir();
    const core = await createCore({ dataDir: dir });
    try {
      const caught: CaughtMessageSummary[] = [];
      const changes: OutboxItem['state'][] = [];
      core.events.on('sandbox:caught', (m) => caught.push(m));
      core.events.on('outbox:changed', (i) => changes.push(i.state));
      const accounts = await invokeChannel(core.handlers, 'accounts:list', undefined);
      expect(accounts).toMatchObject({ ok: true, value: [{ id: 'sandbox', isDefault: true }] });

      await fs.writeFile(join(dir, 'note.txt'), 'attached text');
      const { handle } = await core.attachments.register(join(dir, 'note.txt'));
      const queued = await invokeChannel(core.handlers, 'outbox:enqueue', {
        accountId: 'sandbox',
        to: ['Зоя <zoya@example.test>'],
        subject: 'Vista previa',
        html: '<p>Hello <b>sandbox</b> <img src="https://tracker.example.test/p.gif"></p>',
        attachments: [{ handle }],
      });
      expect(queued.ok).toBe(true);
      const item = await core.outbox.settled((queued as { value: OutboxItem }).value.id);
      expect(item.state).toBe('sent');
      expect(changes).toEqual(['sending', 'sent']); // due now with a slot free: committed straight as sending
      expect(caught).toHaveLength(1);

      const list = await invokeChannel(core.handlers, 'sandbox:list', undefined);
      expect(list).toMatchObject({ ok: true, value: [{ subject: 'Vista previa', envelopeTo: ['zoya@example.test'] }] });
      const got = await invokeChannel(core.handlers, 'sandbox:get', { id: caught[0]!.id });
      if (!got.ok) throw new Error(got.error.message);
      const message = got.value as { html: string; text: string; headers: Array<{ key: string; value: string }>; attachments: Array<{ filename: string }>; raw: string };
      expect(message.html).toContain('<b>sandbox</b>');
      expect(message.text).toContain('Hello sandbox');
      expect(message.headers.map((h) => h.key)).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'message-id', 'date']));
      expect(message.headers.find((h) => h.key === 'to')?.value).toBe('Зоя <zoya@example.test>'); // decoded for reading
      expect(message.headers.find((h) => h.key === 'subject')?.value).toBe('Vista previa');
      expect(message.attachments).toEqual([expect.objectContaining({ filename: 'note.txt', size: 13 })]);
      expect(message.raw).toContain(item.messageId);

      expect(await invokeChannel(core.handlers, 'sandbox:get', { id: '../accounts' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(await invokeChannel(core.handlers, 'sandbox:get', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    } finally {
      await core.close();
    }
  });

  it('keeps the blind copies apart: the outbox item, the preview and the caught message name them as Bcc', async () => {
    const core = await createCore({ dataDir: tempDir() });
    try {
      const draft = { accountId: 'sandbox', to: ['ana@example.test'], cc: ['Bob <bob@example.test>'], bcc: ['secret-bcc@example.org'], subject: 'Blind', text: 'x' };
      const preview = await invokeChannel(core.handlers, 'message:preview', draft);
      expect(preview).toMatchObject({ ok: true, value: { envelopeTo: ['ana@example.test', 'bob@example.test', 'secret-bcc@example.org'], bcc: ['secret-bcc@example.org'] } });
      const caught: CaughtMessageSummary[] = [];
      core.events.on('sandbox:caught', (m) => caught.push(m));
      const queued = (await invokeChannel(core.handlers, 'outbox:enqueue', draft)) as { value: OutboxItem };
      expect(queued.value).toMatchObject({ recipients: ['ana@example.test', 'bob@example.test', 'secret-bcc@example.org'], bcc: ['secret-bcc@example.org'] });
      expect((await core.outbox.settled(queued.value.id)).state).toBe('sent');
      expect(caught[0]).toMatchObject({ bcc: ['secret-bcc@example.org'] });
      const got = await invokeChannel(core.handlers, 'sandbox:get', { id: caught[0]!.id });
      expect(got).toMatchObject({ ok: true, value: { bcc: ['secret-bcc@example.org'] } });
      expect(JSON.stringify(got)).not.toContain('"visible"');
      expect((got as { value: { raw: string } }).value.raw).not.toContain('secret-bcc');
    } finally {
      await core.close();
    }
  });

  it('the sandbox server listens on loopback only and refuses other logins', async () => {
    const core = await createCore({ dataDir: tempDir() });
    try {
      const live = await core.sandbox.ensureStarted();
      const nodemailer = (await import('nodemailer')).default;
      const t = nodemailer.createTransport({ host: '127.0.0.1', port: live.port, secure: false, ignoreTLS: true, auth: { user: 'sandbox', pass: 'guess' } });
      await expect(t.sendMail({ from: 'a@x.test', to: 'b@x.test', text: 'x' })).rejects.toMatchObject({ code: 'EAUTH' });
      t.close();
      const other = nodemailer.createTransport({ host: '127.0.0.1', port: live.port, secure: false, ignoreTLS: true });
      await expect(other.sendMail({ from: 'a@x.test', to: 'b@x.test', text: 'x' })).rejects.toBeTruthy();
      other.close();
    } finally {
      await core.close();
    }
  });
});
