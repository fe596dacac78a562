import type { ErrorText, Result } from '../../../shared/errors';
import { code, phrase } from '../../../shared/i18n/errors/phrase';
import { englishOf } from '../../../shared/i18n/errors/say';
import type { MailwrightApi } from '../../../shared/ipc/bridge';
import type { EventName } from '../../../shared/ipc/contract';
import type { AttachmentInfo } from '../../../shared/model/draft';

/** Browser mode's extra: files chosen in the browser are uploaded, and come back as handles. */
export interface BrowserExtras {
  upload(file: File): Promise<Result<AttachmentInfo>>;
}

/** The server did not answer: said like main's errors (keys, the browser's own words quoted), English alongside. */
const networkError = (err: unknown): Result<never> => {
  const text: ErrorText = { message: [phrase('err.web.unreachable')], hint: [phrase('err.web.unreachable.hint', { command: code('mailwright serve') })], quote: (err as Error).message };
  return { ok: false, error: { code: 'INTERNAL_ERROR', ...englishOf(text), text } };
};

/**
 * The bridge in browser mode: the same methods the preload exposes in Electron (typed by the same
 * contract), carried over HTTP to the loopback server with the launch token. Channel names are not
 * listed here: any "area:operation" name becomes a call, and the server refuses unknown ones. That
 * keeps the contract's schemas (zod) out of the page's bundle, which only needs their types.
 */
export function createHttpBridge(token: string): MailwrightApi & BrowserExtras {
  const headers = { Authorization: `Bearer ${token}` };
  const call = async (channel: string, payload: unknown) => {
    try {
      const res = await fetch(`/api/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: payload === undefined ? '' : JSON.stringify(payload),
      });
      return (await res.json()) as Result<unknown>;
    } catch (err) {
      return networkError(err);
    }
  };
  const methods = new Map<string, (payload?: unknown) => Promise<Result<unknown>>>();
  const channel = (name: string) => {
    let method = methods.get(name);
    if (!method) methods.set(name, (method = (payload?: unknown) => call(name, payload)));
    return method;
  };
  const api: Record<string, unknown> = {};

  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let streaming = false;
  const stream = async () => {
    if (streaming) return;
    streaming = true;
    for (;;) {
      try {
        const res = await fetch('/api/events', { headers });
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            // Fields by line: a regex's `.` and `$` also stop at U+2028/U+2029, which JSON leaves as
            // they are (a subject may hold one), and the event stream broke on it (found in review).
            const field = (name: string) => frame.split('\n').find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
            const event = field('event');
            const data = field('data');
            if (event && data) listeners.get(event)?.forEach((l) => l(JSON.parse(data)));
          }
        }
      } catch {
        // the server went away; try again shortly
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    void stream();
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  };
  api.upload = async (file: File) => {
    try {
      const res = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', headers, body: file });
      return (await res.json()) as Result<AttachmentInfo>;
    } catch (err) {
      return networkError(err);
    }
  };
  // Only "area:operation" names are channels: `then`, `toJSON` and the like stay undefined.
  return new Proxy(api, {
    get: (target, name) => (typeof name === 'string' && !Object.hasOwn(target, name) && name.includes(':') ? channel(name) : target[name as string]),
  }) as unknown as MailwrightApi & BrowserExtras;
}
