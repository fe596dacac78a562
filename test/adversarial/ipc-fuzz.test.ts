import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import type { Handlers } from '../../electron/core/handlers';
import { invokeChannel } from '../../electron/core/invoke';
import { ownFrameCheck, registerIpc } from '../../electron/main/ipc/register';
import { CHANNELS, COMMAND_LINE_ONLY, contract, WINDOW_CHANNELS, wireName, type Channel } from '../../shared/ipc/contract';
import { createFakeElectron, type FakeWindowLike } from '../helpers/fake-electron';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { filesUnder } from '../helpers/files';
import { startTestSmtp, type TestSmtpServer } from '../helpers/smtp-server';

// IPC fuzzing: every contract channel (derived from CHANNELS, so a new channel is fuzzed without
// anyone remembering to) gets thousands of hostile payloads through the real door (invokeChannel)
// on a real core, and the Electron registrar gets foreign senders. Oracles are independent of the
// schemas where they can be: a mutation of a valid payload that is invalid by construction (a
// wrong type, a header field with CR/LF, an unknown or __proto__ key, a too-big value, a forged
// handle) must come back INVALID_INPUT, the handler must not have done anything, nothing crashes
// (no INTERNAL_ERROR, no log line) and the process is intact afterwards.

const SEED = 0x6d61696c; // fixed: every run fuzzes the same payloads
const NETWORK = new Set<Channel>(['doctor:run', 'accounts:test', 'accounts:discover', 'accounts:sign-in-start', 'accounts:check-domain']);

let root: string; // holds the data dir and nothing else
let dataDir: string;
let core: Core;
let smtp: TestSmtpServer;
let accountId: string;
const logged: string[] = [];
/** Calls that reached a handler (after the schema), by channel. */
const reached: Array<[Channel, unknown]> = [];
let handlers: Handlers;

