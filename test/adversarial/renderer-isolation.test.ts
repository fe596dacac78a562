import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSession } from '../helpers/app-session';
import { launchChromium } from '../helpers/browser';

// Renderer isolation, from inside the page: Debian's Chromium on the real `mailwright serve`.
// What the page (or content injected into it) tries — read local files, walk out of the renderer
// folder, forge attachment handles, write outside uploads/, run script from pasted, signature or
// message HTML, navigate away, open windows — is refused; and the server gives nothing to a page
// of another origin or one reached through a rebound DNS name. The raw-HTTP token/Origin/Host
// checks are in test/e2e/browser-mode.test.ts; these extend them from the browser's side.
const app = appSession({ name: 'isolation', settings: { undoSeconds: 0 } }); // no undo window to wait out before a send

/** Any request at all to this server means injected content reached out. */
let tracker: Server;
const trackerHits: string[] = [];
let trackerBase = '';
let popups = 0;
let dialogs = 0;

beforeAll(async () => {
  tracker = createServer((req, res) => {
    trackerHits.push(req.url ?? '');
    // Also the foreign origin's own page, for the cross-origin tests.
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>foreign</title><p>foreign page</p>');
  });
  await new Promise<void>((r) => tracker.listen(0, '127.0.0.1', r));
  trackerBase = `http://127.0.0.1:${(tracker.address() as { port: number }).port}`;
  app.page.context().on('page', () => popups++);
  app.page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
});
afterAll(async () => {
  // Chromium keeps its connections to the foreign page's server open; close() alone waits for
  // them, past the hook's timeout, and the app session's own teardown then never ran (a leaked
  // `mailwright serve` and browser per run).
  tracker.closeAllConnections();
  await new Promise<void>((r) => tracker.close(() => r()));
});

/** Run page code given as text (the test's TypeScript has no DOM types). */
const inPage = <T>(code: string, arg?: unknown): Promise<T> => app.page.evaluate(`(${code})(${JSON.stringify(arg ?? null)})`) as Promise<T>;

/** A contract call from the page, with the tab's own token, as the app's code makes it. */
const api = (channel: string, payload?: unknown) =>
  inPage<{ status: number; body: string }>(
    `async ([channel, payload]) => {
      const r = await fetch('/api/' + channel, { method: 'POST', headers: { Authorization: 'Bearer ' + sessionStorage.getItem('mailwright.token'), 'Content-Type': 'application/json' }, body: payload == null ? '' : JSON.stringify(payload) });
      return { status: r.status, body: await r.text() };
    }`,
    [channel, payload],
  );

/** A raw fetch from the page: status and body, or the error the browser gave. */
const pageFetch = (url: string, init: object = {}) =>
  inPage<{ status?: number; body?: string; error?: string }>(
    `async ([url, init]) => {
      try { const r = await fetch(url, init); return { status: r.status, body: await r.text() }; }
      catch (e) { return { error: String(e) }; }
    }`,
    [url, init],
  );

const PASSWD = /root:.*:0:0:/;
const PACKAGE = /"devDependencies"|"name": "mailwright"/;

