import { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type TLSSocket } from 'node:tls';
import type { CertificateReport } from '../../../../shared/model/connection-test';

const PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'issued for another name',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issued by an unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issued by an unknown authority',
};

/** Everything a person needs to decide about a server certificate, read off a live TLS socket. */
export function inspectCertificate(socket: TLSSocket, host: string, pin?: string): CertificateReport {
  const peer = socket.getPeerCertificate(true);
  const x509 = new X509Certificate(peer.raw);
  const nameMatches = checkServerIdentity(host, peer) === undefined;
  const pinned = !!pin && x509.fingerprint256 === pin;
  const now = Date.now();
  const expired = new Date(x509.validTo).getTime() < now;
  let problem: string | undefined;
  if (pin && !pinned) problem = 'not the pinned certificate';
  else if (!socket.authorized) problem = PROBLEMS[String(socket.authorizationError)] ?? String(socket.authorizationError);
  if (!problem && expired) problem = 'expired';
  if (!problem && !nameMatches) problem = 'issued for another name';
  const report: CertificateReport = {
    fingerprint256: x509.fingerprint256,
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    validFrom: x509.validFrom,
    validTo: x509.validTo,
    trusted: pinned || (socket.authorized && nameMatches && !expired),
    pinned,
    nameMatches,
  };
  const protocol = socket.getProtocol();
  if (protocol) report.protocol = protocol;
  const cipher = socket.getCipher()?.name;
  if (cipher) report.cipher = cipher;
  if (problem) report.problem = problem;
  return report;
}
