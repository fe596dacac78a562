#!/usr/bin/env node
// The `mailwright` command. It runs the TypeScript sources directly (through tsx), so the CLI
// needs no build step and always matches the checked-out code.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
