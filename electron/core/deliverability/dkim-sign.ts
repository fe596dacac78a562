import { PassThrough } from 'node:stream';
import { phrase } from '../../../shared/i18n/errors/phrase';
import type { DkimSettings } from '../../../shared/model/deliverability';
import { MailwrightError } from '../errors';

/**
 * The header fields a signature covers: mailauth's own list, and List-Unsubscribe-Post, which
 * RFC 8058 3.1 requires to be signed with List-Unsubscribe (Gmail ignores the one-click header
 * otherwise).
 */
const SIGNED_FIELDS = [
  'From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'Cc', 'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding',
  'Content-ID', 'Content-Description', 'In-Reply-To', 'References', 'List-Id', 'List-Help', 'List-Unsubscribe', 'List-Unsubscribe-Post',
  'List-Subscribe', 'List-Post', 'List-Owner', 'List-Archive',
].join(':');

// Loaded when the first message is signed: mailauth and its schema library take ~120 ms and
// ~30 MB to load, which a command that signs nothing should not pay.
let signing: Promise<typeof import('mailauth/lib/dkim/sign.js')> | undefined;
const loadSigning = () =>
  (signing ??= import('mailauth/lib/dkim/sign.js').catch((err: unknown) => {
    signing = undefined; // tried again by the next message
    throw err;
  }));

/** Signs a message of an account's with its DKIM key: the DKIM-Signature header to put in front of it. */
export interface DkimSigner {
  /** A whole message in memory. */
  sign(message: Buffer, at: Date): Promise<Buffer>;
  /**
   * A message being written as it streams (one with files attached): write each piece to
   * `input`, end it, then await `signature`. The pieces are hashed as they pass, never held.
   */
  signStream(at: Date): { input: PassThrough; signature: Promise<Buffer> };
}

export function dkimSigner(settings: DkimSettings, privateKey: string): DkimSigner {
  const algorithm = settings.keyType === 'ed25519' ? 'ed25519-sha256' : 'rsa-sha256';
  // relaxed/relaxed: survives the whitespace and folding changes relays make (RFC 6376 3.4).
  const canonicalization = 'relaxed/relaxed';
  const signature = { signingDomain: settings.domain, selector: settings.selector, privateKey, algorithm, canonicalization };
  // mailauth signs what signatureData lists; its types also ask for the first one's fields at the top.
  const options = (at: Date) => ({
    ...signature,
    algorithm,
    headerList: SIGNED_FIELDS,
    signTime: at,
    strict: true,
    signatureData: [signature],
  });
  const header = async (input: Buffer | PassThrough, at: Date): Promise<Buffer> => {
    const { dkimSign } = await loadSigning();
    const { signatures, errors } = await dkimSign(input, options(at));
    if (!signatures) throw unsigned(settings, errors[0]?.err);
    return Buffer.from(signatures);
  };
  return {
    sign: async (message, at) => Buffer.concat([await header(message, at), message]),
    signStream: (at) => {
      const input = new PassThrough({ highWaterMark: 0 });
      return { input, signature: header(input, at) };
    },
  };
}

const unsigned = (settings: DkimSettings, cause: unknown) =>
  // The domain and selector were checked when the key was kept: a signature that cannot be made is our failure, not the message's.
  new MailwrightError('INTERNAL_ERROR', { message: phrase('err.dkim.unsigned', { domain: settings.domain }), hint: phrase('err.dkim.unsigned.hint'), quote: cause instanceof Error ? cause.message : undefined }, { cause });
