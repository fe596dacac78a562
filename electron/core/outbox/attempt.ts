import { phrase } from '../../../shared/i18n/errors/phrase';
import type { OutboxItem } from '../../../shared/model/outbox';
import type { Database } from '../db/database';
import { errorInfo } from '../errors';
import { deliver, type DeliveryDeps } from './delivery';
import { outcomeOf } from './outcome';
import { isRefused } from './outbox-actions';
import type { Lease, OutboxRepository, Refused } from './outbox-repository';
import type { OutboxCheckpoint } from './outbox-service';
import type { RetryPolicy } from './retry-policy';
import type { Transition } from './transitions';

export interface AttemptDeps extends DeliveryDeps {
  database: Database;
  repo: OutboxRepository;
  retry: RetryPolicy;
  random?: () => number;
  log: (message: string, err?: unknown) => void;
  checkpoint?: (step: OutboxCheckpoint) => void;
  /** A change of the item under this attempt's lease (OutboxActions.change). */
  change: (id: string, action: Transition, make: (c: OutboxItem) => OutboxItem, lease?: Lease) => Promise<OutboxItem | Refused>;
}

/** This attempt's lease was taken over by another process before its final dot: it must not end the message. */
class LeaseLost extends Error {
  constructor(id: string) {
    super(`${id} was taken over by another process before it was sent`);
    this.name = 'LeaseLost';
  }
}

/** One delivery attempt of a message this process took under `lease`, and its outcome recorded. */
export async function attemptDelivery(item: OutboxItem, lease: Lease, deps: AttemptDeps): Promise<void> {
  const now = () => deps.clock.now();
  // The bytes must be exactly those built: a truncated or damaged file is never sent — a server
  // would deliver half a message.
  const stored = await deps.bytes.stored(item.id);
  if (stored.size !== item.size) {
    const error = errorInfo('STORAGE_FAILED', {
      message: stored.size < 0 ? phrase('err.outbox.fileMissing') : phrase('err.outbox.fileDamaged', { have: stored.size, size: item.size }),
      hint: phrase('err.outbox.fileDamaged.hint'),
    });
    const recorded = await deps.change(item.id, 'fail', (c) => ({ ...c, state: 'failed', error, updatedAt: now().toISOString() }), lease);
    if (isRefused(recorded)) deps.log(`${item.id} was not sent (its stored bytes are not those built), and another process took it over meanwhile`);
    return;
  }
  deps.checkpoint?.('sending');
  let leaseLost = false;
  const outcome = await deliver(item, stored.where, deps, () =>
    passNoReturn(item.id, lease, deps).catch((err: unknown) => {
      leaseLost = err instanceof LeaseLost;
      throw err;
    }),
  );
  // Taken over by another process before its final dot: this attempt ended nothing and records nothing.
  if (leaseLost) return void deps.log(`${item.id} was taken over by another process before it was sent; this attempt stopped`);
  if (outcome.ok) deps.checkpoint?.('accepted');
  const { action, make } = outcomeOf(outcome, item, deps.retry, now().getTime(), deps.random);
  const recorded = await deps.change(item.id, action, make, lease);
  // A lease another process took over meanwhile (this one froze): its verdict stands.
  if (isRefused(recorded)) deps.log(`the outcome of sending ${item.id} came after another process took it over`);
}

/**
 * Recorded durably before the message's final dot can go (delivery.ts heldBack): a crash before it
 * leaves a message the server cannot have taken, simply tried again; after it, one whose outcome
 * is unknown. A lease lost meanwhile (another process took the message over) stops this attempt
 * before the server can take it.
 */
async function passNoReturn(id: string, lease: Lease, deps: Pick<AttemptDeps, 'database' | 'repo' | 'checkpoint'>): Promise<void> {
  if (!(await deps.database.write(() => deps.repo.passNoReturn(id, lease)))) throw new LeaseLost(id);
  deps.checkpoint?.('past-no-return');
}