/** A valid payload per channel: the base the mutations start from. A new channel needs one here. */
const valid = (): Record<Channel, unknown> => ({
  'accounts:list': undefined,
  'accounts:save': { name: 'Fuzz', displayName: 'Fuzz Er', email: 'fuzz@example.test', host: '127.0.0.1', port: 2525, security: 'none', username: 'fuzz', password: 'pw', clearPassword: false, pinnedCertSha256: null },
  'accounts:remove': { id: accountId },
  'accounts:set-default': { id: accountId },
  'accounts:set-signature': { id: accountId, html: '<p>Ana</p>' },
  'accounts:set-password-command': { id: accountId, command: 'pass show smtp/work' },
  'accounts:sign-in-start': {
    account: { name: 'Fuzz', displayName: '', email: 'fuzz@example.test', host: '127.0.0.1', port: 2525, security: 'none', username: 'fuzz', pinnedCertSha256: null },
    oauth: { provider: 'issuer', issuer: 'https://login.example.test', scopes: ['smtp', 'offline_access'], clientId: 'client-1', clientSecret: 'not-so-secret' },
  },
  'accounts:sign-in-finish': { signInId: '0b7c1b5e-3f1d-4a5e-9b5b-6f2f1c2d3e4f' },
  'accounts:sign-in-cancel': { signInId: '0b7c1b5e-3f1d-4a5e-9b5b-6f2f1c2d3e4f' },
  'accounts:oauth-clients': undefined,
  'secrets:status': undefined,
  'secrets:unlock': { passphrase: 'correct horse battery' },
  'secrets:use-vault': { passphrase: 'correct horse battery' },
  'secrets:change-passphrase': { current: 'correct horse battery', next: 'staple and more' },
  'accounts:test': { id: accountId, rcpt: 'bob@example.test', sendTestTo: 'bob@example.test', runId: 'run-1' },
  'doctor:run': { accountId, email: 'fuzz@example.test', host: '127.0.0.1', port: 2525, security: 'none', username: 'u', password: 'p', pinnedCertSha256: null, rcpt: 'bob@example.test', sendTestTo: 'bob@example.test', runId: 'r1' },
  'accounts:discover': { email: 'fuzz@example.test' },
  'accounts:dkim-generate': { id: accountId, selector: 'fuzz2026', domain: 'example.test', keyType: 'rsa' },
  'accounts:dkim-import': { id: accountId, privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', selector: 'fuzz2026', domain: 'example.test' },
  'accounts:dkim-remove': { id: accountId },
  'accounts:check-domain': { id: accountId },
  'attachments:pick': undefined,
  'attachments:describe': { handle: 'att_AAAAAAAAAAAAAAAAAAAA' },
  'attachments:add': { name: 'a.txt', base64: 'aGk=' },
  'attachments:register-path': { path: '/nonexistent/mailwright-fuzz.txt' },
  'outbox:enqueue': { accountId, to: ['Bob <bob@example.test>'], cc: ['c@example.test'], bcc: ['d@example.test'], replyTo: 'r@example.test', subject: 'Hi', text: 'body', attachments: [], signature: true, options: { sendAt: '2099-01-01T00:00:00Z', undoSeconds: 5 } },
  'outbox:list': undefined,
  'outbox:overview': undefined,
  'outbox:get': { id: 'abcdefghi-0123456789ab' },
  'outbox:undo': { id: 'abcdefghi-0123456789ab' },
  'outbox:edit': { id: 'abcdefghi-0123456789ab' },
  'outbox:reopen': { id: 'abcdefghi-0123456789ab' },
  'outbox:export': { id: 'abcdefghi-0123456789ab' },
  'outbox:cancel': { id: 'abcdefghi-0123456789ab' },
  'outbox:send-now': { id: 'abcdefghi-0123456789ab' },
  'outbox:reschedule': { id: 'abcdefghi-0123456789ab', at: '2099-01-01T00:00:00Z' },
  'outbox:retry': { id: 'abcdefghi-0123456789ab' },
  'outbox:resend': { id: 'abcdefghi-0123456789ab' },
  'outbox:mark-sent': { id: 'abcdefghi-0123456789ab' },
  'outbox:export-file': { id: 'abcdefghi-0123456789ab', path: '/nonexistent/mailwright-fuzz.eml' },
  'outbox:wait': { id: 'abcdefghi-0123456789ab' },
  'outbox:run-due': undefined,
  'drafts:save': { id: 'd_abcdefgh', accountId, to: 'a@example.test', cc: '', bcc: '', replyTo: '', subject: 's', format: 'html', html: '<p>x</p>', text: 'x', signature: true, attachments: [] },
  'drafts:list': undefined,
  'drafts:remove': { id: 'd_abcdefgh' },
  'drafts:from-mailto': { url: 'mailto:a@example.test?subject=Hi' },
  'message:preview': { accountId, to: ['bob@example.test'], subject: 'Hi', html: '<p>x</p>' },
  'message:to-text': { html: '<p>x</p>', signature: false },
  'settings:get': undefined,
  'settings:save': { undoSeconds: 5, notifyFailures: true, theme: 'dark', mailtoHandler: false, language: 'en' },
  'sandbox:list': undefined,
  'sandbox:get': { id: 'abc' },
  'recipients:suggest': { query: 'a' },
  'templates:save': { name: 'Order', accountId, subject: 'Order {{ order }}', html: '<p>{{ name }}</p>', text: '{{ name }}', attachments: [], listUnsubscribe: 'https://example.test/u/{{ id }}' },
  'templates:list': undefined,
  'templates:get': { name: 'Order' },
  'templates:remove': { name: 'Order' },
  'merge:check': validMerge(),
  'merge:start': validMerge(),
  'merge:preview': { merge: validMerge(), row: 1 },
  'merge:list': undefined,
  'merge:status': { id: 'm_abcdefghi-0123abcd' },
  'merge:pause': { id: 'm_abcdefghi-0123abcd' },
  'merge:resume': { id: 'm_abcdefghi-0123abcd' },
  'merge:cancel': { id: 'm_abcdefghi-0123abcd' },
  'merge:report': { id: 'm_abcdefghi-0123abcd' },
  'merge:wait': { id: 'm_abcdefghi-0123abcd' },
  'merge:export-report': { id: 'm_abcdefghi-0123abcd', language: 'ru' },
});
const validMerge = () => ({ accountId, message: { subject: 'Hi {{ name }}', text: 'x', attachments: [] }, data: { handle: 'att_AAAAAAAAAAAAAAAAAAAA' }, toColumn: 'email', nameColumn: 'name', perMinute: 30, perDay: 500, preset: 'gmail', skipInvalid: false, locale: 'es' });

/** Fields that become (part of) a message or SMTP header: CR, LF, NUL or DEL there must be refused. */
const HEADER_FIELDS = new Set(['name', 'displayName', 'email', 'username', 'to', 'cc', 'bcc', 'replyTo', 'subject', 'rcpt', 'sendTestTo']);
/** Channels whose `name` is a file name, not a header (the upload keeps a safe version of it). */
const NAME_IS_FILE = new Set<Channel>(['attachments:add']);

type Path = Array<string | number>;
/** A deep copy with the value at `path` replaced (own data properties only: "__proto__" stays a plain key). */
function setAt(v: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(v) ? [...(v as unknown[])] : { ...(v as object) }) as Record<string | number, unknown>;
  Object.defineProperty(copy, head!, { value: setAt((v as Record<string | number, unknown>)[head!], rest, value), enumerable: true, writable: true, configurable: true });
  return copy;
}
function leaves(v: unknown, path: Path = []): Array<{ path: Path; value: unknown }> {
  if (Array.isArray(v)) return [{ path, value: v }, ...v.flatMap((x, i) => leaves(x, [...path, i]))];
  if (v && typeof v === 'object') return [{ path, value: v }, ...Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]))];
  return [{ path, value: v }];
}
const deep = (depth: number, leaf: unknown = 'x'): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
};
/** An object with an own "__proto__" key, as JSON.parse (browser mode) and structured clone make one. */
const protoKey = (inner: unknown = { polluted: 'yes' }) => JSON.parse(`{"__proto__": ${JSON.stringify(inner)}}`) as Record<string, unknown>;

