import { createReadStream, type ReadStream } from 'node:fs';
import { Readable } from 'node:stream';

/**
 * How much a built message file is written, and read again to send, at once. Each read or write
 * is a trip to the I/O thread pool, and nodemailer's encoder gives pieces of a few KiB: a 200 MB
 * attachment made tens of thousands of trips (bench/attachment.ts). Larger pieces are fewer trips
 * but more garbage for the collector at once: at 1 MiB peak memory grew by half.
 */
export const IO_CHUNK = 256 * 1024;

/** A read buffer for a file of `size` bytes: no bigger than the file (small messages stay small), no smaller than Node's default. */
export const readChunkFor = (size: number) => Math.min(IO_CHUNK, Math.max(64 * 1024, size));

/**
 * How much of an attachment is read at once while a message is built. nodemailer encodes each
 * piece into a base64 string a third larger: from a 256 KiB piece that string (~350 KB) is a
 * large object to V8, which the young generation's quick collections never free, and they
 * piled up (bench/attachment.ts). From 64 KiB it is an ordinary young object, gone at the next
 * scavenge. The built message is still written, and read again to send, in IO_CHUNK pieces.
 */
const ATTACHMENT_READ = 64 * 1024;

/**
 * An attachment's content as a stream that opens the file only when first read, in ATTACHMENT_READ pieces. A
 * message's attachments are read one after another, so this holds one open file at a time, not
 * one per attachment from the start of the build (EMFILE with many files or many builds at once).
 */
export function lazyFileStream(path: string): Readable {
  let file: ReadStream | undefined;
  return new Readable({
    highWaterMark: ATTACHMENT_READ,
    read() {
      if (!file) {
        file = createReadStream(path, { highWaterMark: ATTACHMENT_READ });
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
