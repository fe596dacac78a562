#!/usr/bin/env node
// The `mailwright` command. It runs the build of the CLI (out/main/cli.js, made by `npm run build`)
// when no source changed since that build began, and otherwise the TypeScript sources directly
// (through tsx): the command never needs a build step and always matches the checked-out code.
// The build starts in about half the time (no TypeScript compiler, no loader thread) and with a
// third less memory, which every command pays for (bench/attachment.ts times the CLI from spawn
// to exit). MAILWRIGHT_CLI_FROM=sources or =build forces one or the other.
import { fileURLToPath } from 'node:url';
import { cliSource } from './cli-source.mjs';

// Mailwright keeps its data with node:sqlite: Node.js 22.13 or newer. npm ci installs one into node_modules/.bin,
// which npx and npm scripts put first on PATH; running this file with an older node says so.
// (23.0 to 23.3 still hid it behind a flag.)
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13) || (major === 23 && minor < 4)) {
  process.stderr.write(`mailwright needs Node.js 22.13 or newer; this is ${process.version}. From the repository, run it as \`npx mailwright\` (it uses the Node that npm ci installed), or install Node 22.\n`);
  process.exit(1);
}

async function fromSources() {
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../electron/cli/main.ts')).main;
}

let main;
if (cliSource(fileURLToPath(new URL('..', import.meta.url))) === 'build') {
  // A build that cannot be loaded (half written, a chunk missing) is not the user's problem.
  main = await import('../out/main/cli.js').then((m) => m.main, fromSources);
} else main = await fromSources();
process.exitCode = await main(process.argv.slice(2));
