import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { code, phrase } from '../../../shared/i18n/errors/phrase';
import type { DkimKeyType, DnsRecord } from '../../../shared/model/deliverability';
import { invalidInput } from '../errors';

/** RSA keys shorter than this are refused: Gmail and Outlook ignore 1024-bit DKIM keys' signatures as weak; RFC 8301 wants ≥ 1024, providers 2048. */
const MIN_RSA_BITS = 2048;
/** Verifiers need only take keys up to 4096 bits (RFC 8301 3.2); a longer one also slows every signature. */
const MAX_RSA_BITS = 4096;
const GENERATED_RSA_BITS = 2048;

const PEM_HEADS = { pkcs8: code('-----BEGIN PRIVATE KEY-----'), pkcs1: code('-----BEGIN RSA PRIVATE KEY-----') };

/** A private key as the secret store keeps it (PKCS#8 PEM), with its type. */
export interface DkimKey {
  pem: string;
  keyType: DkimKeyType;
}

/**
 * A new key pair made here (node:crypto). RSA by default: Ed25519 signatures (RFC 8463) are still
 * not verified by every receiver, so a domain with only an Ed25519 key may have no valid DKIM there.
 */
export async function generateDkimKey(keyType: DkimKeyType = 'rsa'): Promise<DkimKey> {
  const pair = keyType === 'rsa' ? await promisify(generateKeyPair)('rsa', { modulusLength: GENERATED_RSA_BITS }) : await promisify(generateKeyPair)('ed25519');
  return { pem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), keyType };
}

/** A private key a user gives (PEM, PKCS#1 or PKCS#8): checked, and kept as PKCS#8. */
export function importDkimKey(text: string): DkimKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text.trim(), format: 'pem' });
  } catch (err) {
    throw Object.assign(invalidInput(phrase('err.dkim.notKey'), phrase('err.dkim.notKey.hint', PEM_HEADS)), { cause: err });
  }
  const keyType = key.asymmetricKeyType;
  if (keyType !== 'rsa' && keyType !== 'ed25519') throw invalidInput(phrase('err.dkim.keyType', { type: String(keyType) }), phrase('err.dkim.notKey.hint', PEM_HEADS));
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (keyType === 'rsa' && bits < MIN_RSA_BITS) throw invalidInput(phrase('err.dkim.shortKey', { bits }), phrase('err.dkim.shortKey.hint', { min: MIN_RSA_BITS }));
  if (keyType === 'rsa' && bits > MAX_RSA_BITS) throw invalidInput(phrase('err.dkim.longKey', { bits }), phrase('err.dkim.longKey.hint', { max: MAX_RSA_BITS }));
  return { pem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), keyType };
}

/**
 * The TXT record that publishes the key's public half at `selector._domainkey.domain`
 * (RFC 6376 3.6.1; for Ed25519 the raw 32-byte key, RFC 8463).
 */
export function dkimRecord(key: DkimKey, selector: string, domain: string): DnsRecord {
  const publicKey = createPublicKey(key.pem);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  // An Ed25519 SubjectPublicKeyInfo is a fixed 12-byte prefix and the 32-byte key.
  const p = (key.keyType === 'ed25519' ? der.subarray(der.length - 32) : der).toString('base64');
  return { name: `${selector}._domainkey.${domain}`.toLowerCase(), type: 'TXT', value: `v=DKIM1; k=${key.keyType}; p=${p}` };
}
