// `npm start`: launch the built app in Electron when its binary is present; otherwise say why.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electron;
try {
  electron = require('electron'); // the binary's path, or a throw when it was never downloaded
} catch (err) {
  console.error(`Mailwright: the Electron binary is not installed here (${err.message.split('\n')[0]}).`);
  console.error('Install it with `node node_modules/electron/install.js` where downloads are allowed.');
  console.error('Meanwhile the `mailwright` command works without it: `npx mailwright --help`.');
  process.exit(1);
}
const child = spawn(electron, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
