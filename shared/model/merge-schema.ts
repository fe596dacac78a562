import { z } from 'zod';
import { LANGUAGES } from '../i18n/languages';
import { attachmentRef } from './draft';
import { THROTTLE_PRESETS, type ThrottlePreset } from './merge';
import { messageTemplate, templateName } from './template';
import { refusal } from './text';

const column = z.string().trim().min(1).max(200);

/**
 * A merge as asked for: a message template (saved, by name, or given here) and a data file (CSV or
 * JSON, picked or uploaded: a handle, never a path), which column holds what, and how fast to go.
 */
export const mergeInput = z
  .strictObject({
    accountId: z.string().min(1).max(64),
    template: templateName.optional(),
    message: messageTemplate.optional(),
    data: attachmentRef,
    toColumn: column.default('email'),
    nameColumn: column.optional(),
    ccColumn: column.optional(),
    bccColumn: column.optional(),
    /** Files named relative to the data file's folder; several separated by `;`. */
    attachColumn: column.optional(),
    preset: z.enum(Object.keys(THROTTLE_PRESETS) as [ThrottlePreset, ...ThrottlePreset[]]).optional(),
    perMinute: z.number().int().min(1).max(100_000).optional(),
    perDay: z.number().int().min(1).max(10_000_000).optional(),
    /** Send the valid rows and report the others as skipped (otherwise one invalid row stops the merge before anything is sent). */
    skipInvalid: z.boolean().default(false),
    /** Overrides the template's List-Unsubscribe. */
    listUnsubscribe: z.string().max(2000).optional(),
    /** How `local_date` and `money` write dates and amounts. */
    locale: z.enum(LANGUAGES).default('en'),
  })
  .refine((m) => (m.template === undefined) !== (m.message === undefined), { ...refusal('err.input.mergeTemplate'), path: ['template'] });

export const mergeId = z.string().regex(/^m_[a-z0-9]{9}-[a-f0-9]{8}$/, refusal('err.input.mergeId'));