describe('reading files from the page', () => {
  it('file:// URLs cannot be fetched or framed', async () => {
    for (const url of ['file:///etc/passwd', 'file:///proc/self/environ', `file://${app.dataDir}/accounts.json`]) {
      const r = await pageFetch(url);
      expect(r.error, url).toMatch(/TypeError|Failed to fetch/);
    }
    const framed = await inPage<string>(`async () => {
      const f = document.createElement('iframe');
      f.src = 'file:///etc/passwd';
      document.body.appendChild(f);
      await new Promise((r) => setTimeout(r, 300));
      let text = '';
      try { text = f.contentDocument?.body?.textContent ?? ''; } catch (e) { text = 'blocked: ' + e; }
      f.remove();
      return text;
    }`);
    expect(framed).not.toMatch(PASSWD);
  });

  it('no path walks out of the renderer folder, however it is spelled, with or without the token', async () => {
    const paths = [
      '/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/%252e%252e/package.json',
      '/..%5c..%5cpackage.json',
      '/index.html%00/../../package.json',
      '/%2f%2fetc%2fpasswd',
      '//etc/passwd',
    ];
    for (const path of paths) {
      const r = await pageFetch(path);
      expect(r.body ?? '', path).not.toMatch(PACKAGE);
      expect(r.body ?? '', path).not.toMatch(PASSWD);
      expect([404, 400, undefined], path).toContain(r.status === 200 ? 'served' : r.status);
    }
    // The API names channels, never files: a channel spelled as a path is an unknown operation.
    for (const channel of ['..%2f..%2fpackage.json', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', 'accounts:list%2f..%2f..%2fpackage.json']) {
      const r = await api(channel);
      expect(r.body, channel).not.toMatch(PACKAGE);
      expect(r.body, channel).not.toMatch(PASSWD);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
  });

  it('attachments:describe with forged handles names no file, and queueing with one is refused', async () => {
    for (const handle of ['att_AAAAAAAAAAAAAAAAAAAAAA', '/etc/passwd', '../../accounts.json', `${app.dataDir}/settings.json`, 'att_../../etc/passwd']) {
      const r = await api('attachments:describe', { handle });
      const body = JSON.parse(r.body) as { ok: boolean; error?: { code: string } };
      expect(body.ok, handle).toBe(false);
      expect(['INVALID_INPUT']).toContain(body.error?.code);
      expect(r.body).not.toMatch(PASSWD);
      expect(r.body).not.toContain(app.dataDir);
    }
    const queued = JSON.parse((await api('outbox:enqueue', { accountId: 'sandbox', to: ['x@example.test'], subject: 'forged', text: 'x', attachments: [{ handle: 'att_AAAAAAAAAAAAAAAAAAAAAA' }] })).body);
    expect(queued).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('attachments:add and uploads named like ../../x land inside uploads/ under a plain name', async () => {
    const outside = ['x', 'y', '../x'].map((n) => join(app.dataDir, n));
    const added = JSON.parse((await api('attachments:add', { name: '../../x', base64: Buffer.from('escaped?').toString('base64') })).body);
    expect(added).toMatchObject({ ok: true, value: { name: 'x' } });
    const uploaded = await inPage<string>(`async () => {
      const r = await fetch('/api/upload?name=' + encodeURIComponent('..\\\\..\\\\..\\\\y'), { method: 'POST', headers: { Authorization: 'Bearer ' + sessionStorage.getItem('mailwright.token') }, body: 'escaped too?' });
      return r.text();
    }`);
    expect(JSON.parse(uploaded)).toMatchObject({ ok: true, value: { name: 'y' } });
    for (const p of [...outside, '/x', '/y', join(app.dataDir, '..', 'x')]) await expect(fs.stat(p), p).rejects.toThrow(/ENOENT/);
    const uploads = join(app.dataDir, 'uploads');
    const found = (await fs.readdir(uploads, { recursive: true })).map(String).filter((n) => /(^|\/)[xy]$/.test(n));
    expect(found.map((n) => n.split('/').at(-1)).sort()).toEqual(['x', 'y']);
    expect(found.every((n) => n.split('/').length === 2)).toBe(true);
  });
});

describe('script, navigation and windows from content', () => {
  const marker = () => inPage<unknown>(`() => [window.__pwned ?? null, document.title, location.pathname]`);

  it('HTML pasted into the composer runs nothing, loads nothing remote and keeps no javascript: link', async () => {
    await app.page.getByRole('button', { name: 'Compose' }).click();
    const before = app.page.url();
    const html = [
      `<p>pasted</p>`,
      `<img src="x" onerror="window.__pwned='img'">`,
      `<img src="${trackerBase}/pixel.gif">`,
      `<script>window.__pwned='script'</script>`,
      `<a href="javascript:window.__pwned='link'">click me</a>`,
      `<a href="${trackerBase}/away" target="_blank">away</a>`,
      `<meta http-equiv="refresh" content="0;url=${trackerBase}/refresh">`,
      `<iframe src="${trackerBase}/frame"></iframe>`,
      `<svg><script>window.__pwned='svg'</script></svg>`,
      `<div onmouseover="window.__pwned='hover'">hover</div>`,
    ].join('');
    await inPage(`(html) => {
      const dt = new DataTransfer();
      dt.setData('text/html', html);
      dt.setData('text/plain', 'pasted');
      document.querySelector('.ProseMirror').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }`, html);
    const body = app.page.getByLabel('Message body');
    await expect.poll(() => body.textContent()).toContain('pasted');
    await body.locator('text=hover').hover({ timeout: 2000 }).catch(() => undefined);
    // Clicking the links the paste kept (if any) leaves the app where it was.
    for (const link of await body.locator('a').all()) await link.click({ timeout: 2000 }).catch(() => undefined);
    await app.page.waitForTimeout(300);
    const inner = await body.innerHTML();
    expect(inner).not.toMatch(/onerror|onmouseover|<script|javascript:|<iframe|<meta/i);
    expect(inner).not.toContain(`${trackerBase}/pixel.gif`);
    expect(await marker()).toEqual([null, expect.any(String), '/']);
    expect(app.page.url()).toBe(before);
    expect(trackerHits).toEqual([]);
    expect(popups).toBe(0);
    expect(dialogs).toBe(0);
    // Preview as delivered shows it in the sandboxed viewer: still nothing runs or loads.
    await app.page.getByLabel('To', { exact: true }).fill('bob@example.test, ');
    await app.page.getByRole('button', { name: 'Preview as delivered' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Preview as delivered' });
    await expect.poll(() => dialog.textContent()).toContain('pasted');
    await app.page.waitForTimeout(300);
    expect(trackerHits).toEqual([]);
    expect(await marker()).toEqual([null, expect.any(String), '/']);
    await app.page.keyboard.press('Escape');
  });

  it('a signature with <script>, an onerror image, a meta refresh and a javascript: link runs nothing where it is shown', async () => {
    const html = `<p>Ana</p><script>window.__pwned='sig'</script><img src="x" onerror="window.__pwned='sigimg'"><meta http-equiv="refresh" content="0;url=${trackerBase}/sigrefresh"><a href="javascript:window.__pwned='siglink'">site</a><img src="${trackerBase}/sigpixel.gif"><form action="${trackerBase}/form"><button>go</button></form>`;
    expect(JSON.parse((await api('accounts:set-signature', { id: 'sandbox', html })).body)).toMatchObject({ ok: true });
    // Shown in the composer (a fresh tab of the same app reads it) and in Accounts.
    await app.page.reload();
    await expect.poll(() => app.page.getByLabel('From').inputValue()).toBe('sandbox');
    const block = app.page.getByLabel('Signature', { exact: true });
    await expect.poll(() => block.textContent()).toContain('Ana');
    for (const link of await block.locator('a, button').all()) await link.click({ timeout: 2000 }).catch(() => undefined);
    await app.page.getByRole('button', { name: 'Accounts' }).click();
    await app.page.waitForTimeout(300);
    expect(await marker()).toEqual([null, expect.any(String), '/']);
    expect(trackerHits).toEqual([]);
    expect(popups).toBe(0);
    expect(dialogs).toBe(0);
    // Sent to the Sandbox and opened in its viewer: the built message's HTML runs nothing either.
    await app.page.getByRole('button', { name: 'Compose' }).click();
    // The body may hold what the paste test left (its draft, if saved before the reload) or
    // nothing: the signature is sent as HTML either way. Emptied here, the harder case (an empty
    // body once sent the signature as text only, and this step then found no HTML part).
    await app.page.getByLabel('Message body').click();
    await app.page.keyboard.press('Control+a');
    await app.page.keyboard.press('Delete');
    await expect.poll(() => app.page.getByLabel('Message body').textContent()).toBe('');
    await app.page.getByLabel('To', { exact: true }).fill('zoya@example.test, ');
    await app.page.getByLabel('Subject', { exact: true }).fill('Signed hostile');
    await app.page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => app.page.getByRole('listitem', { name: /Signed hostile/ }).getAttribute('data-state'), { timeout: 20_000 }).toBe('sent');
    await app.page.getByRole('button', { name: 'Sandbox' }).click();
    await app.page.getByRole('list', { name: 'Caught messages' }).getByRole('button', { name: /Signed hostile/ }).click();
    await expect.poll(() => app.page.getByRole('article', { name: 'Message preview' }).getByRole('heading').textContent()).toBe('Signed hostile');
    await expect.poll(() => app.page.frameLocator('iframe[title="HTML part"]').locator('body').textContent()).toContain('Ana');
    await app.page.waitForTimeout(500);
    expect(trackerHits).toEqual([]);
    expect(await marker()).toEqual([null, expect.any(String), '/']);
    expect(popups).toBe(0);
    // Its iframe is sandbox="": no scripts, no top navigation, no popups, no forms.
    expect(await app.page.locator('iframe[title="HTML part"]').getAttribute('sandbox')).toBe('');
    await api('accounts:set-signature', { id: 'sandbox', html: '' });
  });

  it('script injected into the page by any means is refused by the CSP: no inline code, no handlers, no foreign script', async () => {
    const result = await inPage<Record<string, unknown>>(`async (base) => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
      const s = document.createElement('script'); s.textContent = "window.__pwned='inline'"; document.body.appendChild(s);
      const r = document.createElement('script'); r.src = base + '/evil.js'; document.body.appendChild(r);
      const d = document.createElement('div'); d.innerHTML = '<img src=x onerror="window.__pwned=1">'; document.body.appendChild(d);
      const a = document.createElement('a'); a.href = "javascript:window.__pwned='href'"; document.body.appendChild(a); a.click();
      let remote = 'refused'; try { await fetch(base + '/exfil'); remote = 'reached'; } catch {}
      await new Promise((res) => setTimeout(res, 300));
      [s, r, d, a].forEach((n) => n.remove());
      return { pwned: window.__pwned ?? null, remote, violations: [...new Set(violations)].sort() };
    }`, trackerBase);
    expect(result).toMatchObject({ pwned: null, remote: 'refused' });
    // eval itself cannot be tried from here (code the test harness evaluates is exempt from the
    // page's CSP), so the policy the page is served with is checked to allow none.
    const headers = (await app.page.request.get(app.served.origin + '/')).headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(headers['content-security-policy']).not.toMatch(/unsafe-eval|unsafe-inline'?\s*;?\s*script/);
    expect(result.violations).toEqual(expect.arrayContaining(['connect-src', 'script-src-elem']));
    expect(trackerHits).toEqual([]);
  });

  it('a <meta refresh> or a form injected into the page cannot take it away', async () => {
    const before = app.page.url();
    await inPage(`(base) => {
      const m = document.createElement('meta'); m.httpEquiv = 'refresh'; m.content = '0;url=' + base + '/meta'; document.head.appendChild(m);
      const f = document.createElement('form'); f.action = base + '/form'; f.method = 'post'; document.body.appendChild(f);
      try { f.submit(); } catch {}
    }`, trackerBase);
    await app.page.waitForTimeout(500);
    expect(app.page.url()).toBe(before);
    expect(trackerHits).toEqual([]);
  });
});

describe('the server, asked by pages that are not the app', () => {
  it('from the app page itself: nothing without the token, and the event stream neither', async () => {
    const r = await pageFetch('/api/accounts:list', { method: 'POST' });
    expect(r.status).toBe(401);
    expect(r.body).not.toContain('Sandbox');
    const events = await inPage<string>(`() => new Promise((resolve) => {
      const es = new EventSource('/api/events');
      es.onopen = () => { es.close(); resolve('open'); };
      es.onerror = () => { es.close(); resolve('refused'); };
    })`);
    expect(events).toBe('refused');
  });

  it('from a page of another origin that knows the token: no answer reaches it and nothing changes', async () => {
    const foreign = await app.browser.newPage();
    foreign.setDefaultTimeout(15_000);
    try {
      await foreign.goto(`${trackerBase}/foreign`);
      const served = app.served;
      const result = (await foreign.evaluate(`(async ([origin, token]) => {
        const out = {};
        try { const r = await fetch(origin + '/api/accounts:list', { method: 'POST', headers: { Authorization: 'Bearer ' + token } }); out.withToken = r.status + ' ' + (await r.text()); }
        catch (e) { out.withToken = 'refused'; }
        try { const r = await fetch(origin + '/api/settings:save', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ undoSeconds: 30 }) }); out.noCors = r.type; }
        catch (e) { out.noCors = 'refused'; }
        try { const r = await fetch(origin + '/'); out.page = await r.text(); } catch (e) { out.page = 'refused'; }
        return out;
      })(${JSON.stringify([served.origin, served.token])})`)) as Record<string, string>;
      expect(result.withToken).toBe('refused');
      expect(result.page).toBe('refused');
      expect(['opaque', 'refused']).toContain(result.noCors);
      // A form posted across origins (no token can go with it) changes nothing either.
      await foreign.evaluate(`(() => { const f = document.createElement('form'); f.method = 'post'; f.action = ${JSON.stringify(`${app.served.origin}/api/settings:save`)}; f.enctype = 'text/plain'; const i = document.createElement('input'); i.name = '{"undoSeconds":30,"x":"'; i.value = '"}'; f.appendChild(i); document.body.appendChild(f); f.submit(); })()`);
      await foreign.waitForLoadState();
      const settings = JSON.parse((await api('settings:get')).body);
      expect(settings.value.undoSeconds).not.toBe(30);
    } finally {
      await foreign.close();
    }
  });

  it('through a rebound DNS name (the page believes it is rebind.test): the server answers nothing, even with the token', async () => {
    const { port, token } = app.served;
    // Chromium's own resolver maps the name to loopback, as a rebinding attacker's DNS would.
    const rebound = await launchChromium(['--host-resolver-rules=MAP rebind.test 127.0.0.1']);
    try {
      const page = await rebound.newPage();
      page.setDefaultTimeout(15_000);
      // Opened straight at our port under the foreign name: the server sends no app.
      const direct = await page.goto(`http://rebind.test:${port}/#token=${token}`).then((r) => String(r?.status()), (e: Error) => e.message);
      expect(direct).toMatch(/421|ERR_HTTP_RESPONSE_CODE_FAILURE/);
      // The attack proper: the attacker's page is served under the name first (fulfilled here),
      // then the name points at loopback, and the page's same-origin requests reach our server.
      await page.route(`http://rebind.test:${port}/evil`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>evil</title>' }));
      await page.goto(`http://rebind.test:${port}/evil`);
      const r = (await page.evaluate(`(async (token) => {
        try {
          const r = await fetch('/api/accounts:list', { method: 'POST', headers: { Authorization: 'Bearer ' + token } });
          return r.status + ' ' + (await r.text());
        } catch (e) { return 'refused: ' + e; }
      })(${JSON.stringify(token)})`)) as string;
      // 421 with nothing, which Chromium may also turn into a network error after retrying.
      expect(r).toMatch(/^(421 $|refused: TypeError)/);
    } finally {
      await rebound.close();
    }
  });
});
