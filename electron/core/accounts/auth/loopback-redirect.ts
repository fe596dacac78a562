import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { phrase } from '../../../../shared/i18n/errors/phrase';
import { MailwrightError } from '../../errors';

/** How long a sign-in waits for the browser to come back (RFC 8252's loopback listener). */
export const SIGN_IN_WAIT_MS = 5 * 60_000;

export interface RedirectArrival {
  /** The redirect as the provider sent it (redirect URI + its query). */
  url: URL;
  /** Tell the browser tab how it ended; it waits for this (at most 30 s). */
  answer(outcome: { ok: true; text: string } | { ok: false; text: string }): void;
}

export interface LoopbackRedirect {
  redirectUri: string;
  /** The first redirect to arrive; rejects with TIMEOUT after the wait, or when cancelled. */
  arrival: Promise<RedirectArrival>;
  close(): void;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font:16px system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em"><h1 style="font-size:1.4em">${title}</h1><p>${text}</p>`;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A listener for one OAuth redirect, on the loopback interface at a port the system picks for
 * each sign-in (RFC 8252 §7.3). It takes the first request to its path and then closes; requests
 * for other paths, or naming another host (a page of some web site rebinding a name to
 * 127.0.0.1), are turned away without ending the wait. After `waitMs` it gives up.
 *
 * `host` is what the redirect URI says: 127.0.0.1, or localhost where a provider registers only
 * that (then ::1 is taken too, so no other program can answer for it there).
 */
export async function listenForRedirect(host: 'localhost' | '127.0.0.1', waitMs = SIGN_IN_WAIT_MS): Promise<LoopbackRedirect> {
  const servers: Server[] = [];
  let settle: { resolve: (a: RedirectArrival) => void; reject: (e: Error) => void } | undefined;
  const arrival = new Promise<RedirectArrival>((resolve, reject) => (settle = { resolve, reject }));
  arrival.catch(() => undefined);
  let port = 0;
  let redirectUri = '';
  const timer = setTimeout(() => {
    settle?.reject(new MailwrightError('TIMEOUT', { message: phrase('err.signIn.timeout', { count: waitMs / 60_000 }), hint: phrase('err.signIn.timeout.hint') }));
    settle = undefined;
    close();
  }, waitMs);
  const close = () => {
    clearTimeout(timer);
    for (const s of servers) {
      s.close();
      s.closeIdleConnections();
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${host}:${port}`);
    const hostOk = req.headers.host === `${host}:${port}` || (host === 'localhost' && req.headers.host === `127.0.0.1:${port}`);
    if (!redirectUri || !hostOk || req.method !== 'GET' || url.pathname !== '/' || !settle) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    const { resolve } = settle;
    settle = undefined; // one answer: the first redirect ends the wait, whatever it carries
    close();
    let answered = false;
    const answer = (outcome: { ok: boolean; text: string }) => {
      if (answered) return;
      answered = true;
      clearTimeout(giveUp);
      const title = outcome.ok ? 'Signed in to Mailwright' : 'Mailwright could not sign in';
      res
        .writeHead(outcome.ok ? 200 : 400, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
          'Cache-Control': 'no-store',
          'Referrer-Policy': 'no-referrer',
          Connection: 'close',
        })
        .end(PAGE(title, `${escapeHtml(outcome.text)} You can close this tab and go back to Mailwright.`));
    };
    const giveUp = setTimeout(() => answer({ ok: false, text: 'Mailwright took too long to finish the sign-in.' }), 30_000);
    resolve({ url: new URL(`${url.pathname}${url.search}`, redirectUri), answer });
  };

  const first = createServer(handle);
  servers.push(first);
  await new Promise<void>((resolve, reject) => {
    first.once('error', (err) => (close(), reject(err)));
    first.listen(0, '127.0.0.1', () => resolve());
  });
  port = (first.address() as AddressInfo).port;
  if (host === 'localhost') {
    const v6 = createServer(handle);
    await new Promise<void>((resolve) => {
      v6.once('error', () => resolve()); // no IPv6 here: browsers reach localhost on 127.0.0.1
      v6.listen(port, '::1', () => (servers.push(v6), resolve()));
    });
  }
  redirectUri = `http://${host}:${port}/`;
  return {
    redirectUri,
    arrival,
    close() {
      settle?.reject(new MailwrightError('SIGN_IN_REQUIRED', { message: phrase('err.signIn.cancelled'), hint: phrase('err.signIn.cancelled.hint') }));
      settle = undefined;
      close();
    },
  };
}
