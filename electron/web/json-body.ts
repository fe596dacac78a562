import type { IncomingMessage } from 'node:http';
import type { Phrase } from '../../shared/errors';
import { phrase } from '../../shared/i18n/errors/phrase';

/** Why a request body was refused before it was parsed: its size (413), or its form (400), as a catalogue phrase. */
export class BodyRefused extends Error {
  constructor(
    readonly status: 413 | 400,
    readonly why: Phrase,
  ) {
    super(why.key);
  }
}

/** Deeper than any request of the contract nests (a draft's attachments: 3 levels). */
export const MAX_JSON_DEPTH = 32;

/**
 * Read a JSON request body of at most `limit` bytes and parse it, but only after checking how
 * deep it nests: JSON.parse of an authorised 30 MB body nested millions deep held the event loop
 * for seconds and a gigabyte of memory (found in review), where a scan of the text costs one pass.
 */
export async function readJsonBody(req: IncomingMessage, limit: number, maxDepth = MAX_JSON_DEPTH): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = () => new BodyRefused(413, phrase('err.web.requestTooLarge', { mb: Math.round(limit / 100_000) / 10 }));
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  if (nestsDeeperThan(text, maxDepth)) throw new BodyRefused(400, phrase('err.web.tooDeep', { depth: maxDepth }));
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyRefused(400, phrase('err.web.notJson'));
  }
}

/** Whether JSON text opens more than `max` arrays or objects inside each other (strings skipped). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