const HUGE = 'a'.repeat(MAX_STRING());
function MAX_STRING() {
  return 50_400_000; // over every max in the contract (attachments:add's base64 is the largest, 48 MiB)
}
const CONTROL = ['\r', '\n', '\r\n', '\0', '\x7f', '\r\nBcc: evil@attacker.test', '\nX-Injected: 1'];

/** A payload that is invalid by construction, with why. */
interface Mutant {
  why: string;
  payload: unknown;
}

function wrongTypes(value: unknown): unknown[] {
  if (typeof value === 'string') return [42, true, {}, [], [value], { toString: value }];
  if (typeof value === 'number') return [String(value), {}, [], true, Number.NaN, Infinity, 1.5];
  if (typeof value === 'boolean') return ['true', 1, {}, []];
  if (Array.isArray(value)) return ['x', {}, 1, { 0: 'x', length: 1 }];
  if (value && typeof value === 'object') return ['x', 1, [], true];
  return [];
}

/** Deterministic mutants of a channel's valid payload: each one must be refused. */
function mutants(channel: Channel, base: unknown): Mutant[] {
  const out: Mutant[] = [];
  if (base === undefined) {
    for (const p of [null, 0, '', 'x', [], {}, protoKey(), { constructor: { prototype: { polluted: 1 } } }, deep(5000), false]) out.push({ why: `a payload on a no-payload channel: ${typeof p}`, payload: p });
    return out;
  }
  for (const p of [undefined, null, 'x', 1, [], [base], deep(5000)]) out.push({ why: `a non-object root: ${Array.isArray(p) ? 'array' : typeof p}`, payload: p });
  for (const { path, value } of leaves(base)) {
    const here = path.join('.') || '(root)';
    if (path.length > 0) {
      for (const w of wrongTypes(value)) {
        // A number field given NaN/Infinity/1.5 is wrong only where integers are asked for (all of ours: ports).
        out.push({ why: `${here} as ${JSON.stringify(w)}`, payload: setAt(base, path, w) });
      }
      out.push({ why: `${here} nested 5000 deep`, payload: setAt(base, path, deep(5000, value)) });
    }
    if (typeof value === 'string') out.push({ why: `${here} of ${HUGE.length} characters`, payload: setAt(base, path, HUGE) });
    if (typeof value === 'string' && HEADER_FIELDS.has(String(path.find((k) => typeof k === 'string'))) && !(NAME_IS_FILE.has(channel) && path[0] === 'name')) {
      for (const c of CONTROL) {
        out.push({ why: `${here} with ${JSON.stringify(c)} at the end`, payload: setAt(base, path, `${value}${c}`) });
        out.push({ why: `${here} with ${JSON.stringify(c)} inside`, payload: setAt(base, path, `${value.slice(0, 1)}${c}${value.slice(1)}`) });
      }
    }
    if (Array.isArray(value)) {
      out.push({ why: `${here} with 100 001 items`, payload: setAt(base, path, Array.from({ length: 100_001 }, () => value[0] ?? { handle: 'att_AAAAAAAAAAAAAAAAAAAA' })) });
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const key of ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'polluted', '']) {
        out.push({ why: `${here} with an own "${key}" key`, payload: setAt(base, [...path, key], { polluted: 'yes' }) });
      }
      out.push({ why: `${here} as an object with a __proto__ key only`, payload: setAt(base, path, protoKey()) });
    }
  }
  return out;
}

