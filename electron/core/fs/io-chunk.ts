/**
 * How much a stream reads or writes at once for message files. Each read or write is a trip to the
 * I/O thread pool, and Node's 64 KiB (16 KiB for nodemailer's encoder) made a 200 MB attachment
 * tens of thousands of them (bench/attachment.ts). Larger pieces are fewer trips but more garbage
 * for the collector at once: at 1 MiB peak memory grew by half; 256 KiB keeps both down.
 */
export const IO_CHUNK = 256 * 1024;

/** A read buffer for a file of `size` bytes: no bigger than the file (small messages stay small), no smaller than Node's default. */
export const readChunkFor = (size: number) => Math.min(IO_CHUNK, Math.max(64 * 1024, size));
