import type { en } from './en';

/** Forms of one message by plural category (Intl.PluralRules); `other` is the fallback for any missing one. */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

type English = typeof en;
export type MessageKey = keyof English;

/** Every other language has exactly English's keys, each a string where English has one and plural forms where it has them. */
export type Messages = { readonly [K in MessageKey]: English[K] extends string ? string : Plural };

/** The {names} in a message text, as a union of their names. */
type Holes<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | Holes<Rest> : never;
export type HolesOf<M> = M extends string ? Holes<M> : Holes<M[keyof M]>;

/** The parameters a key needs, by name: none, or an object with exactly its placeholders. */
export type Params<K extends MessageKey> = [HolesOf<English[K]>] extends [never] ? [] : [Record<HolesOf<English[K]>, string | number>];
