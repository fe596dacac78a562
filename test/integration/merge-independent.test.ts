import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../helpers/certs';
import { cli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

// A 200-row merge through STARTTLS + AUTH to a server we did not write (Debian's aiosmtpd): each
// message carries its own row's values, checked by mailparser for every row and by Python's email
// package for a few.
const PYTHON = '/usr/bin/python3';
const PASSWORD = 'merge-peer-secret';
let server: ChildProcess;
let port: number;
let work: string;
let inbox: string;

beforeAll(async () => {
  if (spawnSync(PYTHON, ['-c', 'import aiosmtpd'], { stdio: 'ignore' }).status !== 0) throw new Error('Debian python3-aiosmtpd is missing: run bash scripts/setup.sh');
  work = await fs.mkdtemp('/tmp/mw-aio-merge-');
  inbox = join(work, 'inbox');
  await fs.mkdir(inbox);
  const { key, cert } = await selfSignedCert();
  await fs.writeFile(join(work, 'cert.pem'), cert);
  await fs.writeFile(join(work, 'key.pem'), key);
  server = spawn(PYTHON, ['test/fixtures/aiosmtpd_server.py', join(work, 'cert.pem'), join(work, 'key.pem'), inbox, 'shop', PASSWORD], { stdio: ['pipe', 'pipe', 'inherit'] });
  port = await new Promise<number>((resolve, reject) => {
    server.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    server.once('exit', (code) => reject(new Error(`aiosmtpd exited with ${code}`)));
  });
});

afterAll(async () => {
  server?.stdin?.end();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

const FIRST = ['Алёна', 'Íñigo', 'Ёлкин', 'Begoña', 'Юрий'];

describe('a merge to an independent server (aiosmtpd)', () => {
  it('delivers 200 rows, each with its own values', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const { fingerprint256 } = await selfSignedCert();
    const added = await cli(['--data-dir', data, '--json', 'account', 'add', 'Shop', '--email', 'shop@example.test', '--display-name', 'Tienda Núñez', '--host', '127.0.0.1', '--port', String(port), '--security', 'starttls', '--user', 'shop', '--password-stdin', '--accept-cert', fingerprint256], PASSWORD);
    expect(added.code, added.stdout + added.stderr).toBe(0);
    const rows = Array.from({ length: 200 }, (_, i) => ({ email: `c${i + 1}@example.test`, name: `${FIRST[i % FIRST.length]} №${i + 1}`, tracking: `TRK${String(i + 1).padStart(6, '0')}` }));
    await fs.writeFile(join(dir, 'rows.json'), JSON.stringify(rows));
    await fs.writeFile(join(dir, 'body.txt'), 'Hola {{ name }}: su paquete {{ tracking }} está en camino.\nhttps://track.example.test/{{ tracking }}');
    const r = await cli(['--data-dir', data, '--json', 'merge', '--account', 'Shop', '--subject', 'Envío {{ tracking }} para {{ name }}', '--text-file', join(dir, 'body.txt'), '--data', join(dir, 'rows.json'), '--name-column', 'name']);
    expect(r.code, r.stdout + r.stderr).toBe(0);

    const files = (await fs.readdir(inbox)).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(200);
    const seen = new Set<string>();
    for (const f of files) {
      const m = await simpleParser(await fs.readFile(join(inbox, f)));
      const to = m.to && !Array.isArray(m.to) ? m.to.value[0]! : undefined;
      const row = rows.find((x) => x.email === to?.address)!;
      expect(row, f).toBeDefined();
      expect(seen.has(row.email)).toBe(false);
      seen.add(row.email);
      expect(to!.name).toBe(row.name);
      expect(m.subject).toBe(`Envío ${row.tracking} para ${row.name}`);
      expect(m.text).toContain(`Hola ${row.name}: su paquete ${row.tracking} está en camino.`);
      const envelope = JSON.parse(await fs.readFile(join(inbox, f.replace('.eml', '.json')), 'utf8'));
      expect(envelope).toEqual({ mail_from: 'shop@example.test', rcpt_tos: [row.email], tls: true });
    }
    for (const f of files.slice(0, 3)) {
      const parsed = spawnSync(PYTHON, ['test/fixtures/parse_message.py', join(inbox, f)], { encoding: 'utf8' });
      expect(parsed.status, parsed.stderr).toBe(0);
      const msg = JSON.parse(parsed.stdout) as { to: string; subject: string; text: string; from: string };
      const row = rows.find((x) => msg.to.includes(x.email))!;
      expect(msg.subject).toBe(`Envío ${row.tracking} para ${row.name}`);
      expect(msg.from).toBe('Tienda Núñez <shop@example.test>');
      expect(msg.text).toContain(row.tracking);
    }
  });
});
