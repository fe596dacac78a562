/** Small files read at once: far below the usual limit of open files (1,024). */
export const FILES_AT_ONCE = 64;

/**
 * `fn` over every item, at most `size` at a time, results in order. Reading thousands of small
 * files all at once runs out of file descriptors (EMFILE, found by the load test).
 */
export async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}
