import type { OutboxItem } from '../../../shared/model/outbox';
import type { AccountStore } from '../accounts/account-store';
import type { Database } from '../db/database';
import type { MessageBytes } from './message-bytes';
import { interruptedError } from './outcome';
import type { OutboxRepository } from './outbox-repository';
import { rescueMessages } from './rescue-messages';

export interface StartUpRepairDeps {
  database: Database;
  repo: OutboxRepository;
  bytes: MessageBytes;
  accounts: Pick<AccountStore, 'list'>;
  /** This process, as the queue's runners and leases name it. */
  owner: string;
  now: number;
  changed: (item: OutboxItem) => void;
}

/**
 * At start: a message whose sender died mid-send is, once its lease runs out, tried again if its
 * final dot cannot have gone, else outcome-unknown, never resent blindly; what became due while
 * nothing was sending waits for the user (overdue),
 * unless another process sends due mail now (the app beside this CLI). Orphaned files of builds a
 * crash cut short go — unless the database was damaged and made anew, when they are all there is.
 */
export async function repairAtStart({ database, repo, bytes, accounts, owner, now, changed }: StartUpRepairDeps): Promise<void> {
  const { found, rescue } = await database.write(() => {
    // The records were in the damaged database: the message files written before now are all that
    // is left of them (on the real clock: it is compared with the files' times).
    if (database.movedAside) repo.markRescuePending(Date.now());
    const found = [...repo.expireLeases(now, interruptedError()), ...(repo.otherRunnerAt(now, owner) ? [] : repo.markOverdue(now))];
    return { found, rescue: repo.rescuePending() };
  });
  found.forEach(changed);
  if (rescue === undefined) return bytes.removeOrphans();
  const accountFor = async (address: string) => (await accounts.list()).find((a) => a.email.toLowerCase() === address.toLowerCase())?.id;
  (await rescueMessages({ database, repo, bytes, now, since: rescue, accountFor })).forEach(changed);
}
