import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CoreServices } from '../services';
import { fitFileName, withoutControls } from './file-name';

// Files that reach main as bytes rather than as a path the user picked in a native dialog:
// chosen in a browser (browser mode), or dropped/pasted into the composer. Each is kept under
// uploads/<random>/<name>, so the registry can hand out a handle like for any other file.

/** A file name from outside: keep the name, lose any path or control character. */
export function safeName(raw: string): string {
  const name = fitFileName(withoutControls(basename(raw.replace(/\\/g, '/'))).trim());
  return name === '' || name === '.' || name === '..' ? 'attachment' : name;
}

export const uploadsDir = (dataDir: string) => join(dataDir, 'uploads');

/** Write the bytes (a buffer or a stream) as a new upload; returns its path. */
export async function storeUpload(dataDir: string, rawName: string, bytes: Buffer | Readable): Promise<string> {
  const dir = join(uploadsDir(dataDir), randomBytes(9).toString('base64url'));
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, safeName(rawName));
  try {
    if (Buffer.isBuffer(bytes)) await fs.writeFile(path, bytes, { mode: 0o600 });
    else await pipeline(bytes, createWriteStream(path, { mode: 0o600 }));
  } catch (err) {
    // An upload cut off half-way (a closed tab, a full disk) leaves nothing behind until the next start.
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
  return path;
}

/**
 * Uploads from earlier runs are kept only while a saved draft or a waiting message still
 * refers to them; the rest (sent, discarded) are removed.
 */
export async function pruneUploads(core: Pick<CoreServices, 'dataDir' | 'drafts' | 'outbox'>): Promise<void> {
  let needed: string[];
  try {
    needed = [...(await core.drafts.rememberedPaths()), ...(await core.outbox.rememberedPaths())];
  } catch {
    // A draft that could not be read may need any of them: remove nothing this time.
    return;
  }
  const uploads = uploadsDir(core.dataDir);
  const keep = new Set(needed.filter((p) => p.startsWith(uploads + sep)).map((p) => relative(uploads, p).split(sep)[0]));
  for (const dir of await fs.readdir(uploads).catch(() => [] as string[])) {
    if (!keep.has(dir)) await fs.rm(join(uploads, dir), { recursive: true, force: true });
  }
}
