// The two choices issue 14 asked to measure, beside each other in one run:
// - the keychain binding: @napi-rs/keyring (what Mailwright uses) against keytar (archived since
//   2022, kept only to move old secrets), on a real Secret Service: secrets-child.ts runs inside
//   scripts/with-keyring.sh (a private D-Bus session and gnome-keyring-daemon) whatever ran this;
// - the OAuth2 library: openid-client (what Mailwright uses) against oauth4webapi, which it is
//   built on: the cold import each process pays before its first sign-in or refresh.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fmt, median, ROOT, runChild, tsNode, type BenchResult } from './lib';

interface Timings {
  set: number;
  get: number;
  delete: number;
}

/** Median milliseconds of a fresh `node` process importing a module, minus one importing nothing. */
function importMs(specifier: string, runs: number): number {
  const once = (code: string) => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const t = performance.now(); ${code}; console.log(performance.now() - t);`], { cwd: ROOT, encoding: 'utf8' });
    return Number(r.stdout.trim());
  };
  return median(Array.from({ length: runs }, () => once(`await import('${specifier}')`))) - median(Array.from({ length: runs }, () => once('await 0')));
}

export async function secrets(opts: { rounds?: number } = {}): Promise<BenchResult> {
  const rounds = opts.rounds ?? 50;
  const [node, args] = tsNode('secrets-child.ts', String(rounds));
  const run = await runChild('bash', [join(ROOT, 'scripts', 'with-keyring.sh'), node, ...args]);
  const measured = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { keyring: Timings | { error: string }; legacy: Timings | { error: string } };
  const { keyring, legacy } = measured;
  const row = (name: string, r: Timings | { error: string }) =>
    'error' in r
      ? { binding: name, 'set (ms)': '-', 'get (ms)': '-', 'delete (ms)': '-', note: `no keychain here: ${r.error.slice(0, 80)}` }
      : { binding: name, 'set (ms)': fmt(r.set, 2), 'get (ms)': fmt(r.get, 2), 'delete (ms)': fmt(r.delete, 2), note: '' };
  const imports = { 'openid-client': importMs('openid-client', 10), oauth4webapi: importMs('oauth4webapi', 10) };
  const ratio = !('error' in keyring) && !('error' in legacy) ? keyring.get / legacy.get : undefined;
  return {
    name: 'secrets',
    title: 'Secrets: the keychain binding and the OAuth2 library',
    method: `Each keychain binding stores, reads back and deletes one secret ${rounds} times on the Secret Service (scripts/with-keyring.sh: a private D-Bus session and gnome-keyring-daemon), medians shown; keytar is the baseline, run beside it. The import times are medians of 10 fresh \`node\` processes importing each library, less a process importing nothing.`,
    tables: [
      { caption: 'Keychain operations, median ms', rows: [row('@napi-rs/keyring (used)', keyring), row('keytar (baseline)', legacy)] },
      { caption: 'Cold import, median ms', rows: Object.entries(imports).map(([library, ms]) => ({ library: library === 'openid-client' ? 'openid-client (used)' : 'oauth4webapi (baseline)', 'import (ms)': fmt(ms, 1) })) },
    ],
    targets: [
      { target: '@napi-rs/keyring reads no slower than 1.5× keytar', value: ratio === undefined ? 'no keychain' : `${fmt(ratio, 2)}×`, met: ratio !== undefined && ratio <= 1.5 },
      { target: 'openid-client costs under 50 ms to import (paid only by a process that signs in or refreshes)', value: `${fmt(imports['openid-client'], 1)} ms`, met: imports['openid-client'] < 50 },
    ],
    raw: { keyring, legacy, imports, rounds },
  };
}
