// The process the crash matrix kills: one send through the real outbox, as `mailwright send` does
// it, that dies by SIGKILL at a chosen durable step. Run with `node --import tsx/esm` (the loader
// bin/mailwright.mjs registers), never imported.
//
//   MAILWRIGHT_CRASH_DATA_DIR  the data directory (its account was added by the real CLI)
//   MAILWRIGHT_CRASH_AT        an OutboxCheckpoint to die at; or 'before-commit': at the COMMIT of the
//                              message's row (its bytes and kept draft written in the same
//                              transaction — a step with no checkpoint); or empty: the test kills it
//   MAILWRIGHT_CRASH_LEASE_MS  how long the child answers for a message it sends (short: the
//                              restart need not wait a minute to find it abandoned)
//   stdin                      {"draft": …, "attach": [paths]} as JSON (a body of megabytes does not fit in argv or env)
//
// It prints one JSON line when the send is queued ({"queued": id}) and one when it settles
// ({"settled": item}): what a user of the CLI would have been told before the crash.
import { createCore } from '../../electron/core/core';
import type { OutboxCheckpoint } from '../../electron/core/outbox/outbox-service';
import { draft } from '../../shared/model/draft';

const dataDir = process.env.MAILWRIGHT_CRASH_DATA_DIR;
if (!dataDir) throw new Error('MAILWRIGHT_CRASH_DATA_DIR is not set');
const crashAt = (process.env.MAILWRIGHT_CRASH_AT || undefined) as OutboxCheckpoint | 'before-commit' | undefined;

let built = false;
if (crashAt === 'before-commit') {
  // The first commit after the message is built is the one that queues it.
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
  const exec = DatabaseSync.prototype.exec;
  DatabaseSync.prototype.exec = function (this: InstanceType<typeof DatabaseSync>, sql: string) {
    if (built && sql === 'COMMIT') process.kill(process.pid, 'SIGKILL');
    return exec.call(this, sql);
  };
}

let input = '';
for await (const chunk of process.stdin) input += chunk;

const core = await createCore({
  dataDir,
  leaseMs: Number(process.env.MAILWRIGHT_CRASH_LEASE_MS) || undefined,
  checkpoint: (step) => {
    if (step === 'built') built = true;
    if (step === crashAt) process.kill(process.pid, 'SIGKILL');
  },
});
const given = JSON.parse(input) as { draft: Record<string, unknown>; attach: string[] };
const attachments = await Promise.all(given.attach.map(async (path) => ({ handle: (await core.attachments.register(path)).handle })));
const queued = await core.handlers['outbox:enqueue'](draft.parse({ ...given.draft, attachments }));
process.stdout.write(`${JSON.stringify({ queued: queued.id })}\n`);
const settled = await core.outbox.settled(queued.id);
process.stdout.write(`${JSON.stringify({ settled })}\n`);
await core.close();
