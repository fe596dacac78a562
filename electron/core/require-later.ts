import { createRequire } from 'node:module';

// Not named `require`: the bundle of main declares one of its own in the same scope.
const load = createRequire(import.meta.url);

/**
 * A package loaded the first time it is used, synchronously (its CommonJS build): one that a
 * command never uses costs it nothing. liquidjs alone is ~14 MB of a process's memory, which
 * `mailwright send` paid without rendering a template (bench/attachment.ts).
 */
export function requireLater<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(id) as T);
}
