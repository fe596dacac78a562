// SQLite's primary result codes that change what Mailwright does. node:sqlite reports extended
// codes (SQLITE_CORRUPT_INDEX is 779): the primary code is the low byte.

const primary = (err: unknown) => ((err as { errcode?: unknown }).errcode as number | undefined ?? -1) & 0xff;

/** Another connection holds the lock (SQLITE_BUSY, SQLITE_LOCKED). */
export const isBusy = (err: unknown) => [5, 6].includes(primary(err));

/** The file is not a database, or its pages are damaged (SQLITE_CORRUPT, SQLITE_NOTADB). */
export const isDamaged = (err: unknown) => [11, 26].includes(primary(err));

const PAUSE = new Int32Array(new SharedArrayBuffer(4));
/** How long a refused step is tried again, 20 ms apart (a try may itself wait the connection's busy timeout). */
const BUSY_FOR_MS = 3_000;

/**
 * Run `step` again while another process holds a lock that SQLite does not wait for by itself
 * (turning a new database to WAL while another process opens it too is one). Opening is
 * synchronous, so the pause between tries is too: short and bounded.
 */
export function whileBusy<T>(step: () => T): T {
  const until = Date.now() + BUSY_FOR_MS;
  for (;;) {
    try {
      return step();
    } catch (err) {
      if (!isBusy(err) || Date.now() >= until) throw err;
      Atomics.wait(PAUSE, 0, 0, 20);
    }
  }
}
