import type { z } from 'zod';
import type { ErrorInfo, ErrorText, Phrase } from '../errors';
import type { mergeInput } from './merge-schema';
import type { OutboxState } from './outbox';
import type { DomainReport } from './deliverability';

// Plain values and types only: the page imports this file, and its bundle carries no schema
// library (the schema is merge-schema.ts).

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

export type MergeInput = z.input<typeof mergeInput>;
export type MergeRequest = z.output<typeof mergeInput>;

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
  /** Columns the mapping names that the data does not have: no row was checked (choose others). */
  missingColumns: string[];
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
  /** The From domain's SPF, DKIM and DMARC (not for the Sandbox; absent when the DNS could not be asked). Never blocks a merge. */
  domain?: DomainReport;
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
  /** When the throttle's pace lets the next row go (running merges with a pace). */
  nextAt?: string;
  etaSeconds: number;
  /** Rows skipped at the start as invalid (asked for with skip-invalid); later skips are failures. */
  skippedAtStart: number;
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
  /** Why it was skipped (English: the command line, --json). */
  problem?: string;
  /** The same as catalogue phrases, said in each reader's language (absent for rows skipped by an older version). */
  problemText?: ErrorText;
}
