import { takeClaim } from './claim-file';

/**
 * An advisory lock on the data directory, held by the process that owns start-up repair. The
 * desktop app, `mailwright serve` and the CLI share one data directory and may run at once; only
 * the holder may treat leftovers (half-built files, items mid-send) as a crash's, because for
 * anyone else they may be another live process's work. It is a claim (claim-file.ts): it appears
 * whole, a dead process's is taken over safely, and a second core in this process does not get
 * it. (It was written empty, then given its pid: two starts at once could both take it.)
 */
export class ProcessLock {
  private held: (() => Promise<void>) | undefined;

  constructor(private readonly path: string) {}

  async acquire(): Promise<boolean> {
    this.held ??= await takeClaim(this.path);
    return !!this.held;
  }

  async release(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    await held?.();
  }
}
