import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { invokeChannel } from '../../electron/core/invoke';
import { splitRecipients } from '../../shared/model/recipients';
import type { SavedDraft } from '../../shared/model/draft';
import { cli, type CliRun } from '../helpers/cli';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { startTestSmtp, type Received, type TestSmtpServer } from '../helpers/smtp-server';
import { tempDir } from '../helpers/temp-dir';

// Header injection through every way a message is made (the CLI, IPC, a mailto: link): CR, LF,
// NUL and DEL in the subject, display names, file names and Reply-To are refused (or, in a file
// name, dropped); quoted local parts with "@", 998-character lines and lone "." lines travel
// intact. What arrives at a real SMTP server is parsed by Python's email package, a parser we did
// not write: exactly the intended headers and recipients.

const PYTHON = '/usr/bin/python3';
const CONTROLS: Array<[string, string]> = [
  ['CR LF + header', '\r\nBcc: evil@attacker.test'],
  ['LF + header', '\nX-Injected: yes'],
  ['CR', '\rX-Injected: yes'],
  ['NUL', 'a\0b'],
  ['DEL', 'a\x7fb'],
];

interface Parsed {
  subject: string;
  from: string;
  to: string;
  cc: string;
  header_names: string[];
  text: string | null;
  html: string | null;
  attachments: Array<{ filename: string; type: string; sha256: string }>;
}

let dir: string;
let smtp: TestSmtpServer;
beforeEach(async () => {
  dir = tempDir();
  smtp = await startTestSmtp({ mode: 'plain' });
  const add = await cli(['--data-dir', dir, '--json', 'account', 'add', 'Loop', '--email', 'ana@example.test', '--display-name', 'Ana Ñúñez', '--host', '127.0.0.1', '--port', String(smtp.port), '--security', 'none']);
  expect(add.code, add.stdout).toBe(0);
});
afterEach(async () => {
  await smtp.close();
});

const mw = (...args: string[]) => cli(['--data-dir', dir, '--json', ...args]);
const send = (...args: string[]) => mw('send', '--account', 'Loop', ...args);

