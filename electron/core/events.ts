import type { EventName, EventPayloadOf } from '../../shared/ipc/contract';

type Listener = (payload: never) => void;

/**
 * The core's events, named and typed by the contract; main forwards them to windows, the CLI waits
 * on them. Telling is best-effort and comes after the fact: an event reports a change already
 * made (durably, for the outbox), so a listener that throws is logged and the others still hear
 * it — with a plain EventEmitter the throw reached the emitter, and an enqueue already committed
 * failed in the caller's hands (found in review).
 */
export class CoreEvents {
  private readonly listeners = new Map<EventName, Set<Listener>>();

  constructor(private readonly log: (message: string, err?: unknown) => void = () => {}) {}

  emit<E extends EventName>(name: E, payload: EventPayloadOf<E>): void {
    const set = this.listeners.get(name);
    if (!set) return;
    // A copy: a listener may remove itself (or another) while it is told.
    for (const listener of [...set]) {
      try {
        (listener as (payload: EventPayloadOf<E>) => void)(payload);
      } catch (err) {
        this.log(`a listener of ${name} failed`, err);
      }
    }
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayloadOf<E>) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as Listener);
    return () => void set.delete(listener as Listener);
  }
}
