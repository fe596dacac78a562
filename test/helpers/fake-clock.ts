import type { Clock } from '../../electron/core/clock';

/** A clock the test moves by hand: timers fire only when `advance` passes their time. */
export class FakeClock implements Clock {
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private next = 1;
  constructor(private time = Date.parse('2026-11-21T09:00:00Z')) {}
  now = () => new Date(this.time);
  setTimer = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.push({ at: this.time + ms, fn, id });
    // Already due (set after the test moved time past it): fire soon, as a real timer would,
    // instead of waiting for an advance that will not come.
    if (ms <= 0) setImmediate(() => this.fireDue());
    return id;
  };
  clearTimer = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  /** Move time forward, firing the timers that come due on the way. */
  advance(ms: number) {
    this.time += ms;
    this.fireDue();
  }

  private fireDue() {
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.fn();
  }
}
