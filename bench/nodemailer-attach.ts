// The raw nodemailer baselines of the big-attachment benchmark: one message with FILE attached,
// over one plain connection. Prints {"ms"}.
//   PORT FILE          — streamed from its path by nodemailer itself, nothing written to disk
//   PORT FILE durable  — the least a crash-safe outbox must do with it: the built message written to
//                        a file and fsynced, a state record written atomically, the message sent
//                        from its file, the record written again (the floor under any durable outbox)
import { createReadStream, createWriteStream, mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';

const [port, file, mode] = process.argv.slice(2);
const message = { from: 'Ana <ana@example.test>', to: 'bob@example.test', subject: 'Big file', text: 'The file is attached.', attachments: [{ path: file! }] };
const started = performance.now();
const transport = nodemailer.createTransport({ host: '127.0.0.1', port: Number(port), secure: false, ignoreTLS: true });
if (mode === 'durable') {
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-attach-durable-'));
  const record = async (state: string) => {
    const handle = await fs.open(join(dir, 'state.json.tmp'), 'w', 0o600);
    await handle.writeFile(JSON.stringify({ state }));
    await handle.sync();
    await handle.close();
    await fs.rename(join(dir, 'state.json.tmp'), join(dir, 'state.json'));
    const folder = await fs.open(dir, 'r');
    await folder.sync();
    await folder.close();
  };
  try {
    const eml = join(dir, 'message.eml');
    const out = createWriteStream(eml, { flush: true });
    new MailComposer(message).compile().createReadStream().pipe(out);
    await finished(out);
    await record('queued');
    await transport.sendMail({ envelope: { from: 'ana@example.test', to: ['bob@example.test'] }, raw: createReadStream(eml) });
    await record('sent');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else await transport.sendMail(message);
transport.close();
process.stdout.write(JSON.stringify({ ms: performance.now() - started }) + '\n');
