// The process the crash matrix kills: one send through the real outbox, as `mailwright send` does
// it, that dies by SIGKILL at a chosen durable step. Run with `node --import tsx/esm` (the loader
// bin/mailwright.mjs registers), never imported.
//
//   MAILWRIGHT_CRASH_DATA_DIR  the data directory (its account was added by the real CLI)
//   MAILWRIGHT_CRASH_AT        an OutboxCheckpoint to die at; or 'before-commit': at the commit's rename
//                              of outbox/tmp/ID.eml (everything before the commit written, the kept
//                              draft too — a step with no checkpoint); or empty: the test kills it
//   stdin                      the draft, as JSON (a body of megabytes does not fit in argv or env)
//
// It prints one JSON line when the send is queued ({"queued": id}) and one when it settles
// ({"settled": item}): what a user of the CLI would have been told before the crash.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../electron/core/core';
import type { OutboxCheckpoint } from '../../electron/core/outbox/outbox-service';
import { draft } from '../../shared/model/draft';

const dataDir = process.env.MAILWRIGHT_CRASH_DATA_DIR;
if (!dataDir) throw new Error('MAILWRIGHT_CRASH_DATA_DIR is not set');
const crashAt = (process.env.MAILWRIGHT_CRASH_AT || undefined) as OutboxCheckpoint | 'before-commit' | undefined;

if (crashAt === 'before-commit') {
  // The outbox store renames through this same `fs.promises` object, so this sees the commit's rename.
  const rename = fs.rename;
  const tmpDir = join(dataDir, 'outbox', 'tmp');
  fs.rename = (from, to) => {
    if (String(from).startsWith(tmpDir)) process.kill(process.pid, 'SIGKILL');
    return rename(from, to);
  };
}

let input = '';
for await (const chunk of process.stdin) input += chunk;

const core = await createCore({
  dataDir,
  checkpoint: (step) => {
    if (step === crashAt) process.kill(process.pid, 'SIGKILL');
  },
});
const queued = await core.handlers['outbox:enqueue'](draft.parse(JSON.parse(input)));
process.stdout.write(`${JSON.stringify({ queued: queued.id })}\n`);
const settled = await core.outbox.settled(queued.id);
process.stdout.write(`${JSON.stringify({ settled })}\n`);
await core.close();