/** Payloads no schema may accept on any channel: arbitrary values with hostile keys mixed in. */
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', '__defineGetter__', 'then');
const anyValue = fc.anything({
  key: fc.oneof(fc.string(), hostileKey),
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withBoxedValues: true,
  maxDepth: 6,
});

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'mailwright-fuzz-'));
  dataDir = join(root, 'data');
  smtp = await startTestSmtp({ mode: 'plain' });
  core = await createCore({ dataDir, keychain: new MemorySecretStore(), autoRun: false, log: (m) => void logged.push(m) });
  accountId = (await core.handlers['accounts:save']({ name: 'Loop', email: 'ana@example.test', displayName: '', host: '127.0.0.1', port: smtp.port, security: 'none' })).id;
  // The real handlers, counted; the three that reach the network are never run here (a payload
  // that got that far would have been valid, and none of ours are).
  const real = core.handlers;
  handlers = Object.fromEntries(
    CHANNELS.map((c) => [
      c,
      async (req: unknown) => {
        reached.push([c, req]);
        if (NETWORK.has(c)) throw new Error(`the fuzzer reached ${c}'s network handler`);
        return (real[c] as (r: unknown) => Promise<unknown>)(req);
      },
    ]),
  ) as unknown as Handlers;
});

afterAll(async () => {
  await core?.close();
  await smtp?.close();
  if (root) await fs.rm(root, { recursive: true, force: true });
});


