import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Draft } from '../../../shared/model/draft';
import type { DeliveredPreview } from '../../../shared/model/message-view';
import type { AccountStore, StoredAccount } from '../accounts/account-store';
import type { DkimSigner } from '../deliverability/dkim-sign';
import type { AttachmentRegistry } from '../attachments/attachment-registry';
import { buildMessage } from './build-message';
import { readMessage } from './read-message';

export interface PreviewDeps {
  accounts: AccountStore;
  attachments: AttachmentRegistry;
  /** Where the message is built for a moment: inside the data directory, which only the user can read. */
  dir: string;
  now: () => Date;
  /** The account's DKIM signer, so the preview carries the signature too. */
  signerFor?: (account: StoredAccount) => Promise<DkimSigner> | undefined;
}

/**
 * "Preview as delivered": the draft goes through the very builder the outbox uses, and the bytes
 * it writes are read back as the viewer shows them. Only the Message-ID and Date are made anew
 * when the message is really sent.
 */
export async function previewMessage(d: Draft, deps: PreviewDeps): Promise<DeliveredPreview> {
  const sender = await deps.accounts.getStored(d.accountId);
  await fs.mkdir(deps.dir, { recursive: true, mode: 0o700 });
  const path = join(deps.dir, `${randomBytes(8).toString('hex')}.eml`);
  try {
    const built = await buildMessage(d, sender, deps.attachments, path, deps.now(), undefined, await deps.signerFor?.(sender));
    const view = await readMessage(built.bytes ?? (await fs.readFile(path)));
    const { visible: _visible, ...shown } = view;
    return { ...shown, envelopeTo: built.envelope.to, bcc: built.bcc, size: built.size };
  } finally {
    await fs.rm(path, { force: true });
  }
}
