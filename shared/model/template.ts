import { z } from 'zod';
import { attachmentRef, type AttachmentInfo } from './draft';
import { headerText, refusal } from './text';

/** A template's name as the user types it: one line, no path separators (the CLI names files beside it). */
export const templateName = z
  .string()
  // Checked before the trim: a line break at either end is refused, not quietly cut off.
  .regex(/^[^\r\n\0\x7f/\\]+$/, refusal('err.input.templateName'))
  .trim()
  .min(1)
  .max(100);

/**
 * A message whose fields are Liquid: `{{ name }}` filled from each row of a merge's data. Checked
 * here only as text (the subject one line); whether it is good Liquid is the template engine's
 * to say, in main.
 */
export const messageTemplate = z.strictObject({
  subject: headerText(998).default(''),
  /** Rich body; its plain-text part is generated from it unless `text` gives one. */
  html: z.string().max(5_000_000).optional(),
  text: z.string().max(5_000_000).optional(),
  /** Files every message carries (a row's own come from the data's attachment column). */
  attachments: z.array(attachmentRef).max(100).default([]),
  /** RFC 2369 List-Unsubscribe: an https address (one-click, RFC 8058) or mailto:, itself Liquid (a per-row link). */
  listUnsubscribe: headerText(2000).optional(),
});
export type MessageTemplateInput = z.input<typeof messageTemplate>;

export const templateInput = messageTemplate.extend({ name: templateName, accountId: z.string().min(1).max(64) });
export type TemplateInput = z.input<typeof templateInput>;

/** A saved template as the list shows it. */
export interface TemplateSummary {
  name: string;
  accountId: string;
  subject: string;
  updatedAt: string;
  /** The variables its fields use (top-level names: `customer` for `{{ customer.name }}`). */
  variables: string[];
  attachments: string[];
}

/** One template whole: its bodies, and its files (with handles to attach them again; `missing` names the ones gone). */
export interface Template extends Omit<TemplateSummary, 'attachments'> {
  html?: string;
  text?: string;
  listUnsubscribe?: string;
  attachments: AttachmentInfo[];
  missing: string[];
}
