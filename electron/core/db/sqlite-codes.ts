// SQLite's primary result codes that change what Mailwright does. node:sqlite reports extended
// codes (SQLITE_CORRUPT_INDEX is 779): the primary code is the low byte.

const primary = (err: unknown) => ((err as { errcode?: unknown }).errcode as number | undefined ?? -1) & 0xff;

/** Another connection holds the lock (SQLITE_BUSY, SQLITE_LOCKED). */
export const isBusy = (err: unknown) => [5, 6].includes(primary(err));

/** The file is not a database, or its pages are damaged (SQLITE_CORRUPT, SQLITE_NOTADB). */
export const isDamaged = (err: unknown) => [11, 26].includes(primary(err));
