#!/usr/bin/env node
// The `mailwright` command. It runs the build of the CLI (out/main/cli.js, made by `npm run build`)
// when that build is newer than every source file, and otherwise the TypeScript sources directly
// (through tsx): the command never needs a build step and always matches the checked-out code.
// The build starts in about half the time (no TypeScript compiler, no loader thread) and with a
// third less memory, which every command pays for (bench/attachment.ts times the CLI from spawn
// to exit). MAILWRIGHT_CLI_FROM=sources or =build forces one or the other.
import { fileURLToPath } from 'node:url';
import { cliSource } from './cli-source.mjs';

let main;
if (cliSource(fileURLToPath(new URL('..', import.meta.url))) === 'build') ({ main } = await import('../out/main/cli.js'));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../electron/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
