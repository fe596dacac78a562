import { z } from 'zod';
import { formatMailbox } from './mailbox';
import { headerText, mailbox, refusal } from './text';

/** An attachment as the renderer knows it: an opaque handle issued by main, never a path. */
export const attachmentRef = z.strictObject({
  handle: z.string().regex(/^att_[A-Za-z0-9_-]{16,64}$/, refusal('err.input.attachment')),
});
export type AttachmentRef = z.infer<typeof attachmentRef>;

const recipients = z.array(mailbox).max(500);

/** What List-Unsubscribe may point to: an https address (one-click, RFC 8058) or a mailto: (RFC 2369), in printable ASCII without < or > (a header carries it as is). */
export const UNSUBSCRIBE_LINK = /^(https:\/\/|mailto:)[\x21-\x3b\x3d\x3f-\x7e]+$/i;

/** A message as the composer hands it over; `draft` adds the rule that someone must receive it. */
export const draftFields = z.strictObject({
  accountId: z.string().min(1).max(64),
  to: recipients.default([]),
  cc: recipients.default([]),
  bcc: recipients.default([]),
  replyTo: mailbox.optional(),
  subject: headerText(998).default(''),
  /** The body as HTML; the plain-text alternative is generated from it unless `text` gives one. Images as data: URLs become inline (cid:) parts. */
  html: z.string().max(20_000_000).optional(),
  /** A plain-text body; with `html`, its plain-text alternative, sent as is. */
  text: z.string().max(20_000_000).optional(),
  attachments: z.array(attachmentRef).max(100).default([]),
  /** Add the From account's signature below the body, after the standard "-- " line. */
  signature: z.boolean().optional(),
  /** List-Unsubscribe (RFC 2369): an https address (one-click, RFC 8058) or a mailto:. For mail to many. */
  listUnsubscribe: z
    .string()
    .max(2000)
    .regex(UNSUBSCRIBE_LINK, refusal('err.input.unsubscribe'))
    .optional(),
  /** When to send: after an undo window, or at a chosen time (send later). Default: now. */
  options: z
    .strictObject({
      sendAt: z.iso.datetime({ offset: true }).optional(),
      undoSeconds: z.union([z.literal(0), z.literal(5), z.literal(10), z.literal(20), z.literal(30)]).optional(),
    })
    .optional(),
});

export const draft = draftFields.refine((d) => d.to.length + d.cc.length + d.bcc.length > 0, { ...refusal('err.input.needsRecipient'), path: ['to'] });
export type Draft = z.output<typeof draft>;
export type DraftInput = z.input<typeof draft>;

/** A draft as the composer shows it: its recipients as text again. */
export type DraftText = Omit<Draft, 'to' | 'cc' | 'bcc' | 'replyTo'> & { to: string[]; cc: string[]; bcc: string[]; replyTo?: string };

export const draftText = ({ to, cc, bcc, replyTo, ...rest }: Draft): DraftText => ({
  ...rest,
  to: to.map(formatMailbox),
  cc: cc.map(formatMailbox),
  bcc: bcc.map(formatMailbox),
  ...(replyTo ? { replyTo: formatMailbox(replyTo) } : {}),
});

/** A message handed back to the composer (undo, edit, re-open): files that could not be found are named. */
export interface DraftBack {
  draft: DraftText;
  missing: string[];
}

/** What main tells the renderer about an attachment it holds a handle for. */
export interface AttachmentInfo {
  handle: string;
  name: string;
  size: number;
  contentType: string;
}

/**
 * The composer's work in progress, autosaved as typed: recipients are the fields' raw text
 * (half-typed addresses are fine here; they are checked when the message is sent).
 */
export const savedDraftInput = z.strictObject({
  id: z.string().regex(/^d_[A-Za-z0-9_-]{8,64}$/, refusal('err.input.draftId')).optional(),
  accountId: z.string().max(64).default(''),
  to: headerText(20_000).default(''),
  cc: headerText(20_000).default(''),
  bcc: headerText(20_000).default(''),
  replyTo: headerText(2_000).default(''),
  subject: headerText(998).default(''),
  /** HTML with a generated text part, or plain text only (then `text` is the body). */
  format: z.enum(['html', 'plain']).default('html'),
  html: z.string().max(20_000_000).default(''),
  text: z.string().max(20_000_000).default(''),
  signature: z.boolean().default(true),
  attachments: z.array(attachmentRef).max(100).default([]),
});
export type SavedDraftInput = z.input<typeof savedDraftInput>;

export interface SavedDraft extends Omit<z.output<typeof savedDraftInput>, 'attachments'> {
  id: string;
  updatedAt: string;
  attachments: AttachmentInfo[];
  /** Files that were attached but can no longer be read (moved or deleted since). */
  missing: string[];
}
