// How a contract channel or event is named on the wire. Apart from the contract (which carries
// zod) because the preload needs only names: its build takes the contract's names as plain
// strings and this, and nothing else (see electron.vite.config.ts).
import type { Channel, EventName } from './contract';

/** The IPC channel name used on the wire; a prefix keeps ours apart from anything else. */
export const wireName = (name: Channel | EventName) => `mailwright:${name}`;
