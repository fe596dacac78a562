import type { Phrase, PhraseParam } from '../../errors';
import type { en } from '../en';
import type { HolesOf, MessageKey } from '../types';

// Building the catalogue phrases errors are made of, with each key's {placeholders} checked by
// the compiler: `phrase('err.smtp.dnsNotFound', { host })` compiles, a missing or extra name does not.

type English = typeof en;

/** What a key's phrase needs: nothing, or exactly its placeholders, each data or another phrase. */
export type PhraseArgs<K extends MessageKey> = [HolesOf<English[K]>] extends [never] ? [] : [Record<HolesOf<English[K]>, PhraseParam>];

export function phrase<K extends MessageKey>(key: K, ...params: PhraseArgs<K>): Phrase {
  return params[0] ? { key, params: params[0] } : { key };
}

/** A command, flag or environment variable: code in the window, `backticked` on the command line. */
export const code = (text: string) => ({ code: text });

/** A moment, written as the reader's language writes dates. */
export const date = (iso: string) => ({ date: iso });
