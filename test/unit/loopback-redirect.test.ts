import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenForRedirect } from '../../electron/core/accounts/auth/loopback-redirect';

// The sign-in's loopback listener on its own: real sockets on 127.0.0.1, a short wait.
describe('the loopback redirect listener', () => {
  it('listens on 127.0.0.1 at a port of its own, and gives up after its wait with TIMEOUT, closed', async () => {
    const a = await listenForRedirect('127.0.0.1', 300);
    const b = await listenForRedirect('127.0.0.1', 300);
    expect(a.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(new URL(a.redirectUri).port).not.toBe(new URL(b.redirectUri).port);
    b.close();
    await expect(b.arrival).rejects.toMatchObject({ info: { code: 'SIGN_IN_REQUIRED' } });
    await expect(a.arrival).rejects.toMatchObject({ info: { code: 'TIMEOUT' } });
    await expect(fetch(a.redirectUri)).rejects.toThrow();
  });

  it('takes the first redirect to its path, holds the tab until told how it ended, then answers nothing more', async () => {
    const r = await listenForRedirect('127.0.0.1', 10_000);
    const page = fetch(`${r.redirectUri}?code=c1&state=s1`);
    const arrived = await r.arrival;
    expect(arrived.url.searchParams.get('code')).toBe('c1');
    arrived.answer({ ok: true, text: 'Mailwright can now send as <ana@example.test>.' });
    const res = await page;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const body = await res.text();
    expect(body).toContain('Mailwright can now send as &#60;ana@example.test&#62;.'); // escaped, never markup
    await expect(fetch(`${r.redirectUri}?code=c2&state=s2`)).rejects.toThrow();
  });

  it('with a localhost redirect, answers on the IPv4 loopback and claims the IPv6 one too where there is one', async () => {
    const r = await listenForRedirect('localhost', 10_000);
    expect(r.redirectUri).toMatch(/^http:\/\/localhost:\d+\/$/);
    const port = new URL(r.redirectUri).port;
    // Where this machine has ::1, the same port there is ours too (another path: turned away, the wait goes on).
    if (await hasIpv6Loopback()) expect((await fetch(`http://[::1]:${port}/other`)).status).toBe(404);
    const page = fetch(`http://127.0.0.1:${port}/?code=c&state=s`);
    const arrived = await r.arrival;
    arrived.answer({ ok: false, text: 'No.' });
    expect((await page).status).toBe(400);
  });
});

function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}
