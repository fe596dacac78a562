import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the bin, without type declarations
import { cliSource } from '../../bin/cli-source.mjs';
import { cliProcess } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

// The `mailwright` command runs the bundled CLI when it is current, the TypeScript sources when
// not: the two must be the same program, and a stale build must never run.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT = existsSync(join(ROOT, 'out', 'main', 'cli.js'));

describe('which code the mailwright command runs', () => {
  const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
  /** A project whose newest source is `sourceAge` s old, built `buildAge` s ago (the build began then), every folder older. */
  const project = async (sourceAge: number, buildAge?: number) => {
    const root = tempDir();
    for (const dir of ['electron/cli', 'shared/model', 'out/main']) await fs.mkdir(join(root, dir), { recursive: true });
    const at = async (path: string, secondsAgo: number, content = '') => {
      await fs.writeFile(join(root, path), content);
      await fs.utimes(join(root, path), ago(secondsAgo), ago(secondsAgo));
    };
    await at('electron/cli/main.ts', 100);
    await at('package.json', 100);
    await at('shared/model/outbox.ts', sourceAge); // the newest source
    if (buildAge !== undefined) {
      await at('out/main/cli.js', 1); // written at the end of the build
      await at('out/main/build-started', 1, String(ago(buildAge).getTime()));
    }
    for (const dir of ['electron/cli', 'electron', 'shared/model', 'shared']) await fs.utimes(join(root, dir), ago(200), ago(200));
    return root;
  };

  it('the build when no source changed since it began, the sources otherwise or when never built', async () => {
    expect(cliSource(await project(60, 10), {})).toBe('build');
    expect(cliSource(await project(10, 60), {})).toBe('sources'); // a source edited since the build
    expect(cliSource(await project(5, 10), {})).toBe('sources'); // saved while the build ran: older than cli.js, newer than its start
    expect(cliSource(await project(10), {})).toBe('sources');
    expect(cliSource(await project(60, 10), { MAILWRIGHT_CLI_FROM: 'sources' })).toBe('sources');
    expect(cliSource(await project(10, 60), { MAILWRIGHT_CLI_FROM: 'build' })).toBe('build');
    // A source deleted since the build changes no file's time, only its folder's.
    const deleted = await project(60, 10);
    await fs.rm(join(deleted, 'electron/cli/main.ts'));
    expect(cliSource(deleted, {})).toBe('sources');
    // The build's own configuration counts as a source.
    const reconfigured = await project(60, 10);
    await fs.writeFile(join(reconfigured, 'package.json'), '{}');
    expect(cliSource(reconfigured, {})).toBe('sources');
  });
});

describe.skipIf(!BUILT)('the built CLI (out/main/cli.js) and the sources are the same program', () => {
  if (!BUILT) console.warn('SKIPPED the built-CLI tests: run `npm run build` first (npm test does).');

  const run = (from: 'build' | 'sources', args: string[]) => cliProcess(args, { env: { ...process.env, MAILWRIGHT_CLI_FROM: from } });
  /** The JSON output with what differs between two runs (ids, times, ports) taken out. */
  const stable = (json: unknown) => JSON.parse(JSON.stringify(json).replace(/"(id|createdAt|updatedAt|port)":("[^"]*"|\d+)/g, '"$1":"…"'));

  it('the build loads by itself (one that cannot be loaded would give way to the sources unseen)', async () => {
    // (A module-level `require` of ours clashed with the bundle's own: every command ran from the sources.)
    const child = spawn(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(join(ROOT, 'out', 'main', 'cli.js'))}); process.stdout.write(typeof m.main);`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, out, err: err.split('\n').filter((l) => !l.includes('ExperimentalWarning') && !l.includes('--trace-warnings') && l.trim()) }).toEqual({ code: 0, out: 'function', err: [] });
  });

  it('adds and lists accounts, and refuses bad input, alike', async () => {
    const outputs = [];
    for (const from of ['build', 'sources'] as const) {
      const dir = tempDir();
      const added = await run(from, ['--data-dir', dir, '--json', 'account', 'add', 'Work', '--email', 'a@example.test', '--host', 'smtp.example.test', '--port', '587', '--security', 'starttls']);
      const listed = await run(from, ['--data-dir', dir, '--json', 'account', 'list']);
      const bad = await run(from, ['--data-dir', dir, '--json', 'account', 'add', 'X', '--email', 'not an address', '--host', 'h', '--port', '25', '--security', 'none']);
      expect(added.code, added.stderr).toBe(0);
      outputs.push({ added: stable(added.json), listed: stable(listed.json), bad: [bad.code, stable(bad.json)] });
    }
    expect(outputs[0]).toEqual(outputs[1]);
    expect(outputs[0]!.bad[0]).not.toBe(0);
  });

  it('serve finds the built UI from the build too', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'mailwright.mjs'), '--data-dir', tempDir(), 'serve'], { env: { ...process.env, MAILWRIGHT_CLI_FROM: 'build' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          const m = /Mailwright UI: (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.stderr.on('data', (d) => (out += d));
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      // The built app sends: the outbox, the builder and nodemailer from the bundle, to the sandbox's server.
      const { origin, hash } = new URL(url);
      const token = new URLSearchParams(hash.slice(1)).get('token')!;
      const api = async (channel: string, payload?: unknown) => {
        const res = await fetch(`${origin}/api/${encodeURIComponent(channel)}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: payload === undefined ? '' : JSON.stringify(payload) });
        return (await res.json()) as { ok: boolean; value: { id: string; state: string; size: number } };
      };
      const queued = await api('outbox:enqueue', { accountId: 'sandbox', to: ['ana@example.test'], subject: 'From the build', html: '<p>Built on a <b>worker</b></p>', options: { undoSeconds: 0 } });
      expect(queued.ok).toBe(true);
      await expect.poll(async () => (await api('outbox:get', { id: queued.value.id })).value.state, { timeout: 20_000 }).toBe('sent');
      expect(queued.value.size).toBeGreaterThan(300);
      expect(out).not.toContain('mailwright:'); // serve logged no problem on the way
    } finally {
      // Gone before the test ends (its data directory is removed after it), forcibly if it lingers.
      const exited = new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      child.kill('SIGINT');
      const late = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(late);
    }
  });
});
