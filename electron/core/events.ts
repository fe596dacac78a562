import { EventEmitter } from 'node:events';
import type { EventName, EventPayloadOf } from '../../shared/ipc/contract';

/** The core's events, named and typed by the contract; main forwards them to windows, the CLI waits on them. */
export class CoreEvents {
  private readonly emitter = new EventEmitter();

  emit<E extends EventName>(name: E, payload: EventPayloadOf<E>): void {
    this.emitter.emit(name, payload);
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayloadOf<E>) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
