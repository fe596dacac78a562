import { promises as fs } from 'node:fs';
import type { AddressObject } from 'mailparser';
import { phrase } from '../../../shared/i18n/errors/phrase';
import type { OutboxItem } from '../../../shared/model/outbox';
import type { Database } from '../db/database';
import { errorInfo } from '../errors';
import type { MessageBytes } from './message-bytes';
import type { OutboxRepository } from './outbox-repository';

/** Files younger than this before the rescue's start are taken for builds in progress. */
const BUILDING_MARGIN_MS = 1_000;

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value).flatMap((m) => (m.address ? [m.address] : []));

/**
 * After a damaged database was set aside and a new one made (until done, across starts): each message whose bytes are a file
 * (one with files attached) comes back from its own headers as outcome-unknown, for the user to
 * check — what it was doing is not known, so it is never sent by itself. Bcc was only in the
 * record, and the account is the one whose address sent it, if there is one.
 */
export async function rescueMessages(deps: { database: Database; repo: OutboxRepository; bytes: MessageBytes; now: number; since: number; accountFor: (address: string) => Promise<string | undefined> }): Promise<OutboxItem[]> {
  const { simpleParser } = await import('mailparser');
  const rescued: OutboxItem[] = [];
  // Only files written before the database was replaced: a younger one is a build in progress
  // (another process's), which commits its own row in the new database. A second's margin, as file
  // times follow the kernel's coarse clock.
  for (const file of (await deps.bytes.withoutRow()).filter((f) => f.mtimeMs < deps.since - BUILDING_MARGIN_MS)) {
    // One that cannot be read or parsed still comes back, with what is known (its size): the user decides.
    const parsed = await fs
      .readFile(file.path)
      .then((bytes) => simpleParser(bytes, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true }))
      .catch(() => undefined);
    const created = parseInt(file.id.split('-')[0] ?? '', 36);
    const sender = addresses(parsed?.from)[0] ?? '';
    const now = new Date(deps.now).toISOString();
    rescued.push({
      id: file.id,
      accountId: (await deps.accountFor(sender)) ?? '',
      messageId: parsed?.messageId ?? '',
      subject: parsed?.subject ?? '',
      from: parsed?.from?.text ?? '',
      sender,
      recipients: [...addresses(parsed?.to), ...addresses(parsed?.cc)],
      state: 'outcome-unknown',
      createdAt: Number.isFinite(created) ? new Date(created).toISOString() : now,
      updatedAt: now,
      attempts: 0,
      size: file.size,
      error: errorInfo('STORAGE_FAILED', { message: phrase('err.outbox.damagedRecord'), hint: phrase('err.outbox.damagedRecord.hint') }),
    });
  }
  // All in, and only then is the rescue done: a crash before leaves it pending for the next start.
  await deps.database.write(() => {
    for (const item of rescued) deps.repo.insert(item, undefined, { ifAbsent: true });
    deps.repo.rescueDone();
  });
  return rescued;
}