async function python(message: Received): Promise<Parsed> {
  const file = join(dir, `received-${Math.random().toString(36).slice(2)}.eml`);
  await fs.writeFile(file, message.raw);
  const run = spawnSync(PYTHON, ['test/fixtures/parse_message.py', file], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Parsed;
}

/** Refused as invalid input, before anything was written or sent. */
async function expectRefused(run: CliRun, what: string) {
  expect(run.code, `${what}: ${run.stdout}`).toBe(2);
  expect(run.json.error?.code, what).toBe('INVALID_INPUT');
  expect(smtp.bodies, what).toEqual([]);
  const list = await mw('outbox', 'list');
  expect(list.json.items, what).toEqual([]);
}

/** The headers a message may have: anything else got there by injection. */
const ALLOWED_HEADERS = new Set(['from', 'to', 'cc', 'reply-to', 'subject', 'message-id', 'date', 'mime-version', 'content-type', 'content-transfer-encoding', 'x-mailer']);
const expectOnlyIntendedHeaders = (p: Parsed) => {
  for (const h of p.header_names) expect(ALLOWED_HEADERS, `unexpected header ${h}`).toContain(h);
  expect(p.header_names).not.toContain('bcc');
};

describe('header injection through the CLI', () => {
  it('refuses CR, LF, NUL and DEL in the subject, recipients and Reply-To, sending nothing', async () => {
    for (const [name, c] of CONTROLS) {
      await expectRefused(await send('--to', 'bob@example.test', '--subject', `Hi${c}`, '--text', 'x'), `subject with ${name}`);
      await expectRefused(await send('--to', `bob@example.test${c}`, '--subject', 'Hi', '--text', 'x'), `To with ${name}`);
      await expectRefused(await send('--to', `"Bob${c}" <bob@example.test>`, '--subject', 'Hi', '--text', 'x'), `To's display name with ${name}`);
      await expectRefused(await send('--to', 'bob@example.test', '--cc', `c@example.test${c}`, '--subject', 'Hi', '--text', 'x'), `Cc with ${name}`);
      await expectRefused(await send('--to', 'bob@example.test', '--reply-to', `r@example.test${c}`, '--subject', 'Hi', '--text', 'x'), `Reply-To with ${name}`);
    }
  });

  it('refuses CR, LF, NUL and DEL in an account’s display name, name, address and user', async () => {
    for (const [name, c] of CONTROLS) {
      for (const [flag, value] of [['--display-name', `Ana${c}`], ['--email', `x${c}@example.test`], ['--user', `u${c}`]]) {
        const run = await mw('account', 'add', 'Evil', '--email', 'e@example.test', '--host', '127.0.0.1', '--port', '25', '--security', 'none', flag!, value!);
        expect(run.code, `${flag} with ${name}`).toBe(2);
        expect(run.json.error?.code).toBe('INVALID_INPUT');
      }
      const run = await mw('account', 'add', `Evil${c}`, '--email', 'e@example.test', '--host', '127.0.0.1', '--port', '25', '--security', 'none');
      expect(run.code, `account name with ${name}`).toBe(2);
    }
    const list = await mw('account', 'list');
    expect((list.json.accounts as Array<{ name: string }>).map((a) => a.name).sort()).toEqual(['Loop', 'Sandbox']);
  });

  it('sends quoted local parts with "@", names with specials, 998-character lines and lone "." lines intact', async () => {
    const longLine = `${'x'.repeat(997)}é`; // 998 characters, 999 bytes in UTF-8
    const subject = `${'Ü'.repeat(300)} ${'s'.repeat(697)}`; // 998 characters
    const body = ['first', '.', '..', '. ', '.x', longLine, 'y'.repeat(3000), '', 'From the start', '.', 'last'].join('\n');
    const bodyFile = join(dir, 'body.txt');
    await fs.writeFile(bodyFile, body);
    const run = await send(
      '--to', '"a@b"@example.test',
      '--to', '"Doe, Jane \\"JD\\"" <jane@example.test>',
      '--cc', 'Zoë Ünal <zoe@exämple.test>',
      '--bcc', 'hidden@example.test',
      '--reply-to', '"Replies; here" <replies@example.test>',
      '--subject', subject,
      '--text-file', bodyFile,
    );
    // 3 when the server refused the quoted address (partial delivery, see below), else 0.
    expect(run.code, run.stdout).toBe((run.json.rejected as unknown[]).length ? 3 : 0);
    expect(smtp.received).toHaveLength(1);
    const got = smtp.received[0]!;
    // The quoted local part goes to RCPT TO verbatim. smtp-server (the test server) cannot parse it
    // and answers 501, so it appears either as accepted or as refused with exactly that address.
    const outcome = [...(run.json.accepted as string[]), ...(run.json.rejected as Array<{ address: string }>).map((r) => r.address)];
    expect(outcome.sort()).toEqual(['"a@b"@example.test', 'hidden@example.test', 'jane@example.test', 'zoe@xn--exmple-cua.test'].sort());
    expect(got.to.sort()).toEqual(['hidden@example.test', 'jane@example.test', 'zoe@exämple.test'].sort());
    // Dot-stuffing on the wire, undone by the server: the body arrives as written, lone dots included.
    const p = await python(got);
    expectOnlyIntendedHeaders(p);
    expect(p.subject).toBe(subject);
    expect(p.text!.replace(/\r\n/g, '\n').replace(/\n$/, '')).toBe(body);
    expect(p.to).toContain('"a@b"@example.test');
    expect(p.to).toContain('"Doe, Jane \\"JD\\"" <jane@example.test>');
    // No line on the wire is longer than 998 characters (RFC 5322 2.1.1).
    for (const line of got.raw.toString('latin1').split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect(got.parsed.replyTo?.value).toEqual([{ name: 'Replies; here', address: 'replies@example.test' }]);
    expect(got.parsed.from?.value).toEqual([{ name: 'Ana Ñúñez', address: 'ana@example.test' }]);
  });

  it('keeps control characters of an attached file’s name out of the message (the name loses them)', async () => {
    // …and a right-to-left override, which would make it read "evil…txt.exe" as "…exe.txt".
    const evil = join(dir, 'evil\r\nX-Injected: yes\x7f\u202E.txt');
    await fs.writeFile(evil, 'attached bytes');
    const run = await send('--to', 'bob@example.test', '--subject', 'File', '--text', 'see file', '--attach', evil);
    expect(run.code, run.stdout).toBe(0);
    const p = await python(smtp.received[0]!);
    expectOnlyIntendedHeaders(p);
    expect(p.attachments).toHaveLength(1);
    expect(p.attachments[0]!.filename).toBe('evilX-Injected: yes.txt');
    expect(smtp.received[0]!.parsed.attachments[0]!.content.toString()).toBe('attached bytes');
  });
});

describe('header injection through IPC (the one door)', () => {
  let core: Core;
  let accountId: string;
  beforeEach(async () => {
    core = await createCore({ dataDir: tempDir(), keychain: new MemorySecretStore(), autoRun: false });
    accountId = (await core.handlers['accounts:save']({ name: 'Loop', email: 'ana@example.test', displayName: 'Ana', host: '127.0.0.1', port: smtp.port, security: 'none' })).id;
  });
  afterEach(() => core.close());

  it('refuses every header field with CR, LF, NUL or DEL, in the draft, the preview, the saved draft and the account', async () => {
    const draft = { accountId, to: ['bob@example.test'], cc: ['c@example.test'], bcc: ['d@example.test'], replyTo: 'r@example.test', subject: 'Hi', text: 'x' };
    for (const [name, c] of CONTROLS) {
      const bad = [
        { ...draft, subject: `Hi${c}` },
        { ...draft, to: [`bob@example.test${c}`] },
        { ...draft, to: [`"B${c}ob" <bob@example.test>`] },
        { ...draft, cc: [`${c}c@example.test`] },
        { ...draft, bcc: [`d@example.test${c}`] },
        { ...draft, replyTo: `r@example.test${c}` },
      ];
      for (const payload of bad) {
        for (const channel of ['outbox:enqueue', 'message:preview'] as const) {
          expect(await invokeChannel(core.handlers, channel, payload), `${channel} ${name}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
        }
      }
      for (const field of ['to', 'cc', 'bcc', 'replyTo', 'subject']) {
        expect(await invokeChannel(core.handlers, 'drafts:save', { [field]: `a@example.test${c}` }), `drafts:save ${field} ${name}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      }
      expect(await invokeChannel(core.handlers, 'accounts:save', { name: 'X', displayName: `Ana${c}`, email: 'x@example.test', host: '127.0.0.1', port: 25, security: 'none' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(await core.outbox.list()).toEqual([]);
    expect(smtp.bodies).toEqual([]);
  });

  it('an upload named with CR/LF arrives as an attachment without them, and no header is added', async () => {
    const added = await invokeChannel(core.handlers, 'attachments:add', { name: 'a\r\nX-Injected: yes.txt', base64: Buffer.from('hello').toString('base64') });
    expect(added.ok).toBe(true);
    const handle = (added as { value: { handle: string } }).value.handle;
    const r = await invokeChannel(core.handlers, 'outbox:enqueue', { accountId, to: ['bob@example.test'], subject: 'Up', html: '<p>hi</p>', attachments: [{ handle }] });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const item = await core.outbox.settled((r as { value: { id: string } }).value.id);
    expect(item.state).toBe('sent');
    const p = await python(smtp.received[0]!);
    expectOnlyIntendedHeaders(p);
    expect(p.attachments.map((a) => a.filename)).toEqual(['aX-Injected: yes.txt']);
  });
});

describe('header injection through a mailto: link', () => {
  it('a link cannot add headers or recipients: CR/LF in the subject become a space, other headers are ignored', async () => {
    const link =
      'mailto:bob@example.test?subject=Hi%0D%0ABcc:%20evil@attacker.test%0AX-Injected:%20yes' +
      '&From=boss@example.test&In-Reply-To=%3Cx@y%3E&X-Injected=yes&body=line%0D%0A.%0D%0Aafter%20a%20dot%0D%0A..';
    const run = await mw('compose', link);
    expect(run.code, run.stdout).toBe(0);
    const core = await createCore({ dataDir: dir, autoRun: false });
    try {
      const listed = await invokeChannel(core.handlers, 'drafts:list', undefined);
      expect(listed.ok).toBe(true);
      const [saved] = (listed as { value: SavedDraft[] }).value;
      expect(saved!.subject).toBe('Hi Bcc: evil@attacker.test X-Injected: yes');
      expect(saved!.bcc).toBe('');
      // Send the draft as the composer would.
      const accountId = (await core.handlers['accounts:list'](undefined)).find((a) => a.name === 'Loop')!.id;
      const r = await invokeChannel(core.handlers, 'outbox:enqueue', { accountId, to: splitRecipients(saved!.to), cc: splitRecipients(saved!.cc), bcc: splitRecipients(saved!.bcc), subject: saved!.subject, html: saved!.html });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect((await core.outbox.settled((r as { value: { id: string } }).value.id)).state).toBe('sent');
    } finally {
      await core.close();
    }
    const got = smtp.received[0]!;
    expect(got.to).toEqual(['bob@example.test']);
    const p = await python(got);
    expectOnlyIntendedHeaders(p);
    expect(p.subject).toBe('Hi Bcc: evil@attacker.test X-Injected: yes');
    expect(p.from).toBe('Ana Ñúñez <ana@example.test>');
    expect(p.text).toMatch(/line\n\.\nafter a dot\n\.\./);
  });

  it('a link with NUL or DEL in its subject becomes a draft without them (not an error)', async () => {
    const run = await mw('compose', 'mailto:bob@example.test?subject=a%00b%7Fc%0D%0Ad&body=x');
    expect(run.code, run.stdout).toBe(0);
    const core = await createCore({ dataDir: dir, autoRun: false });
    try {
      const drafts = await core.handlers['drafts:list'](undefined);
      expect(drafts.map((d) => d.subject)).toEqual(['abc d']);
    } finally {
      await core.close();
    }
  });

  it('a link whose address hides a line break is refused, saving nothing', async () => {
    const run = await mw('compose', 'mailto:bob@example.test%0D%0ABcc:evil@attacker.test');
    // A line break splits recipients in a pasted list, so this is two recipients; the second is not an address.
    if (run.code === 0) {
      const core = await createCore({ dataDir: dir, autoRun: false });
      try {
        const [d] = await core.handlers['drafts:list'](undefined);
        expect(d!.bcc).toBe('');
        expect(d!.to).not.toMatch(/[\r\n]/);
      } finally {
        await core.close();
      }
    } else {
      expect(run.code).toBe(2);
      expect(run.json.error?.code).toBe('INVALID_INPUT');
    }
  });
});
