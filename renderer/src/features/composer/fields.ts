import type { Account } from '../../../../shared/model/account';
import type { AttachmentInfo, DraftInput, DraftText, SavedDraft, SavedDraftInput } from '../../../../shared/model/draft';
import { checkMailbox } from '../../../../shared/model/mailbox';
import { preSendChecks } from '../../../../shared/model/pre-send-checks';
import { mailboxParts, splitRecipients } from '../../../../shared/model/recipients';

export type Format = 'html' | 'plain';

/**
 * What the composer holds: one shape for the fields, from which the saved draft and the message
 * sent are both made. The rich body is not here: the editor holds it, and `html` is read from it
 * when a draft or a message is made (serialising it at every keystroke would cost tens of ms).
 */
export interface Fields {
  /** The account picked in From; '' follows the default account (see `fromAccount`). */
  accountId: string;
  to: string;
  cc: string;
  bcc: string;
  replyTo: string;
  subject: string;
  format: Format;
  /** The plain-text body, when `format` is 'plain'. */
  text: string;
  /** Add the From account's signature. */
  signature: boolean;
  attachments: AttachmentInfo[];
}

/** A message to put in the composer: its fields and its rich body. */
export interface Loaded {
  fields: Fields;
  html: string;
}

export const EMPTY_FIELDS: Fields = { accountId: '', to: '', cc: '', bcc: '', replyTo: '', subject: '', format: 'html', text: '', signature: true, attachments: [] };

export interface ComposerState {
  fields: Fields;
  /** Cc, Bcc and Reply-To are shown. */
  showCopies: boolean;
}

export type FieldsAction =
  | { type: 'edit'; change: Partial<Omit<Fields, 'attachments'>> }
  | { type: 'load'; fields: Fields }
  | { type: 'show-copies' }
  /** Everyone to Bcc, so that no recipient learns the others' addresses. */
  | { type: 'all-to-bcc' }
  | { type: 'attach'; added: AttachmentInfo[] }
  | { type: 'detach'; handle: string };

export const INITIAL_STATE: ComposerState = { fields: EMPTY_FIELDS, showCopies: false };

export function fieldsReducer(state: ComposerState, action: FieldsAction): ComposerState {
  const f = state.fields;
  switch (action.type) {
    case 'edit':
      return { ...state, fields: { ...f, ...action.change } };
    case 'load': {
      const g = action.fields;
      return { fields: g, showCopies: !!(g.cc || g.bcc || g.replyTo) };
    }
    case 'show-copies':
      return { ...state, showCopies: true };
    case 'all-to-bcc':
      return { showCopies: true, fields: { ...f, to: '', cc: '', bcc: [f.to, f.cc, f.bcc].flatMap(splitRecipients).join(', ') } };
    case 'attach':
      return { ...state, fields: { ...f, attachments: [...f.attachments, ...action.added] } };
    case 'detach':
      return { ...state, fields: { ...f, attachments: f.attachments.filter((a) => a.handle !== action.handle) } };
  }
}

/** The account in From: the one picked while it exists, else the default one (or the first). */
export const fromAccount = (fields: Fields, accounts: Account[]): Account | undefined =>
  accounts.find((a) => a.id === fields.accountId) ?? accounts.find((a) => a.isDefault) ?? accounts[0];

/** A saved draft as the composer shows it. */
export const loadSaved = (d: SavedDraft, attachments: AttachmentInfo[] = d.attachments): Loaded => ({
  fields: { accountId: d.accountId, to: d.to, cc: d.cc, bcc: d.bcc, replyTo: d.replyTo, subject: d.subject, format: d.format, text: d.format === 'plain' ? d.text : '', signature: d.signature, attachments },
  html: d.format === 'html' ? d.html : '',
});

/** A message handed back from the outbox (undo, edit, re-open): plain when it had text only. */
export function loadBack(d: DraftText, attachments: AttachmentInfo[]): Loaded {
  const plain = !d.html?.trim() && !!d.text;
  return {
    fields: { accountId: d.accountId, to: d.to.join(', '), cc: d.cc.join(', '), bcc: d.bcc.join(', '), replyTo: d.replyTo ?? '', subject: d.subject, format: plain ? 'plain' : 'html', text: plain ? (d.text ?? '') : '', signature: !!d.signature, attachments },
    html: plain ? '' : (d.html ?? ''),
  };
}

/** Nothing written yet (the body's emptiness is the editor's to say, cheaply). */
export const isEmptyMessage = (f: Fields, richBodyEmpty: boolean) =>
  !f.to.trim() && !f.cc.trim() && !f.bcc.trim() && !f.replyTo.trim() && !f.subject.trim() && !f.attachments.length && (f.format === 'plain' ? !f.text.trim() : richBodyEmpty);

/** What autosave writes: the fields as typed (half-typed addresses too). */
export const draftOf = (f: Fields, accountId: string, html: string): Omit<SavedDraftInput, 'id'> => ({
  accountId,
  to: f.to,
  cc: f.cc,
  bcc: f.bcc,
  replyTo: f.replyTo,
  subject: f.subject,
  format: f.format,
  html: f.format === 'html' ? html : '',
  text: f.format === 'plain' ? f.text : '',
  signature: f.signature,
  attachments: f.attachments.map((a) => ({ handle: a.handle })),
});

/** The message as main builds it: what is sent, and what "preview as delivered" shows. */
export const messageOf = (f: Fields, from: Account | undefined, html: string): DraftInput => ({
  accountId: from?.id ?? '',
  to: splitRecipients(f.to),
  cc: splitRecipients(f.cc),
  bcc: splitRecipients(f.bcc),
  ...(f.replyTo.trim() ? { replyTo: f.replyTo.trim() } : {}),
  subject: f.subject,
  ...(f.format === 'plain' ? { text: f.text } : { html }),
  signature: f.signature && !!from?.signature,
  attachments: f.attachments.map((a) => ({ handle: a.handle })),
});

/** What to ask about before sending (no recipients, a missing attachment, too large…), per shared/model/pre-send-checks. */
export function issuesBeforeSending(f: Fields, bodyText: string, estimatedSize: number, sizeLimit: number) {
  const all = [f.to, f.cc, f.bcc].flatMap(splitRecipients);
  const visibleCount = [f.to, f.cc].flatMap(splitRecipients).length;
  const invalid = [...all, ...(f.replyTo.trim() ? [f.replyTo.trim()] : [])].filter((r) => !checkMailbox(r).ok);
  return preSendChecks({ recipients: all.map(mailboxParts), invalid, visibleCount, subject: f.subject, text: bodyText, attachmentCount: f.attachments.length, estimatedSize, sizeLimit });
}
