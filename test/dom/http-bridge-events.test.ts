// Browser mode's event stream as the page reads it (createHttpBridge), fed by a fake server.
// Type-checked with the renderer's settings: it tests renderer code; Node's fetch types suffice.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpBridge } from '../../renderer/src/lib/http-bridge';

afterEach(() => vi.unstubAllGlobals());

describe('the event stream in browser mode', () => {
  it('delivers an event whose JSON holds U+2028 and U+2029 whole, and the events after it', async () => {
    const subject = 'Hi\u2028there\u2029again';
    const frames = [
      `event: outbox:changed\ndata: ${JSON.stringify({ id: 'a', subject })}\n\n`,
      `event: outbox:changed\ndata: ${JSON.stringify({ id: 'b', subject: 'next' })}\n\n`,
    ];
    // The server's frames, then a stream that stays open (as the real one does).
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const f of frames) controller.enqueue(new TextEncoder().encode(f));
      },
    });
    const fetchMock = vi.fn(async () => new Response(body));
    vi.stubGlobal('fetch', fetchMock);
    const seen: unknown[] = [];
    createHttpBridge('t').on('outbox:changed', (p) => seen.push(p));
    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 5_000 });
    expect(seen).toEqual([
      { id: 'a', subject },
      { id: 'b', subject: 'next' },
    ]);
    expect(fetchMock).toHaveBeenCalledTimes(1); // one stream, never dropped and opened again
  });
});
