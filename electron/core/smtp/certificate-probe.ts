import { X509Certificate } from 'node:crypto';
import { isIP, Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Security } from '../../../shared/model/account';
import type { CertificateReport } from '../../../shared/model/connection-test';
import { inspectCertificate } from './doctor/certificate';

/** What the server presented, as the doctor reports it, plus the PEM needed to trust exactly it. */
export interface ServerCertificate extends CertificateReport {
  pem: string;
}

/** Read SMTP reply lines until a final line ("250 ..." rather than "250-..."). */
function readReply(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      const lines = buffer.split('\r\n');
      const last = lines.length >= 2 ? lines[lines.length - 2]! : '';
      if (/^\d{3} /.test(last) || /^\d{3}$/.test(last)) {
        cleanup();
        resolve(buffer);
      }
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('Connection closed unexpectedly'));
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('error', onEnd);
      socket.off('close', onEnd);
    };
    socket.on('data', onData);
    socket.once('error', onEnd);
    socket.once('close', onEnd);
  });
}

function describe(socket: TLSSocket, host: string): ServerCertificate {
  const peer = socket.getPeerCertificate(true);
  if (!peer?.raw) throw new Error('The server presented no certificate');
  return { ...inspectCertificate(socket, host), pem: new X509Certificate(peer.raw).toString() };
}

/**
 * Fetch the certificate an SMTP server presents, without trusting or sending anything:
 * TLS straight away for implicit TLS, or greeting → EHLO → STARTTLS first. Used to pin a
 * self-signed certificate by its fingerprint, and to show the user what the server presented.
 */
export async function probeCertificate(opts: { host: string; port: number; security: Security; timeoutMs: number }): Promise<ServerCertificate> {
  if (opts.security === 'none') throw new Error('A plain connection has no certificate');
  const servername = isIP(opts.host) ? undefined : opts.host;
  let raw: Socket | undefined;
  let secure: TLSSocket | undefined;
  const timer = setTimeout(() => {
    const err = Object.assign(new Error('Timeout while reading the server certificate'), { code: 'ETIMEDOUT' });
    (secure ?? raw)?.destroy(err);
  }, opts.timeoutMs);
  try {
    if (opts.security === 'starttls') {
      raw = tcpConnect({ host: opts.host, port: opts.port });
      await new Promise<void>((resolve, reject) => raw!.once('connect', resolve).once('error', reject));
      await readReply(raw);
      raw.write('EHLO mailwright.probe\r\n');
      const ehlo = await readReply(raw);
      if (!/STARTTLS/i.test(ehlo)) throw Object.assign(new Error('Server does not offer STARTTLS'), { code: 'ETLS' });
      raw.write('STARTTLS\r\n');
      const answer = await readReply(raw);
      if (!answer.startsWith('220')) throw Object.assign(new Error(`STARTTLS refused: ${answer.trim()}`), { code: 'ETLS' });
    }
    secure = tlsConnect({ host: opts.host, port: opts.port, socket: raw, servername, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => secure!.once('secureConnect', resolve).once('error', reject));
    return describe(secure, opts.host);
  } finally {
    clearTimeout(timer);
    // Say goodbye instead of resetting the connection; servers log resets as errors.
    if (secure && !secure.destroyed) {
      secure.end('QUIT\r\n');
      setTimeout(() => secure?.destroy(), 1000).unref();
    } else raw?.destroy();
  }
}
