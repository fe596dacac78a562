import { createReadStream, type ReadStream } from 'node:fs';
import { Readable } from 'node:stream';

/**
 * How much a stream reads or writes at once for message files. Each read or write is a trip to the
 * I/O thread pool, and Node's 64 KiB (16 KiB for nodemailer's encoder) made a 200 MB attachment
 * tens of thousands of them (bench/attachment.ts). Larger pieces are fewer trips but more garbage
 * for the collector at once: at 1 MiB peak memory grew by half; 256 KiB keeps both down.
 */
export const IO_CHUNK = 256 * 1024;

/** A read buffer for a file of `size` bytes: no bigger than the file (small messages stay small), no smaller than Node's default. */
export const readChunkFor = (size: number) => Math.min(IO_CHUNK, Math.max(64 * 1024, size));

/**
 * A file's content as a stream that opens the file only when first read, in IO_CHUNK pieces. A
 * message's attachments are read one after another, so this holds one open file at a time, not
 * one per attachment from the start of the build (EMFILE with many files or many builds at once).
 */
export function lazyFileStream(path: string, size: number): Readable {
  let file: ReadStream | undefined;
  return new Readable({
    highWaterMark: readChunkFor(size),
    read() {
      if (!file) {
        file = createReadStream(path, { highWaterMark: readChunkFor(size) });
        file.on('data', (chunk) => {
          if (!this.push(chunk)) file!.pause();
        });
        file.once('end', () => this.push(null));
        file.once('error', (err) => this.destroy(err));
      }
      file.resume();
    },
    destroy(err, done) {
      file?.destroy();
      done(err);
    },
  });
}
