import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { savedDraftInput } from '../../shared/model/draft';
import { startWebServer } from '../../electron/web/server';
import { outboxHarness, saveAccount, testDraft } from '../helpers/outbox-harness';

const { setup, smtp, track } = outboxHarness();

/** A file as browser mode stores an upload: uploads/<random>/<name>. */
async function upload(dataDir: string, folder: string, name: string) {
  const dir = join(dataDir, 'uploads', folder);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(join(dir, name), name);
  return join(dir, name);
}

describe('browser mode uploads across restarts', () => {
  it('keeps the uploads a saved draft or a waiting message needs, and removes the rest', async () => {
    const { core, dir, clock } = await setup();
    const s = await smtp();
    const acc = await saveAccount(core, s.port);
    const forDraft = await core.attachments.register(await upload(dir, 'a', 'draft.txt'));
    const forScheduled = await core.attachments.register(await upload(dir, 'b', 'scheduled.txt'));
    await upload(dir, 'c', 'sent-long-ago.txt');
    await core.handlers['drafts:save'](savedDraftInput.parse({ subject: 'later', attachments: [{ handle: forDraft.handle }] }));
    await core.outbox.enqueue(testDraft(acc.id, { attachments: [{ handle: forScheduled.handle }], options: { sendAt: new Date(clock.now().getTime() + 3600_000).toISOString() } }));

    track(await startWebServer(core, { rendererDir: dir }));
    expect((await fs.readdir(join(dir, 'uploads'))).sort()).toEqual(['a', 'b']);
  });
});
