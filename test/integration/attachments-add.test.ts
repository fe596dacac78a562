import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_ADDED_BASE64 } from '../../shared/model/message-size';
import { savedDraftInput } from '../../shared/model/draft';
import { invokeChannel } from '../../electron/core/invoke';
import { pruneUploads } from '../../electron/core/attachments/uploads';
import { outboxHarness } from '../helpers/outbox-harness';

// A file dropped or pasted into the composer reaches main as bytes, never as a path: main keeps it
// under uploads/ and hands back a handle like for any picked file.
const { setup } = outboxHarness();

describe('attachments:add', () => {
  it('stores the bytes under uploads/ with a safe name, whatever name the page sends', async () => {
    const { core, dir } = await setup();
    const bytes = Buffer.from('dropped bytes ✓');
    const r = await invokeChannel(core.handlers, 'attachments:add', { name: '../../../etc/passwd', base64: bytes.toString('base64') });
    expect(r.ok).toBe(true);
    const info = r.ok ? (r.value as { handle: string; name: string; size: number }) : undefined;
    expect(info).toMatchObject({ name: 'passwd', size: bytes.length });
    const path = core.attachments.resolve(info!.handle).path;
    const inside = relative(join(dir, 'uploads'), path).split(sep);
    expect(inside).toHaveLength(2); // uploads/<random>/passwd
    expect(inside[0]).not.toBe('..');
    expect(await fs.readFile(path)).toEqual(bytes);
  });

  it('refuses what is not base64, and more than the limit, before anything is written', async () => {
    const { core, dir } = await setup();
    const bad = await invokeChannel(core.handlers, 'attachments:add', { name: 'x.txt', base64: 'not base64!' });
    expect(bad.ok ? '' : bad.error.code).toBe('INVALID_INPUT');
    const huge = await invokeChannel(core.handlers, 'attachments:add', { name: 'x.bin', base64: 'A'.repeat(MAX_ADDED_BASE64 + 4) });
    expect(huge.ok ? '' : huge.error.code).toBe('INVALID_INPUT');
    const path = await invokeChannel(core.handlers, 'attachments:add', { name: 'x.txt', base64: '', path: '/etc/passwd' });
    expect(path.ok ? '' : path.error.code).toBe('INVALID_INPUT');
    expect(await fs.readdir(join(dir, 'uploads')).catch(() => [])).toEqual([]);
  });

  it('a dropped file no draft or message needs is removed at the next start; one a draft keeps stays', async () => {
    const { core, dir } = await setup();
    const add = async (name: string) => {
      const r = await invokeChannel(core.handlers, 'attachments:add', { name, base64: Buffer.from(name).toString('base64') });
      return r.ok ? (r.value as { handle: string }).handle : '';
    };
    const kept = await add('kept.txt');
    await add('dropped-then-removed.txt');
    await core.handlers['drafts:save'](savedDraftInput.parse({ subject: 'keeps a file', attachments: [{ handle: kept }] }));
    await pruneUploads(core);
    const left = await fs.readdir(join(dir, 'uploads'));
    expect(left).toHaveLength(1);
    expect(await fs.readdir(join(dir, 'uploads', left[0]!))).toEqual(['kept.txt']);
  });

  it('when a draft cannot be read, nothing is removed: it may need any of them', async () => {
    const { core, dir } = await setup();
    await invokeChannel(core.handlers, 'attachments:add', { name: 'maybe-needed.txt', base64: Buffer.from('x').toString('base64') });
    // A draft file that cannot be read (here a folder where a file must be; on a real disk, a
    // permission or I/O error).
    await fs.mkdir(join(dir, 'drafts', 'd_unreadable0.json'), { recursive: true });
    await pruneUploads(core);
    expect(await fs.readdir(join(dir, 'uploads'))).toHaveLength(1);
  });
});
