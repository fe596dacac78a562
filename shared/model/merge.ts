import { z } from 'zod';
import type { ErrorInfo, Phrase } from '../errors';
import { LANGUAGES } from '../i18n/languages';
import { attachmentRef } from './draft';
import type { OutboxState } from './outbox';
import { messageTemplate, templateName } from './template';
import { refusal } from './text';

/** What providers allow over SMTP (shared/design/RESEARCH.md "Sending to many"); `none`: no limit of ours. */
export const THROTTLE_PRESETS = {
  'microsoft-365': { perMinute: 30, perDay: 10_000 },
  'google-workspace': { perDay: 2_000 },
  gmail: { perDay: 500 },
  none: {},
} as const satisfies Record<string, Throttle>;
export type ThrottlePreset = keyof typeof THROTTLE_PRESETS;

export interface Throttle {
  perMinute?: number;
  perDay?: number;
}

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
export type MergeInput = z.input<typeof mergeInput>;
export type MergeRequest = z.output<typeof mergeInput>;

export const mergeId = z.string().regex(/^m_[a-z0-9]{9}-[a-f0-9]{8}$/, refusal('err.input.mergeId'));

/** A row that cannot be sent: its number (1 is the first row of data, after a CSV's header) and why. */
export interface RowProblem {
  row: number;
  address: string;
  problem: Phrase;
  /** The same in English (the command line, the report file). */
  text: string;
}

/** What a check of the whole data found, before anything is sent. */
export interface MergeCheck {
  columns: string[];
  total: number;
  valid: number;
  /** The first rows as they are in the data (the window's table). */
  sample: Array<Record<string, string>>;
  /** Every invalid row (at most the first 1,000). */
  invalid: RowProblem[];
  invalidCount: number;
  throttle: Throttle;
  /** How long sending the valid rows takes at that pace, in seconds (0: as fast as the server takes them). */
  etaSeconds: number;
}

export type MergeState = 'running' | 'paused' | 'cancelled' | 'done';

/** A row's state in the report: before it is queued, skipped or cancelled; after, its message's. */
export type MergeRowState = 'pending' | 'skipped' | 'cancelled' | OutboxState;

export interface MergeCounts {
  pending: number;
  /** Queued and not yet settled (sending, retrying). */
  inFlight: number;
  sent: number;
  failed: number;
  unknown: number;
  skipped: number;
  cancelled: number;
}

export interface MergeStatus {
  id: string;
  accountId: string;
  subject: string;
  state: MergeState;
  createdAt: string;
  total: number;
  counts: MergeCounts;
  throttle: Throttle;
  /** When the throttle lets the next row go (running merges). */
  nextAt?: string;
  etaSeconds: number;
  /** Why it paused by itself (the account was removed, the disk is full): what the user must see to. */
  error?: ErrorInfo;
}

export interface MergeReportRow {
  row: number;
  address: string;
  state: MergeRowState;
  itemId?: string;
  messageId?: string;
  response?: string;
  error?: ErrorInfo;
  /** Why it was skipped. */
  problem?: string;
}
