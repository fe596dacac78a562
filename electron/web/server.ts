import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contract, EVENT_NAMES, REQUEST_BYTES, requestBytes, type Channel } from '../../shared/ipc/contract';
import { BodyRefused, readJsonBody } from './json-body';
import type { Core } from '../core/core';
import { internalError, invokeChannel } from '../core/invoke';
import { errorInfo } from '../core/errors';
import { phrase } from '../../shared/i18n/errors/phrase';
import type { Phrase } from '../../shared/errors';
import { pruneUploads, storeUpload } from '../core/attachments/uploads';
import { CSP } from '../core/csp';
import { RequestGuard } from './request-guard';
import { serveStatic } from './static-files';

const MAX_UPLOAD = 200_000_000;

/** A request only a broken or foreign client makes: the page itself never does. */
const callerBug = (message: Phrase) => errorInfo('INVALID_INPUT', { message, hint: phrase('err.callerBug.hint') });

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

/**
 * Browser mode: the built renderer and the contract's handlers over HTTP on 127.0.0.1 only.
 * `POST /api/<channel>` runs a contract channel; `GET /api/events` streams the contract's events;
 * `POST /api/upload` stores a file the user chose in the browser and returns its handle.
 */
export async function startWebServer(core: Core, opts: { rendererDir: string; port?: number }): Promise<WebServer> {
  const token = randomBytes(24).toString('base64url');
  await pruneUploads(core);
  // Known once the port is: the guard checks Host and Origin against it.
  const state: { guard?: RequestGuard } = {};
  const streams = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { ok: false, error: internalError() });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!state.guard!.hostAllowed(req)) return void (res.writeHead(421), res.end());
    if (!state.guard!.originAllowed(req)) return void (res.writeHead(403), res.end());

    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return void (res.writeHead(405), res.end());
      const headers = { ...SECURITY_HEADERS, 'Cache-Control': url.pathname.startsWith('/assets/') ? 'max-age=3600' : 'no-store' };
      if (await serveStatic(opts.rendererDir, url.pathname, res, headers)) return;
      return void (res.writeHead(404, SECURITY_HEADERS), res.end());
    }
    if (!state.guard!.tokenValid(req)) return send(res, 401, { ok: false, error: errorInfo('INVALID_INPUT', { message: phrase('err.web.token'), hint: phrase('err.web.token.hint') }) });

    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: callerBug(phrase('err.web.usePost')) });

    if (url.pathname === '/api/upload') {
      const length = Number(req.headers['content-length'] ?? NaN);
      if (!(length >= 0) || length > MAX_UPLOAD) {
        return send(res, 413, { ok: false, error: errorInfo('MESSAGE_TOO_LARGE', { message: phrase('err.web.uploadTooLarge'), hint: phrase('err.web.uploadTooLarge.hint', { mb: MAX_UPLOAD / 1_000_000 }) }) });
      }
      const path = await storeUpload(core.dataDir, url.searchParams.get('name') ?? '', req);
      // Through the contract like every request; the channel is the host's own, not the page's.
      return send(res, 200, await invokeChannel(core.handlers, 'attachments:register-path', { path }, undefined, 'command-line'));
    }

    let channel: string;
    try {
      channel = decodeURIComponent(url.pathname.slice('/api/'.length));
    } catch {
      return send(res, 400, { ok: false, error: callerBug(phrase('err.web.badChannel')) });
    }
    let payload: unknown;
    try {
      payload = await readJsonBody(req, Object.hasOwn(contract, channel) ? requestBytes(channel as Channel) : REQUEST_BYTES);
    } catch (err) {
      if (!(err instanceof BodyRefused)) throw err;
      // Unread, a large body would keep arriving: the connection goes with the answer.
      res.setHeader('Connection', 'close');
      return send(res, err.status, { ok: false, error: errorInfo('INVALID_INPUT', { message: err.why, hint: phrase(err.status === 413 ? 'err.web.requestTooLarge.hint' : 'err.callerBug.hint') }) });
    }
    send(res, 200, await invokeChannel(core.handlers, channel, payload));
  }

  const unsubscribe = EVENT_NAMES.map((name) =>
    core.events.on(name, (payload) => {
      const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const res of streams) res.write(frame);
    }),
  );

  // Loopback only, always: browser mode must never be reachable from another machine.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  state.guard = new RequestGuard(token, port);
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    async close() {
      unsubscribe.forEach((off) => off());
      for (const res of streams) res.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // An open tab keeps idle keep-alive connections (and reconnects its event stream): drop them, or stopping waits on the browser.
      server.closeAllConnections();
      await closed;
    },
  };
}
