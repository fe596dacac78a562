import type { Phrase, PhraseParam } from '../../../../shared/errors';
import { code, phrase } from '../../../../shared/i18n/errors/phrase';
import { DOCTOR_PHASES, type PhaseName } from '../../../../shared/model/connection-test';

// Parts of the doctor's verdicts that name where it happened or what was wrong, as phrases.

/** Where in the dialogue something broke: a step of ours, a phase, or an SMTP command (said as code). */
export type During = 'handshake' | PhaseName | 'EHLO' | 'STARTTLS' | 'MAIL FROM' | 'RCPT TO';
export const duringPhrase = (at: During): PhraseParam =>
  at === 'handshake' || at === 'greeting' ? phrase(`err.doctor.during.${at}`)
  : (DOCTOR_PHASES as readonly string[]).includes(at) ? phrase('err.doctor.during.phase', { phase: phrase(`test.phase.${at as PhaseName}`) })
  : code(at);

// What inspectCertificate calls a problem (CertificateReport.problem, English for the command line), as a phrase.
const CERT_PROBLEMS: Record<string, Phrase> = {
  'self-signed': phrase('err.cert.problem.self-signed'),
  'not yet valid': phrase('err.cert.problem.not-yet-valid'),
  'issued by an unknown authority': phrase('err.cert.problem.unknown-authority'),
};
/** Another problem is an OpenSSL code (e.g. CERT_REVOKED): data, shown as it came. */
export const certProblem = (problem: string | undefined): PhraseParam => CERT_PROBLEMS[problem ?? 'issued by an unknown authority'] ?? code(problem!);