async function expectRefused(channel: string, payload: unknown, why: string) {
  const before = reached.length;
  const r = await invokeChannel(handlers, channel, payload, (m) => void logged.push(m));
  expect(r, `${channel}: ${why}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  expect(reached.length, `${channel}: ${why} reached the handler`).toBe(before);
  return r;
}

describe('IPC fuzzing through the one door, on a real core', () => {
  it('has a valid example for every contract channel (a new channel must add one, and is then fuzzed)', () => {
    const examples = valid();
    expect(Object.keys(examples).sort()).toEqual([...CHANNELS].sort());
    for (const c of CHANNELS) expect(contract[c].request.safeParse(examples[c]).success, c).toBe(true);
  });

  it('refuses every mutant of every channel’s valid payload with INVALID_INPUT, before any handler runs', async () => {
    const examples = valid();
    let count = 0;
    for (const channel of CHANNELS) {
      for (const m of mutants(channel, examples[channel])) {
        const r = await expectRefused(channel, m.payload, m.why);
        // The message names the problem but never echoes a huge value back.
        expect(JSON.stringify(r).length, `${channel}: ${m.why}`).toBeLessThan(5_000);
        count++;
      }
    }
    expect(count).toBeGreaterThan(1_000);
    expect(logged).toEqual([]);
  });

  it('refuses arbitrary values (hostile keys, Maps, BigInts, null prototypes, deep nesting) on every channel', async () => {
    const examples = valid();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), anyValue, async (channel, payload) => {
        // An arbitrary value that happens to be valid (undefined for a no-payload channel, {} for a partial settings save) is not a finding.
        if (contract[channel].request.safeParse(payload).success) return;
        await expectRefused(channel, payload, `arbitrary ${typeof payload}`);
        // And arbitrary extra keys on a valid object are refused too (strict objects everywhere).
        const base = examples[channel];
        if (base && typeof base === 'object' && payload && typeof payload === 'object' && !Array.isArray(payload) && Object.keys(payload).some((k) => !(k in base))) {
          await expectRefused(channel, { ...(base as object), ...(payload as object) }, 'extra keys');
        }
      }),
      { seed: SEED, numRuns: 3_000 },
    );
    expect(logged).toEqual([]);
  });

  it('a window never reaches the command line’s own channels, even with a valid payload; the command line does', async () => {
    const examples = valid();
    for (const channel of COMMAND_LINE_ONLY) {
      const r = await expectRefused(channel, examples[channel], 'a window calling a command-line channel');
      expect((r as { error: { message: string } }).error.message).toMatch(/command line/);
    }
    const viaCli = await invokeChannel(handlers, 'accounts:set-password-command', { id: accountId, command: 'pass show smtp/loop' }, undefined, 'command-line');
    expect(viaCli.ok).toBe(false); // reached the handler: Loop has no user name, so it needs no password
    expect(reached.at(-1)?.[0]).toBe('accounts:set-password-command');
  });

  it('refuses unknown channels, prototype names included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'accounts:list ', 'ACCOUNTS:LIST', 'mailwright:accounts:list', 'accounts:list\0', '../accounts:list')), async (name) => {
        if ((CHANNELS as string[]).includes(name)) return;
        await expectRefused(name, undefined, 'unknown channel');
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('refuses forged attachment handles everywhere a handle is taken, and writes nothing', async () => {
    const examples = valid();
    const forged = fc.stringMatching(/^att_[A-Za-z0-9_-]{16,64}$/);
    const outboxBefore = await core.outbox.list();
    const draftsBefore = await core.drafts.list();
    await fc.assert(
      fc.asyncProperty(forged, async (handle) => {
        for (const channel of ['outbox:enqueue', 'message:preview', 'drafts:save'] as const) {
          const payload = { ...(examples[channel] as object), attachments: [{ handle }] };
          if (channel === 'outbox:enqueue') Object.assign(payload, { options: undefined });
          const r = await invokeChannel(handlers, channel, payload);
          expect(r, `${channel} with ${handle}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
        }
        const d = await invokeChannel(handlers, 'attachments:describe', { handle });
        expect(d).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect(await core.outbox.list()).toEqual(outboxBefore);
    expect(await core.drafts.list()).toEqual(draftsBefore);
  });

  it('keeps an upload named with a path or control characters inside the data dir', async () => {
    const names = ['../../../mwfuzz-escape.txt', '/tmp/mwfuzz-escape.txt', '..\\..\\mwfuzz-escape.txt', 'a\r\nb\0c.txt', '..', '.', '', `${'x'.repeat(300)}`];
    for (const name of names) {
      const r = await invokeChannel(handlers, 'attachments:add', { name, base64: 'aGk=' });
      expect(r.ok, name).toBe(true);
      const info = (r as { value: { name: string } }).value;
      expect(info.name).not.toMatch(/[/\\\p{Cc}]/u);
      expect(['.', '..', '']).not.toContain(info.name);
    }
  });

  it('leaves the process intact: no prototype pollution, no file outside the data dir', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(Object.getOwnPropertyNames(Object.getPrototypeOf({})).sort());
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fs.readdir(root)).sort()).toEqual(['data']);
    for (const f of await filesUnder(dataDir)) expect(relative(dataDir, f).split(sep)[0]).not.toBe('..');
    for (const where of [process.cwd(), tmpdir(), join(process.cwd(), '..')]) {
      expect((await fs.readdir(where)).filter((n) => n.includes('mwfuzz-escape')), where).toEqual([]);
    }
    // The real network handlers were never reached by anything the fuzzer sent.
    expect(reached.filter(([c]) => NETWORK.has(c))).toEqual([]);
    // And the core still works.
    expect((await core.handlers['accounts:list'](undefined)).map((a) => a.name)).toContain('Loop');
  });
});

