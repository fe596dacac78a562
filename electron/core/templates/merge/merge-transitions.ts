import type { MergeState } from '../../../../shared/model/merge';

/** Every change of a merge's state, in one place; the repository refuses any other in the statement that writes it. */
export const MERGE_TRANSITIONS = {
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused', 'running'], to: 'running' },
  cancel: { from: ['running', 'paused'], to: 'cancelled' },
  /** No row is left to queue and none is in flight. */
  finish: { from: ['running'], to: 'done' },
} as const satisfies Record<string, { from: readonly MergeState[]; to: MergeState }>;

export type MergeTransition = keyof typeof MERGE_TRANSITIONS;
