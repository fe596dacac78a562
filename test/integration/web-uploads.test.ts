import { promises as fs } from 'node:fs';
import { connect } from 'node:net';
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

describe('browser mode requests that go wrong half-way', () => {
  it('an upload cut off mid-body leaves no file behind; malformed percent-encoding is a 404 or a 400, not a 500', async () => {
    const { core, dir } = await setup();
    const server = track(await startWebServer(core, { rendererDir: dir }));
    const before = await fs.readdir(join(dir, 'uploads')).catch(() => [] as string[]);
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(`POST /api/upload?name=big.bin HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\nContent-Length: 100000\r\n\r\nabc`);
    await expect.poll(async () => (await fs.readdir(join(dir, 'uploads')).catch(() => [] as string[])).length).toBe(before.length + 1);
    socket.destroy();
    await expect.poll(async () => (await fs.readdir(join(dir, 'uploads')).catch(() => [] as string[])).sort()).toEqual(before.sort());

    const origin = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${origin}/%E0%A4%A`)).status).toBe(404);
    const api = await fetch(`${origin}/api/%E0%A4%A`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}` } });
    expect(api.status).toBe(400);
    expect(await api.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('browser mode uploads with long names', () => {
  it('a name over 255 bytes of UTF-8 is shortened, not answered with INTERNAL_ERROR, over HTTP and over the channel', async () => {
    const { core, dir } = await setup();
    const server = track(await startWebServer(core, { rendererDir: dir }));
    const name = `${'Ж'.repeat(126)}.txt`; // 252 characters, 256 bytes with the extension: one byte too many
    const res = await fetch(`http://127.0.0.1:${server.port}/api/upload?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}`, 'Content-Length': '2' }, body: 'hi' });
    const body = (await res.json()) as { ok: boolean; value: { name: string } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.value.name).toMatch(/^Ж+\.txt$/);
    expect(Buffer.byteLength(body.value.name)).toBeLessThanOrEqual(255);
    const added = await core.handlers['attachments:add']({ name: `${'漢'.repeat(100)}.md`, base64: 'aGk=' });
    expect(Buffer.byteLength(added.name)).toBeLessThanOrEqual(255);
  });
});

describe('browser mode request bodies', () => {
  it('a body over its channel’s size is 413 and one nested too deep is 400, both before parsing; a fair one still works', async () => {
    const { core, dir } = await setup();
    const server = track(await startWebServer(core, { rendererDir: dir }));
    const post = (channel: string, body: string) => fetch(`http://127.0.0.1:${server.port}/api/${channel}`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' }, body });
    const big = await post('accounts:list', JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('larger than this operation takes') } });
    // A message's bodies may be large on the channels that carry them.
    const fair = await post('message:to-text', JSON.stringify({ html: `<p>${'a'.repeat(2 * 1024 * 1024)}</p>` }));
    expect(fair.status).toBe(200);
    const deep = await post('outbox:enqueue', `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({ error: { message: expect.stringContaining('nests deeper than') } });
    // Brackets inside strings are text, not nesting.
    const inString = await post('message:to-text', JSON.stringify({ html: '['.repeat(100) + '{'.repeat(100) }));
    expect(inString.status).toBe(200);
    expect(((await (await post('accounts:list', '')).json()) as { ok: boolean }).ok).toBe(true);
  });
});
