import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { TranscriptRecorder } from '../transcript';

export interface Reply {
  code: number;
  lines: string[];
  /** the whole reply as the server sent it, lines joined with a space */
  text: string;
}

export class DialogueError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'closed' | 'socket',
    readonly errno?: NodeJS.ErrnoException,
  ) {
    super(message);
  }
}

/**
 * A minimal SMTP client for diagnosis, in the spirit of swaks: it speaks one command at a time,
 * records every line in the transcript, and can stop anywhere — after RCPT TO, before DATA — which
 * nodemailer, built to deliver, does not offer.
 */
export class SmtpDialogue {
  private socket?: Socket | TLSSocket;
  private buffer = '';
  private pending: string[] = [];
  private waiter?: { resolve: () => void };
  private ended?: DialogueError;

  constructor(private readonly transcript: TranscriptRecorder) {}

  private attach(socket: Socket | TLSSocket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('latin1');
      let i;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, i).replace(/\r$/, '');
        this.buffer = this.buffer.slice(i + 1);
        this.transcript.record('received', line);
        this.pending.push(line);
      }
      this.wake();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.ended ??= new DialogueError(err.message, 'socket', err);
      this.wake();
    });
    socket.on('close', () => {
      this.ended ??= new DialogueError('The server closed the connection', 'closed');
      this.wake();
    });
  }

  private wake() {
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve();
  }

  /** TCP connect; `tls` set means implicit TLS from the first byte. */
  async connect(host: string, port: number, timeoutMs: number, tls?: ConnectionOptions): Promise<Socket | TLSSocket> {
    const socket = tls ? tlsConnect({ host, port, ...tls }) : tcpConnect({ host, port });
    const ready = tls ? 'secureConnect' : 'connect';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new DialogueError(`No answer from ${host}:${port} within ${timeoutMs / 1000} s`, 'timeout'));
      }, timeoutMs);
      socket.once(ready, () => (clearTimeout(timer), resolve()));
      socket.once('error', (err: NodeJS.ErrnoException) => (clearTimeout(timer), reject(new DialogueError(err.message, 'socket', err))));
    });
    this.attach(socket);
    return socket;
  }

  /** Read one whole reply (all its continuation lines). */
  async read(timeoutMs: number): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    const lines: string[] = [];
    for (;;) {
      while (this.pending.length) {
        const line = this.pending.shift()!;
        lines.push(line);
        if (/^\d{3}(?: |$)/.test(line)) {
          const code = Number(line.slice(0, 3));
          return { code, lines, text: lines.map((l) => l.slice(4)).join(' ').trim() || String(code) };
        }
        if (!/^\d{3}-/.test(line)) throw new DialogueError(`Not an SMTP reply: ${line.slice(0, 80)}`, 'socket');
      }
      if (this.ended) throw this.ended;
      const left = deadline - Date.now();
      if (left <= 0) throw new DialogueError(`No reply within ${timeoutMs / 1000} s`, 'timeout');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = { resolve: () => (clearTimeout(timer), resolve()) };
      });
    }
  }

  /** Send one command line and read its reply. `secret` hides the line in the transcript. */
  async command(line: string, timeoutMs: number, opts: { secret?: boolean; shown?: string } = {}): Promise<Reply> {
    if (this.ended) throw this.ended;
    this.transcript.record('sent', opts.shown ?? line, { secret: opts.secret && !opts.shown });
    this.socket!.write(`${line}\r\n`);
    return this.read(timeoutMs);
  }

  /** Upgrade the connection after a 220 to STARTTLS. */
  async startTls(tls: ConnectionOptions, timeoutMs: number): Promise<TLSSocket> {
    const plain = this.socket!;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    const secure = tlsConnect({ socket: plain, ...tls });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        secure.destroy();
        reject(new DialogueError(`TLS handshake did not finish within ${timeoutMs / 1000} s`, 'timeout'));
      }, timeoutMs);
      secure.once('secureConnect', () => (clearTimeout(timer), resolve()));
      secure.once('error', (err: NodeJS.ErrnoException) => (clearTimeout(timer), reject(new DialogueError(err.message, 'socket', err))));
    });
    this.transcript.tlsStarted();
    this.attach(secure);
    return secure;
  }

  /** Say QUIT (politely, best effort) and close. */
  async quit(): Promise<void> {
    if (this.socket && !this.ended) {
      try {
        await this.command('QUIT', 2000);
      } catch {
        // closing anyway
      }
    }
    this.close();
  }

  close() {
    this.socket?.destroy();
  }
}
