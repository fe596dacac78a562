import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fsyncDir } from '../fs/atomic-file';
import { readChunkFor } from '../fs/io-chunk';
import type { OutboxRepository } from './outbox-repository';

/** How old a file in messages/ without a row must be before it is taken for a build a crash cut short. */
const ORPHAN_AGE_MS = 60 * 60_000;

/** Where a message's exact bytes are: in the database, or a file (for a message with files attached). */
export type StoredBytes = { bytes: Uint8Array } | { file: string };

/**
 * A message's exact bytes, built once and never rebuilt. A message without files attached is
 * small and is kept in the database, committed with its row; one with files is streamed to
 * `messages/ID.eml`, fsynced (file and folder) before its row commits. Bytes are never removed:
 * sent mail can be exported or opened again as a new draft.
 */
export class MessageBytes {
  readonly dir: string;
  private made: Promise<void> | undefined;

  constructor(
    dataDir: string,
    private readonly repo: () => OutboxRepository,
  ) {
    this.dir = join(dataDir, 'messages');
  }

  /** The folder exists (made once per process; a failure is tried again next time). */
  prepare(): Promise<void> {
    this.made ??= fs
      .mkdir(this.dir, { recursive: true, mode: 0o700 })
      .then(() => undefined)
      .catch((err: unknown) => {
        this.made = undefined;
        throw err;
      });
    return this.made;
  }

  filePath(id: string): string {
    return join(this.dir, `${id}.eml`);
  }

  /** Make a file written for `id` durable in its folder (the file itself was fsynced as it was closed). */
  async settle(): Promise<void> {
    await fsyncDir(this.dir);
  }

  where(id: string): StoredBytes {
    const bytes = this.repo().bytes(id);
    return bytes ? { bytes } : { file: this.filePath(id) };
  }

  /** Where the bytes of `id` are and how many there are (-1: none), read once for a send. */
  async stored(id: string): Promise<{ where: StoredBytes; size: number }> {
    const where = this.where(id);
    if ('bytes' in where) return { where, size: where.bytes.length };
    return { where, size: await fs.stat(where.file).then((s) => s.size, () => -1) };
  }

  /**
   * The bytes as a stream, in pieces the reader pulls one at a time: a file is never held whole, and
   * the stream ends only when the last piece has been taken (how delivery tells that the whole
   * message may have gone out).
   */
  open(stored: StoredBytes, size: number): Readable {
    const chunk = readChunkFor(size);
    if (!('bytes' in stored)) return createReadStream(stored.file, { highWaterMark: chunk });
    const { bytes } = stored;
    return Readable.from(
      (function* pieces() {
        for (let at = 0; at < bytes.length; at += chunk) yield Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(chunk, bytes.length - at));
      })(),
      { objectMode: false, highWaterMark: chunk },
    );
  }

  async read(id: string): Promise<Buffer> {
    const stored = this.where(id);
    return 'bytes' in stored ? Buffer.from(stored.bytes) : fs.readFile(stored.file);
  }

  /** Write the bytes to `path` (export), streamed from a file. */
  async copyTo(id: string, path: string): Promise<void> {
    const stored = this.where(id);
    if ('bytes' in stored) await fs.writeFile(path, stored.bytes);
    else await fs.copyFile(stored.file, path);
  }

  /** Remove a file a build wrote for a message that was never committed. */
  async discard(id: string): Promise<void> {
    await fs.rm(this.filePath(id), { force: true }).catch(() => undefined);
  }

  /** The files no row names, with their ids and sizes. */
  async withoutRow(): Promise<Array<{ id: string; path: string; size: number; mtimeMs: number }>> {
    const found = [];
    for (const name of await fs.readdir(this.dir).catch(() => [] as string[])) {
      const id = /^([\w-]+)\.eml$/.exec(name)?.[1];
      if (!id || this.repo().has(id)) continue;
      const path = join(this.dir, name);
      const info = await fs.stat(path).catch(() => undefined);
      if (info?.isFile()) found.push({ id, path, size: info.size, mtimeMs: info.mtimeMs });
    }
    return found;
  }

  /**
   * Files whose message was never committed (a crash during a build), older than any build still
   * running in another process could be. Ages are the file system's, so on the real clock.
   */
  async removeOrphans(): Promise<void> {
    const now = Date.now();
    for (const file of await this.withoutRow()) if (file.mtimeMs < now - ORPHAN_AGE_MS && !this.repo().has(file.id)) await fs.rm(file.path, { force: true });
    // A signed build writes the message aside first (ID.eml.unsigned): never a message of its own, so never rescued as one.
    for (const name of await fs.readdir(this.dir).catch(() => [] as string[])) {
      if (!name.endsWith('.eml.unsigned')) continue;
      const path = join(this.dir, name);
      const info = await fs.stat(path).catch(() => undefined);
      if (info && info.mtimeMs < now - ORPHAN_AGE_MS) await fs.rm(path, { force: true });
    }
  }
}
