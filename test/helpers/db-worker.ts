// A second process on one database (as the app and a CLI share a data directory). MODE:
// - claim: at GO_AT, takes due outbox items in small batches until none is left; prints their ids.
// - commit: queues messages through group commit forever, printing each id once its write resolved.
// - die-in-commit: as commit, but kills itself with SIGKILL inside its third batch, before COMMIT.
import { GroupCommit } from '../../electron/core/db/group-commit';
import { openDatabase } from '../../electron/core/db/open-database';
import { OutboxRepository } from '../../electron/core/outbox/outbox-repository';

const { DIR, MODE, GO_AT } = process.env;
let batches = 0;
const { db } = openDatabase(DIR!);
const group = new GroupCommit(db, () => {
  if (MODE === 'die-in-commit' && ++batches === 3) process.kill(process.pid, 'SIGKILL');
});
const repo = new OutboxRepository(db);

if (MODE === 'claim') {
  const lease = { owner: `worker:${process.pid}`, until: Date.now() + 60_000 };
  while (Date.now() < Number(GO_AT)) await new Promise((r) => setTimeout(r, 1));
  const won: string[] = [];
  for (let rounds = 0; rounds < 10_000; rounds++) {
    const taken = await group.write(() => repo.claimDue(Date.now(), lease, 8));
    if (!taken.length) break;
    won.push(...taken.map((i) => i.id));
  }
  process.stdout.write(JSON.stringify(won));
} else {
  const now = new Date().toISOString();
  for (let n = 0; n < 1_000_000; n++) {
    const ids = Array.from({ length: 16 }, (_, i) => `${process.pid}-${n}-${i}`);
    await Promise.all(
      ids.map((id) =>
        group
          .write(() => repo.insert({ id, accountId: 'acc', messageId: `<${id}@x>`, subject: 'x'.repeat(200), from: 'a@x', sender: 'a@x', recipients: ['b@x'], state: 'scheduled', dueAt: now, createdAt: now, updatedAt: now, attempts: 0, size: 1 }))
          .then(() => process.stdout.write(`${id}\n`)),
      ),
    );
  }
}
