import type { Plural } from '../types';
import { appEn } from './app.en';
import { connectionEn } from './connection.en';
import { doctorEn } from './doctor.en';
import { outboxEn } from './outbox.en';
import { mergeEn } from './merge.en';
import { deliverabilityEn } from './deliverability.en';

// The words of errors and the doctor's notes, apart from the window's own catalogue (en.ts
// spreads these in, so they are keys like any other: MessageKey, t(), the same-placeholders test).
export const errorsEn = { ...connectionEn, ...doctorEn, ...appEn, ...outboxEn, ...mergeEn, ...deliverabilityEn } as const;

/** One area's texts in another language: exactly English's keys, strings or plural forms alike. */
export type Translated<E> = { readonly [K in keyof E]: E[K] extends string ? string : Plural };
