import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { SMTPServer } from 'smtp-server';
import type { CaughtMessage, CaughtMessageSummary } from '../../../shared/model/sandbox';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { invalidInput } from '../errors';
import { readMessage } from '../message/read-message';
import { fsyncDir, readJsonFile, writeFileAtomic } from '../fs/atomic-file';
import type { SandboxEndpoint } from '../smtp/transport-factory';

const MAX_SIZE = 50_000_000;

/**
 * The embedded SMTP server that catches mail for preview: loopback only, with a login made
 * fresh at each start (so other local programs cannot drop mail into the preview), and every
 * caught message kept under `sandbox/` as the raw `.eml` plus a summary.
 */
export class SandboxServer implements SandboxEndpoint {
  private server?: SMTPServer;
  private starting?: Promise<{ port: number; user: string; pass: string }>;
  private readonly dir: string;
  private readonly user = 'sandbox';
  private readonly pass = randomBytes(18).toString('base64url');

  constructor(private readonly deps: { dataDir: string; onCaught?: (m: CaughtMessageSummary) => void }) {
    this.dir = join(deps.dataDir, 'sandbox');
  }

  get port(): number {
    const address = this.server?.server.address() as AddressInfo | null | undefined;
    return address?.port ?? 0;
  }

  ensureStarted() {
    this.starting ??= this.start().catch((err) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  private async start() {
    await fs.mkdir(this.dir, { recursive: true });
    const { SMTPServer } = await import('smtp-server'); // only once the sandbox is used, not at every start
    const server = new SMTPServer({
      name: 'sandbox.mailwright.localhost',
      banner: 'Mailwright sandbox: messages are caught here and never delivered',
      size: MAX_SIZE,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true, // loopback only; the login is there to keep other programs out, not for secrecy on the wire
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.user && auth.password === this.pass) return callback(null, { user: this.user });
        callback(new Error('Invalid sandbox login'));
      },
      onData: (stream, session, callback) => {
        this.store(stream, session).then(() => callback(), (err: Error) => callback(err));
      },
    });
    this.server = server;
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return { port: this.port, user: this.user, pass: this.pass };
  }

  private async store(stream: NodeJS.ReadableStream & { sizeExceeded?: boolean }, session: { envelope: { mailFrom: false | { address: string }; rcptTo: Array<{ address: string }> } }) {
    const id = `${Date.now()}-${randomUUID().slice(0, 8)}`;
    const tmp = join(this.dir, `.${id}.eml.tmp`);
    const path = join(this.dir, `${id}.eml`);
    await pipeline(stream, createWriteStream(tmp, { mode: 0o600 }));
    if (stream.sizeExceeded) {
      await fs.rm(tmp, { force: true });
      throw Object.assign(new Error('Message exceeds the sandbox size limit'), { responseCode: 552 });
    }
    await fs.rename(tmp, path);
    await fsyncDir(this.dir);
    const parsed = await readMessage(await fs.readFile(path));
    const summary: CaughtMessageSummary = {
      id,
      receivedAt: new Date().toISOString(),
      envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      envelopeTo: session.envelope.rcptTo.map((r) => r.address),
      bcc: blindCopies(session.envelope.rcptTo.map((r) => r.address), parsed.visible),
      subject: parsed.subject,
      from: parsed.from,
      size: (await fs.stat(path)).size,
    };
    await writeFileAtomic(join(this.dir, `${id}.json`), JSON.stringify(summary));
    this.deps.onCaught?.(summary);
  }

  async list(): Promise<CaughtMessageSummary[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const items = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => readJsonFile<CaughtMessageSummary>(join(this.dir, n))));
    return items.filter((i): i is CaughtMessageSummary => !!i).sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }

  async get(id: string): Promise<CaughtMessage> {
    const summary = await readJsonFile<CaughtMessageSummary>(join(this.dir, `${id}.json`));
    if (!summary) throw invalidInput(phrase('err.sandbox.noMessage', { id }), phrase('err.sandbox.noMessage.hint'));
    const { visible, ...view } = await readMessage(await fs.readFile(join(this.dir, `${id}.eml`)));
    // Messages caught by an older version have no bcc in their summary: worked out again here.
    return { ...summary, ...view, bcc: summary.bcc ?? blindCopies(summary.envelopeTo, visible) };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.starting = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The envelope's recipients that the message names in no header. */
const blindCopies = (envelope: string[], named: string[]) => {
  const seen = new Set(named.map((a) => a.toLowerCase()));
  return envelope.filter((a) => !seen.has(a.toLowerCase()));
};
