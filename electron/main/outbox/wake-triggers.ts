// Mail waiting to be retried goes out as soon as the machine can send again: on waking from
// sleep, on unlocking, and when the network comes back (timers may also have slept).
import { net, powerMonitor } from 'electron';
import type { OutboxService } from '../../core/outbox/outbox-service';

export function retryOnWake(outbox: Pick<OutboxService, 'retryWaitingNow'>, pollMs = 15_000): () => void {
  const retry = (why: string) => void outbox.retryWaitingNow(why);
  const onResume = () => retry('woke from sleep');
  const onUnlock = () => retry('screen unlocked');
  powerMonitor.on('resume', onResume);
  powerMonitor.on('unlock-screen', onUnlock);
  // Electron's main process has no "online" event: look at the network state now and then.
  let online = net.isOnline();
  const timer = setInterval(() => {
    const now = net.isOnline();
    if (now && !online) retry('back online');
    online = now;
  }, pollMs);
  timer.unref?.();
  return () => {
    powerMonitor.off('resume', onResume);
    powerMonitor.off('unlock-screen', onUnlock);
    clearInterval(timer);
  };
}
