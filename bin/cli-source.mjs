// Which code the `mailwright` command runs: the build of the CLI (out/main/cli.js, made by
// `npm run build`) when it is newer than every source file it is built from, else the sources.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time under the folders the CLI is built from (a few hundred files: milliseconds). */
function newestSource(root) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of ['electron', 'shared']) walk(join(root, dir));
  return newest;
}

/** 'build' or 'sources', for the project at `root`. MAILWRIGHT_CLI_FROM=sources or =build forces one. */
export function cliSource(root, env = process.env) {
  if (env.MAILWRIGHT_CLI_FROM === 'sources' || env.MAILWRIGHT_CLI_FROM === 'build') return env.MAILWRIGHT_CLI_FROM;
  try {
    return statSync(join(root, 'out', 'main', 'cli.js')).mtimeMs > newestSource(root) ? 'build' : 'sources';
  } catch {
    return 'sources'; // never built
  }
}
