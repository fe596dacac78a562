// `npm start`: the desktop app in Electron when its binary is present; otherwise say why and
// start browser mode (the same UI on the same core, served on 127.0.0.1), opening the system
// browser where there is one.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

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

if (electron) {
  const child = spawn(electron, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const args = ['mailwright', 'serve', ...process.argv.slice(2)];
  const child = spawn('npx', ['--no-install', ...args], { stdio: ['inherit', 'pipe', 'inherit'] });
  // The server has it (MAILWRIGHT_PASSPHRASE unlocks its vault); the browser opened below must not.
  delete process.env.MAILWRIGHT_PASSPHRASE;
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const url = /Mailwright UI: (\S+)/.exec(chunk.toString())?.[1];
    if (url) void openBrowser(url);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
