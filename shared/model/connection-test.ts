import type { ErrorInfo } from '../errors';

export type PhaseName = 'connect' | 'tls' | 'auth';
export type PhaseStatus = 'passed' | 'failed' | 'skipped';

export interface TestPhase {
  name: PhaseName;
  status: PhaseStatus;
  ms: number;
  note?: string;
  error?: ErrorInfo;
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

export interface ConnectionTestReport {
  ok: boolean;
  phases: TestPhase[];
  transcript: TranscriptLine[];
  certificate?: { fingerprint256: string; subject: string; issuer: string; validTo: string; trusted: boolean };
}
