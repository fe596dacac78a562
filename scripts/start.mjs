// `npm start`: the desktop app in Electron when its binary is present; otherwise say why and
// start browser mode (the same UI on the same core, served on 127.0.0.1), opening the system
// browser where there is one.
import { spawn } from 'node:child_process';
import { setInterval, setTimeout } from 'node:timers';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The system browser, where there is a display to show it on (the `open` package, as the CLI's sign-in uses). */
async function openBrowser(url) {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    const { default: open } = await import('open');
    (await open(url)).on('error', () => undefined).unref();
  } catch {
    // No browser to open: the address is printed above.
  }
}
let electron;
try {
  electron = require('electron'); // the binary's path; throws when it was never downloaded
} catch {
  console.error('Mailwright: the Electron binary is not installed here.');
  console.error('Starting browser mode instead: the same app, in your browser. (To get the desktop window, run `node node_modules/electron/install.js` where downloads are allowed.)');
}

/**
 * Stopping the launcher stops what it started: the signals it gets are passed on, and a new
 * parent (`npm start` runs this under `sh -c`, and a SIGTERM sent to npm ends that shell without
 * reaching here) counts as being stopped. What does not stop within 10 s is killed.
 */
function stopsWithLauncher(child) {
  let stopping = false;
  const stop = (signal) => {
    child.kill(signal);
    if (stopping) return;
    stopping = true;
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop('SIGTERM'), 500).unref();
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (electron) {
  stopsWithLauncher(spawn(electron, ['.'], { stdio: 'inherit' }));
} else {
  // The command's own file, not `npx mailwright`: npx puts a shell and npm between, and a signal
  // sent to this launcher must reach the server itself.
  const bin = fileURLToPath(new URL('../bin/mailwright.mjs', import.meta.url));
  const child = spawn(process.execPath, [bin, 'serve', ...process.argv.slice(2)], { stdio: ['inherit', 'pipe', 'inherit'] });
  // The server has it (MAILWRIGHT_PASSPHRASE unlocks its vault); the browser opened below must not.
  delete process.env.MAILWRIGHT_PASSPHRASE;
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const url = /Mailwright UI: (\S+)/.exec(chunk.toString())?.[1];
    if (url) void openBrowser(url);
  });
  stopsWithLauncher(child);
}
