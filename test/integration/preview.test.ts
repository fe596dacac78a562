import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { draft, draftFields } from '../../shared/model/draft';
import { invokeChannel } from '../../electron/core/invoke';
import { outboxHarness, saveAccount, until } from '../helpers/outbox-harness';

const { setup, smtp } = outboxHarness();
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('preview as delivered', () => {
  it('shows the draft built exactly as the outbox sends it: same parts, headers and envelope', async () => {
    const { core, dir } = await setup();
    const server = await smtp();
    const acc = await saveAccount(core, server.port);
    await core.handlers['accounts:set-signature']({ id: acc.id, html: '<p>Ana from Acme</p>' });
    await fs.writeFile(join(dir, 'notes.txt'), 'hello file');
    const file = await core.attachments.register(join(dir, 'notes.txt'));
    const fields = {
      accountId: acc.id,
      to: ['Bob <bob@example.test>'],
      bcc: ['hidden@example.test'],
      subject: 'Plan — ñ',
      html: `<p>Chart:</p><img src="data:image/png;base64,${PNG.toString('base64')}">`,
      signature: true,
      attachments: [{ handle: file.handle }],
    };
    const preview = await core.handlers['message:preview'](draftFields.parse(fields));
    expect(preview.subject).toBe('Plan — ñ');
    expect(preview.envelopeTo.sort()).toEqual(['bob@example.test', 'hidden@example.test']);
    expect(preview.headers.some((h) => /^bcc$/i.test(h.key))).toBe(false);
    expect(preview.text).toMatch(/Chart:\n\n-- \nAna from Acme/);
    expect(preview.attachments.map((a) => [a.filename, a.contentType, a.inline]).sort()).toEqual([
      ['image-1.png', 'image/png', true],
      ['notes.txt', 'text/plain', false],
    ]);
    expect(preview.raw).toMatch(/multipart\/related/i);
    // Nothing is left behind, nothing was queued.
    expect(await fs.readdir(join(dir, 'previews'))).toEqual([]);
    expect(await core.outbox.list()).toEqual([]);

    // The message really sent has the same structure and bodies.
    const item = await core.outbox.enqueue(draft.parse(fields));
    await until(core, item.id, (i) => i.state === 'sent', 'sent');
    const received = server.received.at(-1)!;
    expect(received.raw.toString()).toMatch(/multipart\/related/i);
    expect(received.parsed.text).toBe(preview.text);
  });

  it('previews a draft with no recipient yet, and refuses an invalid address with the reason', async () => {
    const { core } = await setup();
    const preview = await core.handlers['message:preview'](draftFields.parse({ accountId: 'sandbox', subject: 'x', text: 'plain body' }));
    expect(preview.text).toBe('plain body\n');
    expect(preview.envelopeTo).toEqual([]);
    const bad = await invokeChannel(core.handlers, 'message:preview', { accountId: 'sandbox', to: ['not an address'], text: 'x' });
    expect(bad.ok ? undefined : bad.error.code).toBe('INVALID_INPUT');
    expect(bad.ok ? '' : bad.error.message).toContain('not an address');
  });

  it('the signature belongs to the account: set, shown in the list, kept by an edit of the settings, removed when emptied', async () => {
    const { core } = await setup();
    const acc = await saveAccount(core, 2525);
    await core.handlers['accounts:set-signature']({ id: acc.id, html: '<p>Sig</p>' });
    await core.handlers['accounts:set-signature']({ id: 'sandbox', html: '<p>Sandbox sig</p>' });
    await core.handlers['accounts:save']({ id: acc.id, name: 'Plain', email: 'ana@example.test', displayName: 'Ana', host: '127.0.0.1', port: 2526, security: 'none' });
    let list = await core.handlers['accounts:list'](undefined);
    expect(list.find((a) => a.id === acc.id)?.signature).toBe('<p>Sig</p>');
    expect(list.find((a) => a.id === 'sandbox')?.signature).toBe('<p>Sandbox sig</p>');
    await core.handlers['accounts:set-signature']({ id: acc.id, html: '' });
    list = await core.handlers['accounts:list'](undefined);
    expect(list.find((a) => a.id === acc.id)?.signature).toBeUndefined();
  });
});
