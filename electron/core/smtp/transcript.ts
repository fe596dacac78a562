import { format } from 'node:util';
import type { TranscriptLine } from '../../../shared/model/connection-test';

/**
 * A bunyan-shaped logger for nodemailer that records the SMTP dialogue as a transcript,
 * each line marked sent/received and whether TLS was up, with every secret scrubbed.
 * nodemailer already masks AUTH payloads; we scrub again in case a server echoes one back.
 */
export class TranscriptRecorder {
  readonly lines: TranscriptLine[] = [];
  private tls: boolean;
  private readonly secrets: string[];
  private readonly started = performance.now();
  /** When TLS came up (ms since start), if it did during the session. */
  tlsAt?: number;

  constructor(opts: { secrets: Array<string | undefined | null>; startsInTls: boolean }) {
    this.tls = opts.startsInTls;
    this.secrets = opts.secrets
      .filter((s): s is string => !!s)
      .flatMap((s) => [s, Buffer.from(s).toString('base64')]);
  }

  private scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('/* secret */');
    // After an AUTH command, any base64 line we send is a credential whatever it decodes to.
    return out.replace(/^(AUTH \S+) \S+$/i, '$1 /* secret */');
  }

  elapsed(): number {
    return Math.round(performance.now() - this.started);
  }

  /** When we sent a command (ms since start), or undefined. */
  sentAt(command: RegExp): number | undefined {
    return this.lines.find((l) => l.dir === 'sent' && command.test(l.text))?.ms;
  }

  note(text: string) {
    this.lines.push({ dir: 'info', tls: this.tls, text: this.scrub(text), ms: this.elapsed() });
  }

  private record(entry: { tnx?: string }, message: string, args: unknown[]) {
    const text = format(message, ...args);
    if (entry?.tnx === 'client' || entry?.tnx === 'server') {
      for (const line of text.split(/\r?\n/)) {
        if (line) this.lines.push({ dir: entry.tnx === 'client' ? 'sent' : 'received', tls: this.tls, text: this.scrub(line), ms: this.elapsed() });
      }
      return;
    }
    if (/upgraded with STARTTLS/i.test(text)) {
      this.tls = true;
      this.tlsAt = this.elapsed();
    }
    if (entry?.tnx !== 'stream') this.note(text);
  }

  /** The logger object to hand to nodemailer (with `debug: true`). */
  logger() {
    const log = (entry: { tnx?: string }, message: string, ...args: unknown[]) => this.record(entry, message, args);
    return { trace: log, debug: log, info: log, warn: log, error: log, fatal: log, level: () => 'debug' };
  }
}
