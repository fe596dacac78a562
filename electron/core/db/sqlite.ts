import type * as NodeSqlite from 'node:sqlite';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { MailwrightError } from '../errors';

export type { DatabaseSync, StatementSync, SQLInputValue } from 'node:sqlite';

let loaded: typeof NodeSqlite | undefined;

/**
 * Node's built-in SQLite (`node:sqlite`, Node ≥ 22.13 and Electron's main process): no native
 * module to build or rebuild per runtime. Loading it emits an ExperimentalWarning that would land
 * on every CLI command's stderr; warnings of that type raised while it loads — which can only be
 * that one — are dropped, and every other warning is left alone.
 */
export function sqlite(): typeof NodeSqlite {
  if (loaded) return loaded;
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'ExperimentalWarning') return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    loaded = process.getBuiltinModule?.('node:sqlite') as typeof NodeSqlite | undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
  if (!loaded) throw new MailwrightError('STORAGE_FAILED', { message: phrase('err.storage.noSqlite', { version: process.version }), hint: phrase('err.storage.noSqlite.hint') });
  return loaded;
}
