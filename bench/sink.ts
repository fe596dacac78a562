// A fast SMTP sink on 127.0.0.1 for the benchmarks: a real smtp-server (the same package the
// tests use) that reads each message to the end and discards it. Runs in its own process so it
// never competes with the client being measured for the same event loop.
// Prints `PORT <n>` once listening; on stdin, a line `count` answers `COUNT <messages> <bytes>`.
import { createInterface } from 'node:readline';
import { SMTPServer } from 'smtp-server';

let messages = 0;
let bytes = 0;
const server = new SMTPServer({
  logger: false,
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  size: 1024 * 1024 * 1024,
  maxClients: 1000,
  onData(stream, _session, callback) {
    stream.on('data', (c: Buffer) => (bytes += c.length));
    stream.on('end', () => {
      messages++;
      callback(null, 'Queued as discarded');
    });
  },
});
server.on('error', () => undefined);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as { port: number };
  process.stdout.write(`PORT ${port}\n`);
});
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'count') process.stdout.write(`COUNT ${messages} ${bytes}\n`);
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
