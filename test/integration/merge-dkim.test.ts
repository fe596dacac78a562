import { generateKeyPairSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { dkimSecretId } from '../../electron/core/deliverability/dkim-keys';
import { mergeInput } from '../../shared/model/merge-schema';
import { cli } from '../helpers/cli';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

// A merge from an account that signs: every row signed; and a key that cannot be read pauses the
// merge with the error instead of skipping every row, and a resume after a new key sends them all.
const cores: Core[] = [];
let smtp: TestSmtpServer | undefined;
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await smtp?.close();
});

describe('a merge from an account that signs with DKIM', () => {
  it('pauses when the key is gone, and sends every row signed once it is back', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    smtp = await startTestSmtp({ mode: 'plain', noAuth: true });
    const added = await cli(['--data-dir', dataDir, '--json', 'account', 'add', 'Shop', '--email', 'orders@shop.test', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none']);
    const accountId = (added.json.account as { id: string }).id;
    const csv = join(dir, 'rows.csv');
    await fs.writeFile(csv, ['email,name', 'a@example.test,Ana', 'b@example.test,Bruno', 'c@example.test,Carmen'].join('\n'));
    const secrets = new MemorySecretStore();
    const core = await createCore({ dataDir, keychain: secrets });
    cores.push(core);
    await core.handlers['accounts:dkim-generate']({ id: accountId, selector: 'm1' });
    await secrets.delete(dkimSecretId(accountId)); // the keychain lost it (another machine, a reset)

    const data = await core.attachments.register(csv);
    const request = mergeInput.parse({ accountId, message: { subject: 'Hola {{ name }}', text: 'Para {{ name }}' }, data: { handle: data.handle } });
    const started = await core.handlers['merge:start'](request);
    const paused = await core.handlers['merge:wait']({ id: started.id });
    expect(paused.state).toBe('paused');
    expect(paused.error?.message).toBe('The DKIM key of "Shop" is not in the secret store.');
    expect(paused.counts).toMatchObject({ pending: 3, sent: 0 });
    expect((await core.handlers['merge:report']({ id: started.id })).rows.map((r) => r.state)).toEqual(['pending', 'pending', 'pending']);
    expect(smtp.received).toHaveLength(0);

    await core.handlers['accounts:dkim-generate']({ id: accountId, selector: 'm2' });
    await core.handlers['merge:resume']({ id: started.id });
    const done = await core.handlers['merge:wait']({ id: started.id });
    expect(done).toMatchObject({ state: 'done', counts: { sent: 3, pending: 0 } });
    expect(smtp.received).toHaveLength(3);
    for (const m of smtp.received) expect(m.raw.toString('latin1')).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=shop\.test;\r?\n?[^]*?\bs=m2;/);
  });

  it('refuses to sign with a key that is not the one its record publishes', { timeout: 30_000 }, async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const added = await cli(['--data-dir', dataDir, '--json', 'account', 'add', 'Shop', '--email', 'orders@shop.test', '--host', '127.0.0.1', '--port', '2525', '--security', 'none']);
    const accountId = (added.json.account as { id: string }).id;
    const secrets = new MemorySecretStore();
    const core = await createCore({ dataDir, keychain: secrets });
    cores.push(core);
    await core.handlers['accounts:dkim-generate']({ id: accountId, selector: 'm1' });
    // Another key in the store than the record says (a save cut short, another process's key).
    await secrets.set(dkimSecretId(accountId), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const refused = core.handlers['outbox:enqueue']({ accountId, to: [{ name: '', address: 'a@example.test' }], cc: [], bcc: [], subject: 'x', text: 'x', attachments: [] });
    await expect(refused).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', message: 'The DKIM key of "Shop" in the secret store does not match the record it publishes.' } });
  });
});
