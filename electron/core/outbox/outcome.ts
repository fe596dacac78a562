import { phrase } from '../../../shared/i18n/errors/phrase';
import type { OutboxItem } from '../../../shared/model/outbox';
import { errorInfo, withHint } from '../errors';
import type { Delivered } from './delivery';
import { backoffMs, isTemporary, waitsForSignIn, type RetryPolicy } from './retry-policy';
import type { Transition } from './transitions';

/** What an attempt's outcome makes of its message: the transition, and the message after it. */
export interface OutcomeChange {
  action: Transition;
  make: (current: OutboxItem) => OutboxItem;
}

/** What a message whose sender stopped answering mid-send is told: it may have arrived, the user decides. */
export const interruptedError = () => errorInfo('OUTCOME_UNKNOWN', { message: phrase('err.outbox.interrupted'), hint: phrase('err.outbox.interrupted.hint') });

/** What a message is told whose senders died before it could be sent, `count` times: it was never sent. */
export const diedBeforeSending = (count: number) => errorInfo('INTERNAL_ERROR', { message: phrase('err.outbox.diedBeforeSending', { count }), hint: phrase('err.outbox.diedBeforeSending.hint') });

/** `item` without `keys` (a state that no longer has them). */
export const without = (item: OutboxItem, ...keys: Array<keyof OutboxItem>): OutboxItem => {
  const next = { ...item };
  for (const key of keys) delete next[key];
  return next;
};

/**
 * The message after an attempt: delivered (to all, or some), or failed — a retry with backoff, a
 * wait for a sign-in, failed for good, or, when the connection broke after the whole message had
 * gone out, outcome-unknown (never resent by itself: the server may have it).
 */
export function outcomeOf(outcome: Delivered, item: OutboxItem, policy: RetryPolicy, now: number, random?: () => number): OutcomeChange {
  const updatedAt = new Date(now).toISOString();
  if (outcome.ok) {
    return {
      action: 'delivered',
      make: (c) => ({
        ...without(c, 'error', 'pending', 'dueAt'),
        state: outcome.rejected.length ? 'partially-delivered' : 'sent',
        accepted: [...new Set([...(c.accepted ?? []), ...outcome.accepted])],
        rejected: outcome.rejected,
        response: outcome.response,
        delivery: outcome.delivery,
        updatedAt,
      }),
    };
  }
  const { error } = outcome;
  if (outcome.afterWholeMessage) {
    // What broke off (the connection lost…) follows as a sentence of its own, in its own words.
    const unknown = errorInfo('OUTCOME_UNKNOWN', {
      message: [phrase('err.outbox.noAnswer'), ...(error.text?.message ?? [])],
      hint: phrase('err.outbox.noAnswer.hint'),
      ...(error.text?.quote ? { quote: error.text.quote } : {}),
    });
    return { action: 'unknown', make: (c) => ({ ...c, state: 'outcome-unknown', error: unknown, updatedAt }) };
  }
  if (waitsForSignIn(error.code)) {
    // Nothing is wrong with the message: it waits, without a deadline, for the login to be mended.
    return { action: 'waitForSignIn', make: (c) => ({ ...without(c, 'dueAt'), state: 'needs-sign-in', error, updatedAt }) };
  }
  const wait = backoffMs(item.attempts, policy, random);
  if ((isTemporary(error.code) || outcome.retry) && item.giveUpAt && now + wait < Date.parse(item.giveUpAt)) {
    return { action: 'retryLater', make: (c) => ({ ...c, state: 'retrying', error, dueAt: new Date(now + wait).toISOString(), updatedAt }) };
  }
  const final = isTemporary(error.code) ? withHint(error, [...(error.text?.hint ?? []), phrase('err.outbox.gaveUp', { count: item.attempts })]) : error;
  return { action: 'fail', make: (c) => ({ ...without(c, 'dueAt'), state: 'failed', error: final, updatedAt }) };
}
