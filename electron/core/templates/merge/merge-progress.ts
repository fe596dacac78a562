import type { MergeStatus } from '../../../../shared/model/merge';
import type { CoreEvents } from '../../events';

/** How often a running merge's status is told to the windows and the CLI at most. */
const STATUS_EVERY_MS = 250;
/**
 * And at most once in this many times what counting its rows took last (a count reads every row,
 * ~10 ms at 10,000: told every 250 ms it was ~5 % of a long merge's work, bench/merge.ts), yet at
 * least every STATUS_AT_LEAST_MS, whatever one slow count took.
 */
const STATUS_COST_SHARE = 50;
const STATUS_AT_LEAST_MS = 5_000;

/**
 * Tells a merge's status (`merge:progress`) as it goes: soon after its rows change, at once when
 * its state does (done, paused, cancelled), which must not wait behind a count.
 */
export class MergeProgress {
  /** Status told soon, by merge. */
  private readonly telling = new Map<string, NodeJS.Timeout>();
  private closed = false;
  /** What telling a status took the last time (its rows counted). */
  private statusMs = 0;

  constructor(
    private readonly deps: {
      /** The merge's status now (undefined: it is gone). */
      statusOf: (id: string) => MergeStatus | undefined;
      events: CoreEvents;
      log: (message: string, err?: unknown) => void;
    },
  ) {}

  changed(id: string, stateChanged = false): void {
    if (this.closed) return;
    if (stateChanged) {
      clearTimeout(this.telling.get(id));
      this.telling.delete(id);
      return this.tell(id);
    }
    if (this.telling.has(id)) return;
    const timer = setTimeout(
      () => {
        this.telling.delete(id);
        this.tell(id);
      },
      Math.min(STATUS_AT_LEAST_MS, Math.max(STATUS_EVERY_MS, this.statusMs * STATUS_COST_SHARE)),
    );
    timer.unref();
    this.telling.set(id, timer);
  }

  /** Nothing more is told (the database is about to close). */
  close(): void {
    this.closed = true;
    for (const timer of this.telling.values()) clearTimeout(timer);
    this.telling.clear();
  }

  /** Best effort, as events are: a status that cannot be read now is told with the next change. */
  private tell(id: string): void {
    const started = performance.now();
    try {
      const status = this.deps.statusOf(id);
      if (status) this.deps.events.emit('merge:progress', status);
    } catch (err) {
      this.deps.log(`the status of the merge ${id} could not be read`, err);
    } finally {
      this.statusMs = performance.now() - started;
    }
  }
}
