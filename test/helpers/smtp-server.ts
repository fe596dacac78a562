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
}

export interface TestSmtpServer {
  port: number;
  received: Received[];
  sessions: number;
  /** how many DATA commands the server accepted */
  dataCommands: number;
  close(): Promise<void>;
}

const smtpError = ([code, text]: [number, string]) => Object.assign(new Error(text), { responseCode: code });

/** A real smtp-server on 127.0.0.1 with a self-signed certificate, scripted refusals and a record of what arrived. */
export async function startTestSmtp(opts: TestSmtpOptions): Promise<TestSmtpServer> {
  const { key, cert } = opts.tlsCert ?? (await selfSignedCert());
  const received: Received[] = [];
  const state = { sessions: 0, dataCommands: 0, transactions: 0 };
  const options: SMTPServerOptions = {
    secure: opts.mode === 'tls',
    key,
    cert,
    logger: false,
    size: opts.size,
    ...(opts.authMethods ? { authMethods: opts.authMethods } : {}),
    disabledCommands: [...(opts.mode === 'starttls' ? [] : ['STARTTLS']), ...(opts.noAuth ? ['AUTH'] : [])],
    authOptional: !opts.users,
    allowInsecureAuth: opts.mode === 'plain',
    onConnect: (_session, callback) => {
      state.sessions++;
      callback();
    },
    onAuth: (auth, _session, callback) => {
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
      state.dataCommands++;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (opts.stallAfterData) return;
        if (opts.dataReply) return callback(smtpError(opts.dataReply));
        const raw = Buffer.concat(chunks);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          parsed: await simpleParser(raw),
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    get sessions() {
      return state.sessions;
    },
    get dataCommands() {
      return state.dataCommands;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
