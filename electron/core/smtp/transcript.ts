import { format } from 'node:util';
import type { TranscriptLine } from '../../../shared/model/connection-test';

/**
 * The SMTP dialogue as a transcript, swaks-style: each line marked sent/received, whether TLS
 * was up, and when — with every secret scrubbed (the password, its base64, and any AUTH payload).
 */
export class TranscriptRecorder {
  readonly lines: TranscriptLine[] = [];
  private tls: boolean;
  private readonly secrets: string[];
  private readonly started = performance.now();

  constructor(opts: { secrets: Array<string | undefined | null>; startsInTls?: boolean }) {
    this.tls = opts.startsInTls ?? false;
    this.secrets = opts.secrets
      .filter((s): s is string => !!s)
      .flatMap((s) => [s, Buffer.from(s).toString('base64')]);
  }

  /** A secret learnt after the start (an OAuth2 access token): scrubbed from here on, as the others. */
  addSecret(secret: string) {
    this.secrets.push(secret, Buffer.from(secret).toString('base64'));
  }

  elapsed(): number {
    return Math.round(performance.now() - this.started);
  }

  tlsStarted() {
    this.tls = true;
  }

  private scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('/* secret */');
    return out.replace(/^(AUTH \S+) \S+$/i, '$1 /* secret */');
  }

  record(dir: TranscriptLine['dir'], text: string, opts: { secret?: boolean } = {}) {
    this.lines.push({ dir, tls: this.tls, text: opts.secret ? '/* secret */' : this.scrub(text), ms: this.elapsed() });
  }

  note(text: string) {
    this.record('info', text);
  }

  /** A bunyan-shaped logger for nodemailer (with `debug: true`), feeding the same transcript. */
  logger() {
    const log = (entry: { tnx?: string }, message: string, ...args: unknown[]) => {
      const text = format(message, ...args);
      if (entry?.tnx === 'client' || entry?.tnx === 'server') {
        for (const line of text.split(/\r?\n/)) if (line) this.record(entry.tnx === 'client' ? 'sent' : 'received', line);
      } else if (/upgraded with STARTTLS/i.test(text)) {
        this.tlsStarted();
        this.note(text);
      } else if (entry?.tnx !== 'stream') this.note(text);
    };
    return { trace: log, debug: log, info: log, warn: log, error: log, fatal: log, level: () => 'debug' };
  }
}
