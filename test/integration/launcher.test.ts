import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const hasElectronBinary = (() => {
  try {
    createRequire(import.meta.url)('electron');
    return true;
  } catch {
    return false;
  }
})();

/** Whether something accepts connections on 127.0.0.1:port right now. */
const listening = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });

// `npm start` without an Electron binary serves browser mode; stopping the launcher must stop
// the server it started, not leave it listening on its port.
describe.skipIf(hasElectronBinary)('npm start in browser mode', () => {
  it('SIGTERM to npm stops the server it started', async () => {
    const env = { ...process.env, MAILWRIGHT_DATA_DIR: tempDir(), DISPLAY: '', WAYLAND_DISPLAY: '', BROWSER: 'none' };
    // Its own process group, so that whatever is left after a failure can be killed at once.
    const npm = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<number | null>((done) => npm.once('exit', (code) => done(code)));
    try {
      const url = await new Promise<URL>((found, failed) => {
        let out = '';
        const timer = setTimeout(() => failed(new Error(`no address within 60 s; printed: ${out}`)), 60_000);
        npm.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /Mailwright UI: (\S+)/.exec(out);
          if (!m) return;
          clearTimeout(timer);
          found(new URL(m[1]!));
        });
        npm.once('exit', () => (clearTimeout(timer), failed(new Error(`npm start exited before serving; printed: ${out}`))));
      });
      const port = Number(url.port);
      expect(await listening(port)).toBe(true);

      npm.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 30_000))]);
      expect(stopped, 'npm start exits within 30 s of the signal').toBe(true);
      // npm is gone at once; the server follows as soon as the launcher sees that (bounded).
      const deadline = Date.now() + 20_000;
      while ((await listening(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await listening(port), 'the server stopped listening within 20 s').toBe(false);
    } finally {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
  });
});
