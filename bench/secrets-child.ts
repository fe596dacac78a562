// The keychain half of bench/secrets.ts, run inside scripts/with-keyring.sh: each binding stores,
// reads back and deletes a secret N times; prints one JSON line of medians (or why it could not).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { median } from './lib';

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

async function timeOps(make: () => KeyringLike, rounds: number) {
  try {
    const store = make();
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
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const rounds = Number(process.argv[2] ?? 50);
const service = `Mailwright bench ${randomUUID()}`;
const keyring = await timeOps(() => napi(service), rounds);
const legacy = await timeOps(() => keytar(service), rounds);
console.log(JSON.stringify({ keyring, legacy }));
