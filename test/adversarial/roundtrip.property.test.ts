import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { AttachmentRegistry } from '../../electron/core/attachments/attachment-registry';
import { textFromHtml } from '../../electron/core/message/build-worker';
import { buildToFile } from '../helpers/build-to-file';
import { draft as draftSchema } from '../../shared/model/draft';
import { formatMailbox, type Mailbox } from '../../shared/model/mailbox';
import { tempDir } from '../helpers/temp-dir';

// Round trip: any valid draft builds (buildToFile, the outbox's own builder) into a message
// that an independent parser (mailparser) reads back as the same subject, names and addresses,
// text and attachment bytes and names. Seeds are fixed; MAILWRIGHT_HEAVY_PROPERTIES=1 runs more.

const RUNS = process.env.MAILWRIGHT_HEAVY_PROPERTIES ? 2_000 : 150;
const SEED = 20_240_601;

// Header text: any Unicode but the characters the schema refuses (CR, LF, NUL, DEL).
const headerChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcXYZ019 .,;:"\'<>()[]@\\=?_-!#$%&*+/^`{|}~'.split('')) },
  { weight: 3, arbitrary: fc.constantFrom('é', 'Ж', 'ñ', '中', '😀', 'ß', 'Ω', '\u00a0', '\t', 'ü', 'ا') },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);
const headerString = (max: number) =>
  fc.array(headerChar, { maxLength: max }).map((a) => a.join('')).filter((s) => !/[\r\n\0\x7f]/.test(s));

const atomLocal = fc.stringMatching(/^[a-z0-9!#$%&'*+/=?^_`{|}~-]{1,12}(\.[a-z0-9_+-]{1,8}){0,2}$/);
const unicodeLocal = fc.constantFrom('josé', 'иван', '用户', 'zoë.ünal');
// Quoted local parts with spaces, dots, commas and "@" inside (not at the ends: see the regression test below).
const quotedLocal = fc.stringMatching(/^[a-z.,@]([a-z @.,]{0,10}[a-z.,@])?$/).map((s) => `"${s}"`);
const domain = fc.oneof(fc.constantFrom('example.test', 'exämple.test', 'пример.test', 'mail.example.test'), fc.stringMatching(/^[a-z0-9]{1,10}\.test$/));
const address = fc.tuple(fc.oneof({ weight: 4, arbitrary: atomLocal }, { weight: 1, arbitrary: unicodeLocal }, { weight: 2, arbitrary: quotedLocal }), domain).map(([l, d]) => `${l}@${d}`);
/** A display name as a person writes it: any header text, trimmed, no leading/trailing or doubled space. */
const displayName = headerString(40).map((s) => s.replace(/\s+/g, ' ').trim());
const mailbox = fc.record({ name: displayName, address }) as fc.Arbitrary<Mailbox>;

const fileName = fc
  .tuple(headerString(30), fc.constantFrom('.pdf', '.txt', '.bin', '', '.tar.gz', '.png'))
  .map(([base, ext]) => `${base.replace(/[/\\\t\u00a0]/g, '_').trim()}${ext}`)
  .filter((n) => n !== '' && n !== '.' && n !== '..');
const attachment = fc.record({ name: fileName, bytes: fc.uint8Array({ maxLength: 3_000 }) });

const bodyText = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constantFrom('.', '..', '-- ', 'From here', '', ' ', 'x'.repeat(1200))), { maxLength: 12 }).map((lines) => lines.join('\n'));
const bodyHtml = fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 5 }).map((ps) => ps.map((p) => `<p>${p.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`).join(''));

const draftInput = fc.record({
  from: mailbox,
  subject: headerString(200),
  to: fc.array(mailbox, { minLength: 1, maxLength: 3 }),
  cc: fc.array(mailbox, { maxLength: 2 }),
  replyTo: fc.option(mailbox, { nil: undefined }),
  body: fc.oneof(fc.record({ text: bodyText }), fc.record({ html: bodyHtml })),
  attachments: fc.array(attachment, { maxLength: 3 }),
});

