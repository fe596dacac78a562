import { describe, expect, it } from 'vitest';
import { FakeClock } from '../helpers/fake-clock';

// The outbox tests lean on this clock; it must behave like real timers where they can race.
describe('FakeClock', () => {
  it('fires a timer only when time is moved past it', () => {
    const clock = new FakeClock();
    let fired = 0;
    clock.setTimer(() => fired++, 1000);
    clock.advance(999);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
  });

  it('fires a timer set for a time already passed without another advance (the scheduler sets one after the test moved time)', async () => {
    const clock = new FakeClock();
    let fired = 0;
    clock.setTimer(() => fired++, 0);
    await new Promise((r) => setImmediate(r));
    expect(fired).toBe(1);
    const cancelled = clock.setTimer(() => fired++, 0);
    clock.clearTimer(cancelled);
    await new Promise((r) => setImmediate(r));
    expect(fired).toBe(1);
  });
});
