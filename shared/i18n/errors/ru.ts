import { appRu } from './app.ru';
import { connectionRu } from './connection.ru';
import { doctorRu } from './doctor.ru';
import type { errorsEn, Translated } from './en';
import { outboxRu } from './outbox.ru';
import { mergeRu } from './merge.ru';
import { deliverabilityRu } from './deliverability.ru';

export const errorsRu: Translated<typeof errorsEn> = { ...connectionRu, ...doctorRu, ...appRu, ...outboxRu, ...mergeRu, ...deliverabilityRu };
