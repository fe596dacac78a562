// The raw nodemailer baseline of the big-attachment benchmark: one message with FILE attached,
// streamed from its path by nodemailer itself, over one plain connection. Prints {"ms"}.
import nodemailer from 'nodemailer';

const [port, file] = process.argv.slice(2);
const started = performance.now();
const transport = nodemailer.createTransport({ host: '127.0.0.1', port: Number(port), secure: false, ignoreTLS: true });
await transport.sendMail({ from: 'Ana <ana@example.test>', to: 'bob@example.test', subject: 'Big file', text: 'The file is attached.', attachments: [{ path: file! }] });
transport.close();
process.stdout.write(JSON.stringify({ ms: performance.now() - started }) + '\n');
