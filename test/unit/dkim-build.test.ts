import { generateKeyPairSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AttachmentRegistry } from '../../electron/core/attachments/attachment-registry';
import { dkimRecord, importDkimKey } from '../../electron/core/deliverability/dkim-key';
import { dkimSigner, type DkimSigner } from '../../electron/core/deliverability/dkim-sign';
import { buildMessage } from '../../electron/core/message/build-message';
import { draft } from '../../shared/model/draft';
import { tempDir } from '../helpers/temp-dir';

// Signing as a message is built: a message with files is written aside while hashed, then behind
// its signature; a signer that fails ends the build with its error, never leaves it waiting.
const sender = { displayName: 'Tienda', email: 'orders@shop.test' };

async function withFile(dir: string) {
  const registry = new AttachmentRegistry();
  await fs.writeFile(join(dir, 'label.pdf'), Buffer.alloc(1_500_000, 7)); // several pieces through the signer
  const info = await registry.register(join(dir, 'label.pdf'));
  return { registry, d: draft.parse({ accountId: 'x', to: ['a@example.test'], subject: 'Etiqueta', text: 'Adjunta.', attachments: [{ handle: info.handle }] }) };
}

describe('DKIM at build time', () => {
  it('a message with files is stored signed, and nothing is left aside', async () => {
    const dir = tempDir();
    const { registry, d } = await withFile(dir);
    const key = importDkimKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const settings = { domain: 'shop.test', selector: 's1', keyType: 'rsa' as const, record: dkimRecord(key, 's1', 'shop.test') };
    const built = await buildMessage(d, sender, registry, join(dir, 'm.eml'), new Date(), undefined, dkimSigner(settings, key.pem));
    const stored = await fs.readFile(join(dir, 'm.eml'));
    expect(stored.length).toBe(built.size);
    expect(stored.toString('latin1')).toMatch(/^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=shop\.test;/);
    expect(await fs.readdir(dir)).toEqual(['label.pdf', 'm.eml']);
  });

  it('a signer that fails while a message with files is written ends the build with its error', { timeout: 20_000 }, async () => {
    const dir = tempDir();
    const { registry, d } = await withFile(dir);
    const failing: DkimSigner = {
      sign: () => Promise.reject(new Error('not used')),
      signStream: () => {
        // Reads nothing, as a signer that died would: without the failure ending the write, the build would wait forever.
        const input = new PassThrough({ highWaterMark: 0 });
        return { input, signature: new Promise((_, reject) => setTimeout(() => reject(new Error('signer broke')), 50)) };
      },
    };
    await expect(buildMessage(d, sender, registry, join(dir, 'm.eml'), new Date(), undefined, failing)).rejects.toThrow('signer broke');
    expect(await fs.readdir(dir)).toEqual(['label.pdf']);
  });
});
