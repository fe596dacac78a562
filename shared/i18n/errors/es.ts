import { appEs } from './app.es';
import { connectionEs } from './connection.es';
import { doctorEs } from './doctor.es';
import type { errorsEn, Translated } from './en';
import { outboxEs } from './outbox.es';
import { mergeEs } from './merge.es';
import { deliverabilityEs } from './deliverability.es';

export const errorsEs: Translated<typeof errorsEn> = { ...connectionEs, ...doctorEs, ...appEs, ...outboxEs, ...mergeEs, ...deliverabilityEs };
