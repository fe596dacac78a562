// Which code the `mailwright` command runs: the build of the CLI (out/main/cli.js, made by
// `npm run build`) when no source it is built from changed since that build began, else the sources.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the build reads besides electron/ and shared/. */
const CONFIG_FILES = ['electron.vite.config.ts', 'tsconfig.json', 'tsconfig.node.json', 'package.json'];

/**
 * The newest modification time among the sources and their folders (a file deleted or renamed
 * changes its folder's time, not any file's): a few hundred entries, milliseconds.
 */
function newestSource(root) {
  let newest = 0;
  const walk = (dir) => {
    newest = Math.max(newest, statSync(dir).mtimeMs);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of ['electron', 'shared']) walk(join(root, dir));
  for (const file of CONFIG_FILES) newest = Math.max(newest, statSync(join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return newest;
}

/** 'build' or 'sources', for the project at `root`. MAILWRIGHT_CLI_FROM=sources or =build forces one. */
export function cliSource(root, env = process.env) {
  if (env.MAILWRIGHT_CLI_FROM === 'sources' || env.MAILWRIGHT_CLI_FROM === 'build') return env.MAILWRIGHT_CLI_FROM;
  try {
    statSync(join(root, 'out', 'main', 'cli.js'));
    // When the build began (written by the build itself, electron.vite.config.ts), not when it ended.
    const started = Number(readFileSync(join(root, 'out', 'main', 'build-started'), 'utf8'));
    return Number.isFinite(started) && started > newestSource(root) ? 'build' : 'sources';
  } catch {
    return 'sources'; // never built, or built before the stamp existed
  }
}
