import { X509Certificate } from 'node:crypto';
import selfsigned from 'selfsigned';

export interface TestCert {
  key: string;
  cert: string;
  fingerprint256: string;
}

const cache = new Map<string, Promise<TestCert>>();

/** A self-signed certificate for `localhost` / 127.0.0.1 (made once per test file and kind). */
export function selfSignedCert(kind: 'valid' | 'expired' = 'valid'): Promise<TestCert> {
  let entry = cache.get(kind);
  if (!entry) {
    entry = (async () => {
      const now = Date.now();
      const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
        keySize: 2048,
        algorithm: 'sha256',
        notBeforeDate: new Date(kind === 'expired' ? now - 30 * 86400_000 : now - 86400_000),
        notAfterDate: new Date(kind === 'expired' ? now - 86400_000 : now + 30 * 86400_000),
        extensions: [
          { name: 'basicConstraints', cA: true },
          { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
        ],
      });
      return { key: pems.private, cert: pems.cert, fingerprint256: new X509Certificate(pems.cert).fingerprint256 };
    })();
    cache.set(kind, entry);
  }
  return entry;
}

export interface TestCa {
  cert: string;
  /** a leaf for these names, signed by this CA */
  leaf(names: string[]): Promise<TestCert>;
}

/** A private CA (trusted by a child process through NODE_EXTRA_CA_CERTS), for certificates that are valid but for another name. */
export async function testCa(): Promise<TestCa> {
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'Mailwright Test CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true }],
  });
  return {
    cert: ca.cert,
    async leaf(names: string[]) {
      const pems = await selfsigned.generate([{ name: 'commonName', value: names[0]! }], {
        keySize: 2048,
        algorithm: 'sha256',
        ca: { key: ca.private, cert: ca.cert },
        extensions: [{ name: 'basicConstraints', cA: false }, { name: 'subjectAltName', altNames: names.map((value) => ({ type: 2, value })) }],
      });
      return { key: pems.private, cert: pems.cert, fingerprint256: new X509Certificate(pems.cert).fingerprint256 };
    },
  };
}