const norm = (s: string) => s.replace(/\r\n/g, '\n');
// Addresses are read by Python's email package: mailparser collapses spaces inside a quoted local part.
const PY_ADDRESSES = `
import email, email.policy, json, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
print(json.dumps({h: [{'name': a.display_name, 'address': a.addr_spec} for a in (m[h].addresses if m[h] else [])] for h in ['from', 'to', 'cc', 'reply-to']}, ensure_ascii=False))
`;
function pythonAddresses(path: string): Record<'from' | 'to' | 'cc' | 'reply-to', Mailbox[]> {
  const run = spawnSync('/usr/bin/python3', ['-c', PY_ADDRESSES, path], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

/** Parsers give a quoted local part without needless quotes ("a"@x as a@x): compare addresses without them. */
const unquote = (address: string) => address.replace(/^"((?:[^"\\]|\\.)*)"@/, (_m, l: string) => `${l.replace(/\\(.)/g, '$1')}@`);
// An internationalised domain may travel as its A-label (пример.test as xn--e1afmkfd.test): the same domain.
const idn = (address: string) => address.replace(/@([^@]+)$/, (_m, d: string) => `@${domainToASCII(d)}`);
const canon = (boxes: Mailbox[]) => boxes.map((b) => ({ name: b.name, address: idn(unquote(b.address)) }));

describe('any valid draft round-trips through buildToFile and an independent parser', () => {
  it('same subject, names, addresses, text and attachment bytes', async () => {
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(draftInput, async (input) => {
        const registry = new AttachmentRegistry();
        const handles = [];
        for (const a of input.attachments) {
          const folder = join(dir, `f${n++}`);
          await fs.mkdir(folder);
          await fs.writeFile(join(folder, a.name), a.bytes);
          handles.push({ handle: (await registry.register(join(folder, a.name))).handle });
        }
        const d = draftSchema.parse({
          accountId: 'acc',
          to: input.to.map(formatMailbox),
          cc: input.cc.map(formatMailbox),
          replyTo: input.replyTo && formatMailbox(input.replyTo),
          subject: input.subject,
          ...input.body,
          attachments: handles,
        });
        const path = join(dir, `m${n++}.eml`);
        await buildToFile(d, { displayName: input.from.name, email: input.from.address }, registry, path, new Date('2026-01-02T03:04:05Z'));
        const raw = await fs.readFile(path);
        const parsed = await simpleParser(raw);

        // Whitespace at the ends of a header value is not part of it (RFC 5322 unfolding): parsers trim it.
        expect((parsed.subject ?? '').trim()).toBe(input.subject.trim());
        const boxes = pythonAddresses(path);
        expect(canon(boxes.from)).toEqual(canon([input.from]));
        expect(canon(boxes.to)).toEqual(canon(input.to));
        expect(canon(boxes.cc)).toEqual(canon(input.cc));
        expect(canon(boxes['reply-to'])).toEqual(canon(input.replyTo ? [input.replyTo] : []));
        if ('text' in input.body) expect(norm(parsed.text ?? '').replace(/\n+$/, '')).toBe(norm(input.body.text).replace(/\n+$/, '')); // a parser may add a final line break
        else {
          expect(norm(parsed.html || "").trimEnd()).toBe(input.body.html);
          expect(norm(parsed.text ?? '').trimEnd()).toBe(norm(await textFromHtml(input.body.html)).trimEnd());
        }
        expect(parsed.attachments.map((a) => ({ name: a.filename, bytes: Buffer.from(a.content).toString('hex') }))).toEqual(input.attachments.map((a) => ({ name: a.name, bytes: Buffer.from(a.bytes).toString('hex') })));
        // Every line on the wire within RFC 5322's limit.
        for (const line of raw.toString('latin1').split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('counterexamples the property found (regressions)', () => {
  it('a quoted local part is sent exactly as typed, never rewritten into another mailbox', async () => {
    const dir = tempDir();
    // addressparser turned `"."@a.test` into `.@a.test` and `" ,"@a.test` into `","@a.test`.
    const typed = ['"."@a.test', '" ,"@a.test', '"a  b"@a.test', '"a@b"@a.test', 'Ana <" x"@a.test>'];
    const d = draftSchema.parse({ accountId: 'acc', to: typed, subject: 'q', text: 'x' });
    const path = join(dir, 'q.eml');
    const built = await buildToFile(d, { displayName: '', email: 'me@a.test' }, new AttachmentRegistry(), path, new Date());
    const want = ['"."@a.test', '" ,"@a.test', '"a  b"@a.test', '"a@b"@a.test', '" x"@a.test'];
    expect(built.envelope.to).toEqual(want);
    expect(canon(pythonAddresses(path).to).map((b) => b.address)).toEqual(canon(want.map((address) => ({ name: '', address }))).map((b) => b.address));
  });
});
