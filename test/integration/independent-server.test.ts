import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../helpers/certs';
import { cliProcess } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

// The "done when": the real `npx mailwright` delivers a UTF-8 HTML message with two
// attachments, Cc and Bcc, through STARTTLS + AUTH with a pinned self-signed certificate, to a
// server we did not write (Debian's python3-aiosmtpd), checked by a parser we did not write
// (Python's email package) — and no password lands anywhere under the data directory.
const PYTHON = '/usr/bin/python3'; // Debian's, which has python3-aiosmtpd (a pyenv python may shadow it on PATH)
const PASSWORD = `S3cret-${randomBytes(6).toString('hex')}`;
let server: ChildProcess;
let port: number;
let certs: string;
let inbox: string;

beforeAll(async () => {
  // Not a skip: scripts/setup.sh installs it, and a missing server must fail loudly.
  if (spawnSync(PYTHON, ['-c', 'import aiosmtpd'], { stdio: 'ignore' }).status !== 0) throw new Error('Debian python3-aiosmtpd is missing: run bash scripts/setup.sh');
  certs = await fs.mkdtemp('/tmp/mw-aio-');
  inbox = join(certs, 'inbox');
  await fs.mkdir(inbox);
  const { key, cert } = await selfSignedCert();
  await fs.writeFile(join(certs, 'cert.pem'), cert);
  await fs.writeFile(join(certs, 'key.pem'), key);
  server = spawn(PYTHON, ['test/fixtures/aiosmtpd_server.py', join(certs, 'cert.pem'), join(certs, 'key.pem'), inbox, 'alice', PASSWORD], { stdio: ['pipe', 'pipe', 'inherit'] });
  port = await new Promise<number>((resolve, reject) => {
    server.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    server.once('exit', (code) => reject(new Error(`aiosmtpd exited with ${code}`)));
  });
});

afterAll(async () => {
  server?.stdin?.end();
  if (certs) await fs.rm(certs, { recursive: true, force: true });
});

describe('delivery to an independent server (aiosmtpd) through the real CLI', () => {
  it('arrives as correct MIME, Bcc only in the envelope, with no password on disk', async () => {
    const dir = tempDir();
    const files = tempDir();
    const { fingerprint256 } = await selfSignedCert();
    const env = { ...process.env, MAILWRIGHT_DATA_DIR: dir };

    const add = await cliProcess(
      ['account', 'add', 'Work', '--email', 'alice@example.test', '--display-name', 'Алиса Núñez', '--host', '127.0.0.1', '--port', String(port), '--security', 'starttls', '--user', 'alice', '--password-stdin', '--accept-cert', fingerprint256.replace(/:/g, '').toLowerCase()],
      { stdin: `${PASSWORD}\n`, env, viaNpx: true },
    );
    expect(add.code, add.stderr).toBe(0);

    const pdf = randomBytes(150_000);
    const csv = Buffer.from('name,city\nJosé,Málaga\nИван,Москва\n');
    await fs.writeFile(join(files, 'informe anual.pdf'), pdf);
    await fs.writeFile(join(files, 'данные.csv'), csv);
    await fs.writeFile(join(files, 'body.html'), '<h1>Hola, Иван</h1><p>Los <strong>datos</strong> están <em>adjuntos</em>. Спасибо!</p>');

    const sent = await cliProcess(
      ['--json', 'send', '--account', 'Work', '--to', 'Иван Петров <ivan@example.test>', '--cc', 'Ana <ana@example.test>', '--bcc', 'secret@example.test', '--subject', 'Informe — отчёт за ноябрь', '--html-file', join(files, 'body.html'), '--attach', join(files, 'informe anual.pdf'), '--attach', join(files, 'данные.csv')],
      { env, viaNpx: true },
    );
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    expect(sent.json).toMatchObject({ ok: true, accepted: ['ivan@example.test', 'ana@example.test', 'secret@example.test'], rejected: [] });
    expect(sent.json.response).toMatch(/queued as AIO\d+/);

    const envelope = JSON.parse(await fs.readFile(join(inbox, '1.json'), 'utf8'));
    expect(envelope).toEqual({ mail_from: 'alice@example.test', rcpt_tos: ['ivan@example.test', 'ana@example.test', 'secret@example.test'], tls: true });

    const parsed = spawnSync(PYTHON, ['test/fixtures/parse_message.py', join(inbox, '1.eml')], { encoding: 'utf8' });
    expect(parsed.status, parsed.stderr).toBe(0);
    const msg = JSON.parse(parsed.stdout);
    expect(msg.subject).toBe('Informe — отчёт за ноябрь');
    expect(msg.from).toBe('Алиса Núñez <alice@example.test>');
    expect(msg.to).toBe('Иван Петров <ivan@example.test>');
    expect(msg.cc).toBe('Ana <ana@example.test>');
    expect(msg.bcc).toBeNull();
    expect(msg.header_names).not.toContain('bcc');
    expect(msg.message_id).toBe(sent.json.messageId);
    expect(msg.date).toMatch(/\d{4}/);
    expect(msg.tree).toEqual({
      type: 'multipart/mixed',
      children: [
        { type: 'multipart/alternative', children: [{ type: 'text/plain', children: [] }, { type: 'text/html', children: [] }] },
        { type: 'application/pdf', children: [] },
        { type: 'text/csv', children: [] },
      ],
    });
    expect(msg.html).toContain('<strong>datos</strong>');
    expect(msg.text).toMatch(/HOLA, ИВАН|Hola, Иван/);
    expect(msg.text).toContain('Спасибо!');
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(msg.attachments).toEqual([
      { filename: 'informe anual.pdf', type: 'application/pdf', sha256: sha(pdf) },
      { filename: 'данные.csv', type: 'text/csv', sha256: sha(csv) },
    ]);

    // No password, in plain or base64, anywhere under the data directory.
    const needles = [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(`\0alice\0${PASSWORD}`).toString('base64')];
    const all = (await fs.readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    expect(all.length).toBeGreaterThan(2);
    for (const file of all) {
      const content = await fs.readFile(file, 'latin1');
      for (const needle of needles) expect(content.includes(needle), `${needle} in ${file}`).toBe(false);
    }
  });
});

