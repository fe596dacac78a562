// The two choices issue 14 asked to measure, beside each other in one run:
// - the keychain binding: @napi-rs/keyring (what Mailwright uses) against keytar (archived since
//   2022, kept only to move old secrets), on the Secret Service (run it under
//   scripts/with-keyring.sh, as `npm run bench` does not: `bash scripts/with-keyring.sh npm run bench -- secrets`);
// - the OAuth2 library: openid-client (what Mailwright uses) against oauth4webapi, which it is
//   built on: the cold import each process pays before its first sign-in or refresh.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { fmt, median, ROOT, type BenchResult } from './lib';

type KeyringLike = { set(a: string, s: string): Promise<void>; get(a: string): Promise<string | null>; del(a: string): Promise<unknown> };

const require = createRequire(import.meta.url);

function napi(service: string): KeyringLike {
  const { AsyncEntry } = require('@napi-rs/keyring') as typeof import('@napi-rs/keyring');
  const entries = new Map<string, InstanceType<typeof AsyncEntry>>();
  const entry = (a: string) => entries.get(a) ?? (entries.set(a, new AsyncEntry(service, a, { linux: { store: 'secret-service' } })), entries.get(a)!);
  return { set: (a, s) => entry(a).setPassword(s), get: (a) => entry(a).getPassword(), del: (a) => entry(a).deletePassword() };
}

function keytar(service: string): KeyringLike {
  const k = require('keytar') as { setPassword(s: string, a: string, p: string): Promise<void>; getPassword(s: string, a: string): Promise<string | null>; deletePassword(s: string, a: string): Promise<boolean> };
  return { set: (a, s) => k.setPassword(service, a, s), get: (a) => k.getPassword(service, a), del: (a) => k.deletePassword(service, a) };
}

async function timeOps(store: KeyringLike, rounds: number) {
  const times = { set: [] as number[], get: [] as number[], delete: [] as number[] };
  const account = randomUUID();
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    await store.set(account, `secret-${i}`);
    times.set.push(performance.now() - t);
    t = performance.now();
    if ((await store.get(account)) !== `secret-${i}`) throw new Error('read back something else');
    times.get.push(performance.now() - t);
    t = performance.now();
    await store.del(account);
    times.delete.push(performance.now() - t);
  }
  return { set: median(times.set), get: median(times.get), delete: median(times.delete) };
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
  const service = `Mailwright bench ${randomUUID()}`;
  const keyring = await timeOps(napi(service), rounds).catch((err: Error) => ({ error: err.message }));
  const legacy = await timeOps(keytar(service), rounds).catch((err: Error) => ({ error: err.message }));
  const row = (name: string, r: typeof keyring) =>
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