describe('the Electron registrar with foreign senders (fake electron module)', () => {
  const APP = 'file:///opt/mailwright/renderer/index.html';
  const setup = () => {
    const fe = createFakeElectron(root);
    const Window = fe.module.BrowserWindow as new (o: { webPreferences: Record<string, unknown> }) => FakeWindowLike & { loadFile(p: string): Promise<void> };
    const own = new Window({ webPreferences: {} });
    void own.loadFile('/opt/mailwright/renderer/index.html');
    const calls: string[] = [];
    const spy = Object.fromEntries(CHANNELS.map((c) => [c, async () => (calls.push(c), 'ran')])) as unknown as Handlers;
    const windows = () => fe.windows.map((w) => w.webContents) as unknown as Electron.WebContents[];
    registerIpc(fe.module.ipcMain as Parameters<typeof registerIpc>[0], spy, ownFrameCheck(windows, (url) => url.split('#')[0] === APP), () => undefined);
    return { fe, own, calls };
  };

  it('registers exactly the contract’s channels a window may call', () => {
    const { fe } = setup();
    expect([...fe.handlers.keys()].sort()).toEqual(WINDOW_CHANNELS.map(wireName).sort());
    expect(COMMAND_LINE_ONLY.length).toBeGreaterThan(0);
    for (const channel of COMMAND_LINE_ONLY) expect(fe.handlers.has(wireName(channel)), channel).toBe(false);
  });

  it('refuses every channel from a foreign window, a subframe, a missing frame or a foreign page, before the schema', async () => {
    const { fe, own, calls } = setup();
    const stranger = new (await import('node:events')).EventEmitter() as unknown as FakeWindowLike['webContents'];
    Object.assign(stranger, { mainFrame: { url: APP }, sent: [] });
    const wc = own.webContents;
    const senders: Array<[string, unknown]> = [
      ['a window that is not ours', { sender: stranger, senderFrame: stranger.mainFrame }],
      ['a subframe of our window', { sender: wc, senderFrame: { url: APP } }],
      ['no frame (navigated away or destroyed)', { sender: wc, senderFrame: null }],
      ['our window showing a foreign page', { sender: wc, senderFrame: wc.mainFrame, url: 'https://evil.example/' }],
      ['our window showing a local file', { sender: wc, senderFrame: wc.mainFrame, url: 'file:///etc/passwd' }],
      ['our window showing a look-alike URL', { sender: wc, senderFrame: wc.mainFrame, url: `${APP}.evil.html` }],
    ];
    const examples = valid();
    for (const [why, event] of senders) {
      const url = (event as { url?: string }).url;
      wc.mainFrame.url = url ?? APP;
      for (const channel of WINDOW_CHANNELS) {
        for (const payload of [examples[channel], protoKey(), undefined]) {
          const r = await fe.handlers.get(wireName(channel))!(event, payload);
          expect(r, `${channel} from ${why}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
        }
      }
    }
    expect(calls).toEqual([]);
    // Our own top frame gets through with a valid payload, and is refused with a fuzzed one.
    wc.mainFrame.url = `${APP}#/compose`;
    const ownEvent = { sender: wc, senderFrame: wc.mainFrame };
    for (const channel of WINDOW_CHANNELS) {
      expect(await fe.handlers.get(wireName(channel))!(ownEvent, examples[channel])).toEqual({ ok: true, value: 'ran' });
      for (const m of mutants(channel, examples[channel]).filter((_, i) => i % 7 === 0)) {
        expect(await fe.handlers.get(wireName(channel))!(ownEvent, m.payload), `${channel}: ${m.why}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      }
    }
    expect([...calls].sort()).toEqual([...WINDOW_CHANNELS].sort());
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
