/** Time for services that schedule: real in the app, controlled in tests. */
export interface Clock {
  now(): Date;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
    t.unref?.(); // a pending timer never keeps the CLI alive
    return t;
  },
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
};
