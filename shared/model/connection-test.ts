import type { ErrorInfo, Phrase } from '../errors';
import type { DomainReport } from './deliverability';

// The SMTP doctor's report: one phase after another, each passed, failed or skipped.
// 'token' runs first, for OAuth2 accounts only: an access token from the secret store, or a refresh.
export const DOCTOR_PHASES = ['token', 'resolve', 'connect', 'greeting', 'tls', 'auth', 'envelope', 'send'] as const;
export type PhaseName = (typeof DOCTOR_PHASES)[number];
export type PhaseStatus = 'passed' | 'failed' | 'skipped';

/** The account setting a failure points at, so the UI can put the hint beside it. */
export type SettingField = 'email' | 'host' | 'port' | 'security' | 'username' | 'password' | 'pinnedCertSha256' | 'rcpt';

/** One phase; a failed one carries the error (code, message, hint, server reply) flat, as the CLI's JSON prints it. */
export interface TestPhase extends Partial<ErrorInfo> {
  name: PhaseName;
  status: PhaseStatus;
  ms: number;
  /** A short note in English (the command line prints it); data such as an address or a server's greeting stays as it came. */
  note?: string;
  /** The same note as a catalogue phrase, when it is in words of ours: the window says it in the user's language. */
  noteText?: Phrase;
  field?: SettingField;
}

export interface TranscriptLine {
  /** sent by us, received from the server, or a note of our own */
  dir: 'sent' | 'received' | 'info';
  /** whether the line travelled inside TLS */
  tls: boolean;
  text: string;
  /** milliseconds since the test started */
  ms: number;
}

export interface Capabilities {
  starttls: boolean;
  auth: string[];
  size?: number;
  smtputf8: boolean;
  eightBitMime: boolean;
  dsn: boolean;
  pipelining: boolean;
  /** the EHLO lines as the server sent them */
  raw: string[];
}

export interface CertificateReport {
  fingerprint256: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** trusted by the system's CAs for this host name, or by the account's pin */
  trusted: boolean;
  pinned: boolean;
  nameMatches: boolean;
  protocol?: string;
  cipher?: string;
  problem?: string;
}

export interface ConnectionTestReport {
  ok: boolean;
  phases: TestPhase[];
  capabilities?: Capabilities;
  certificate?: CertificateReport;
  mx?: string[];
  transcript: TranscriptLine[];
  /** The From domain's SPF, DKIM and DMARC, for a saved account (a warning at most: the settings work without). */
  domain?: DomainReport;
}
