import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { code, phrase } from '../../../shared/i18n/errors/phrase';
import { MailwrightError, systemWords } from '../errors';
import { secretsLocked } from './secret-store';

// The encrypted vault's file format: AES-256-GCM over the secrets as JSON, the key derived from
// a passphrase by scrypt. The header goes into GCM's associated data as well, so the file opens
// only as it was written; and its KDF parameters are range-checked before anything is derived, so
// a file changed on disk can make opening it neither cheaper to attack than we write it nor
// costly enough to exhaust the machine.

/** OWASP's scrypt floor for passwords (N=2^17, r=8, p=1): ~128 MiB and a few hundred ms per unlock. */
export const VAULT_KDF = { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The most memory opening a vault may take (128 · N · r bytes): what we write, with room to grow. */
const MAX_KDF_MEMORY = 256 * 1024 * 1024;

export interface VaultKdf {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
}

export interface VaultFile {
  format: 'mailwright-vault';
  version: 1;
  kdf: VaultKdf;
  cipher: 'aes-256-gcm';
  /** base64 */
  iv: string;
  tag: string;
  data: string;
}

/** A key derived from a passphrase, with the KDF settings (salt included) it was derived with. */
export interface VaultKey {
  key: Buffer;
  kdf: VaultKdf;
}

export type VaultSecrets = Record<string, string>;

const associatedData = (f: Pick<VaultFile, 'format' | 'version' | 'kdf' | 'cipher'>) =>
  Buffer.from(JSON.stringify([f.format, f.version, f.kdf.name, f.kdf.N, f.kdf.r, f.kdf.p, f.kdf.salt, f.cipher]));

/** Derive the vault key; a fresh salt unless the KDF settings of an existing vault are given. */
export function deriveKey(passphrase: string, kdf?: VaultKdf): Promise<VaultKey> {
  const settings: VaultKdf = kdf ?? { ...VAULT_KDF, salt: randomBytes(16).toString('base64') };
  // 128 · N · r bytes of memory, and some headroom: Node refuses above `maxmem`.
  const maxmem = 256 * settings.N * settings.r;
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), Buffer.from(settings.salt, 'base64'), KEY_BYTES, { N: settings.N, r: settings.r, p: settings.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve({ key, kdf: settings }),
    ),
  );
}

export function sameKdf(a: VaultKdf, b: VaultKdf): boolean {
  const sa = Buffer.from(a.salt, 'base64');
  const sb = Buffer.from(b.salt, 'base64');
  return a.N === b.N && a.r === b.r && a.p === b.p && sa.length === sb.length && timingSafeEqual(sa, sb);
}

/** Encrypt the secrets with a fresh IV. */
export function seal(key: VaultKey, secrets: VaultSecrets): VaultFile {
  const head = { format: 'mailwright-vault', version: 1, kdf: key.kdf, cipher: 'aes-256-gcm' } as const;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(associatedData(head));
  const data = Buffer.concat([cipher.update(JSON.stringify({ secrets }), 'utf8'), cipher.final()]);
  return { ...head, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** The file's KDF settings, or a STORAGE_FAILED error naming what is wrong with it. */
export function parseVaultFile(text: string, path: string): VaultFile {
  let file: VaultFile;
  try {
    file = JSON.parse(text) as VaultFile;
  } catch (err) {
    throw damaged(path, err);
  }
  const k = file?.kdf;
  const bytes = (s: unknown) => (typeof s === 'string' ? Buffer.from(s, 'base64').length : -1);
  const ok =
    file?.format === 'mailwright-vault' &&
    file.version === 1 &&
    file.cipher === 'aes-256-gcm' &&
    k?.name === 'scrypt' &&
    [k.N, k.r, k.p].every((n) => Number.isInteger(n) && n > 0) &&
    // Never weaker than we write, never so costly that opening it exhausts the machine; N a power of two, as scrypt needs.
    (k.N & (k.N - 1)) === 0 && k.N >= VAULT_KDF.N && k.r >= VAULT_KDF.r && 128 * k.N * k.r <= MAX_KDF_MEMORY && k.p >= 1 && k.p <= 4 &&
    bytes(k.salt) >= 16 && bytes(file.iv) === IV_BYTES && bytes(file.tag) === TAG_BYTES && typeof file.data === 'string';
  if (!ok) throw damaged(path, new Error('not a Mailwright vault of a version this build reads'));
  return file;
}

/** Decrypt; a wrong key (the passphrase, or a vault rewritten with another one) is SECRETS_LOCKED. */
export function open(key: VaultKey, file: VaultFile): VaultSecrets {
  if (!sameKdf(key.kdf, file.kdf)) {
    throw secretsLocked({ message: phrase('err.vault.relocked'), hint: phrase('err.vault.relocked.hint') });
  }
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(file.iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(file));
    decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
    text = Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw secretsLocked({ message: phrase('err.vault.wrongPassphrase'), hint: phrase('err.vault.wrongPassphrase.hint', { env: code('MAILWRIGHT_PASSPHRASE') }) }, err);
  }
  const secrets = (JSON.parse(text) as { secrets?: unknown }).secrets;
  if (!secrets || typeof secrets !== 'object') throw new Error('vault content has no secrets');
  return secrets as VaultSecrets;
}

const damaged = (path: string, cause: unknown) =>
  new MailwrightError('STORAGE_FAILED', { message: phrase('err.vault.unreadable', { path }), hint: phrase('err.vault.unreadable.hint'), quote: systemWords(cause) }, { cause });
