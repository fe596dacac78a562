// A process that races another for the same claims (as the app and the CLI would for one outbox):
// at GO_AT it claims DIR/id-0 … id-(N-1), prints which it won, and stays alive (holding them)
// until both racers are done, so that neither racer's claims look stale to the other.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { takeClaim } from '../../electron/core/fs/claim-file';

const dir = process.env.DIR!;
const [goAt, n] = [Number(process.env.GO_AT), Number(process.env.N)];
while (Date.now() < goAt) await new Promise((r) => setTimeout(r, 1));
const won: number[] = [];
for (let i = 0; i < n; i++) if (await takeClaim(join(dir, `id-${i}.claim`))) won.push(i);
process.stdout.write(JSON.stringify(won));
await fs.writeFile(join(dir, `done-${process.pid}`), '');
while ((await fs.readdir(dir)).filter((name) => name.startsWith('done-')).length < 2) await new Promise((r) => setTimeout(r, 20));
