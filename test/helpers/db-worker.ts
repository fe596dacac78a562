// A second process on one database (as the app and a CLI share a data directory). MODE:
// - claim: says it is ready (DIR/ready-PID), waits for DIR/go, takes due outbox items in small
//   batches until none is left, and prints their ids.
// - open: says it is ready, waits for DIR/go, opens (and so migrates) the database, prints its schema step.
// - commit: queues messages through group commit forever, printing each id once its write resolved.
// - die-in-commit: as commit, but kills itself with SIGKILL inside its third batch, before COMMIT.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GroupCommit } from '../../electron/core/db/group-commit';
import { schemaVersion } from '../../electron/core/db/migrations';
import { openDatabase } from '../../electron/core/db/open-database';
import { OutboxRepository } from '../../electron/core/outbox/outbox-repository';

const { DIR, MODE } = process.env;
const dir = DIR!;

async function readyThenGo() {
  writeFileSync(join(dir, `ready-${process.pid}`), '');
  for (let waited = 0; !existsSync(join(dir, 'go')); waited++) {
    if (waited > 6000) throw new Error('never told to go');
    await new Promise((r) => setTimeout(r, 5));
  }
}

if (MODE === 'open') {
  await readyThenGo();
  const { db } = openDatabase(dir);
  process.stdout.write(String(schemaVersion(db)));
  db.close();
} else {
  let batches = 0;
  const { db } = openDatabase(dir);
  const group = new GroupCommit(db, () => {
    if (MODE === 'die-in-commit' && ++batches === 3) process.kill(process.pid, 'SIGKILL');
  });
  const repo = new OutboxRepository(db);
  if (MODE === 'claim') {
    await readyThenGo();
    const won: string[] = [];
    for (let rounds = 0; rounds < 10_000; rounds++) {
      const taken = await group.write(() => repo.claimDue(Date.now(), `worker:${process.pid}`, Date.now() + 60_000, 2));
      if (!taken.length) break;
      won.push(...taken.map((t) => t.item.id));
      await new Promise((r) => setTimeout(r, 2)); // as a delivery would take a while: the other process gets the lock meanwhile
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
}
