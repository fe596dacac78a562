import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { selfSignedCert } from './certs';

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface TestSmtpOptions {
  /** implicit TLS on connect, STARTTLS offered, or plain */
  mode: 'tls' | 'starttls' | 'plain';
  users?: Record<string, string>;
  /** reply to RCPT TO for some addresses: e.g. { 'nobody@example.test': [550, 'No such user'] } */
  refuseRcpt?: Record<string, [number, string]>;
  refuseSender?: [number, string];
  /** reply to the end of DATA */
  dataReply?: [number, string];
  /** replies to the end of the 1st, 2nd, … DATA (e.g. two 451s, then behave as usual) */
  dataReplies?: Array<[number, string]>;
  /** a refusal for the nth DATA (0-based), or undefined to take it: a server that throttles after N messages */
  dataReplyFor?: (nth: number) => [number, string] | undefined;
  size?: number;
  /** read the whole message, then never answer the final dot (the duplicate window) */
  stallAfterData?: boolean;
  /** login methods offered (smtp-server supports PLAIN, LOGIN, CRAM-MD5, XOAUTH2) */
  authMethods?: string[];
  /** answer 451 to the RCPT of the first N mail transactions (a pooled client may reuse one session), then behave */
  failFirst?: number;
  /** advertise no AUTH at all (a relay) */
  noAuth?: boolean;
  /** another certificate than the default self-signed one */
  tlsCert?: { key: string; cert: string };
  /** called when a client connects, before the greeting; the greeting waits for a returned promise */
  onConnect?: () => void | Promise<void>;
  /** called as a message body arrives, with its bytes so far (and which DATA it is, from 0); a returned promise stops the reading until it settles */
  onDataBytes?: (bytes: number, nth: number) => void | Promise<void>;
  /** called once a whole message (up to the final dot) is in `bodies`, before it is answered */
  onMessage?: (message: Received) => void;
  /**
   * XOAUTH2 only: a token is good when `check` says it is active for the user logging in. A bad
   * one is refused as Gmail does (a 334 challenge with the error as JSON, then 535) or as
   * Microsoft does (535 at once).
   */
  xoauth2?: { check: (token: string, user: string) => Promise<boolean>; refuseLike: 'google' | 'microsoft' };
}

export interface TestSmtpServer {
  port: number;
  received: Received[];
  /** every message read up to the final dot, whatever the server then answered */
  bodies: Received[];
  sessions: number;
  /** how many DATA commands the server accepted */
  dataCommands: number;
  /** how many MAIL FROM commands (mail transactions) the server saw */
  transactions: number;
  /** connections still open (a client that died is counted until the server has read all it sent) */
  openConnections: number;
  /** the access tokens XOAUTH2 logins offered, in order */
  logins: string[];
  close(): Promise<void>;
}

const smtpError = ([code, text]: [number, string]) => Object.assign(new Error(text), { responseCode: code });

/** A real smtp-server on 127.0.0.1 with a self-signed certificate, scripted refusals and a record of what arrived. */
export async function startTestSmtp(opts: TestSmtpOptions): Promise<TestSmtpServer> {
  const { key, cert } = opts.tlsCert ?? (await selfSignedCert());
  const received: Received[] = [];
  const bodies: Received[] = [];
  const state = { sessions: 0, dataCommands: 0, transactions: 0, logins: [] as string[] };
  const options: SMTPServerOptions = {
    secure: opts.mode === 'tls',
    key,
    cert,
    logger: false,
    size: opts.size,
    ...(opts.xoauth2 ? { authMethods: ['XOAUTH2'] } : opts.authMethods ? { authMethods: opts.authMethods } : {}),
    disabledCommands: [...(opts.mode === 'starttls' ? [] : ['STARTTLS']), ...(opts.noAuth ? ['AUTH'] : [])],
    authOptional: !opts.users && !opts.xoauth2,
    allowInsecureAuth: opts.mode === 'plain',
    onConnect: (_session, callback) => {
      state.sessions++;
      const wait = opts.onConnect?.();
      if (wait) void wait.then(() => callback(), callback);
      else callback();
    },
    onAuth: (auth, _session, callback) => {
      if (opts.xoauth2) {
        const { check, refuseLike } = opts.xoauth2;
        state.logins.push(auth.accessToken ?? '');
        void check(auth.accessToken ?? '', auth.username ?? '').then((ok) => {
          if (ok) return callback(null, { user: auth.username });
          if (refuseLike === 'google') return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'smtp.send' } });
          callback(Object.assign(new Error('5.7.3 Authentication unsuccessful'), { responseCode: 535 }));
        }, callback);
        return;
      }
      if (opts.users && opts.users[auth.username ?? ''] === auth.password) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onMailFrom: (_address, _session, callback) => {
      state.transactions++;
      callback(opts.refuseSender ? smtpError(opts.refuseSender) : undefined);
    },
    onRcptTo: (address, _session, callback) => {
      if (opts.failFirst && state.transactions <= opts.failFirst) return callback(smtpError([451, '4.3.0 Busy, try again later']));
      const refusal = opts.refuseRcpt?.[address.address];
      callback(refusal ? smtpError(refusal) : undefined);
    },
    onData: (stream, session, callback) => {
      const nth = state.dataCommands++;
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (c: Buffer) => {
        chunks.push(c);
        bytes += c.length;
        const wait = opts.onDataBytes?.(bytes, nth);
        if (wait) {
          stream.pause();
          void wait.finally(() => stream.resume());
        }
      });
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const message: Received = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          parsed: await simpleParser(raw),
        };
        bodies.push(message);
        opts.onMessage?.(message);
        if (opts.stallAfterData) return;
        const reply = opts.dataReplyFor?.(nth) ?? opts.dataReplies?.[nth] ?? opts.dataReply;
        if (reply) return callback(smtpError(reply));
        received.push(message);
        callback();
      });
    },
  };
  // smtp-server waits 30 s on close() for connected clients: longer than half a hook's limit.
  const server = new SMTPServer({ closeTimeout: 500, ...options });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    bodies,
    get sessions() {
      return state.sessions;
    },
    get dataCommands() {
      return state.dataCommands;
    },
    get transactions() {
      return state.transactions;
    },
    logins: state.logins,
    get openConnections() {
      return server.connections.size;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
