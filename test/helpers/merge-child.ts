// The process the merge crash test kills: a merge run through the real core, as `mailwright merge`
// runs it, with short leases so that a restart need not wait a minute to take over. Run with
// `node --import tsx/esm`, never imported.
//
//   MAILWRIGHT_MERGE_DATA_DIR  the data directory (its account was added by the real CLI)
//   MAILWRIGHT_MERGE_LEASE_MS  how long the child answers for the merge and for each message
//   argv                       `start ACCOUNT_ID DATA_FILE` or `resume MERGE_ID`
//
// It prints {"started": id} once the merge is committed, and {"done": status} when it ends.
import { createCore } from '../../electron/core/core';
import { mergeInput } from '../../shared/model/merge-schema';

const dataDir = process.env.MAILWRIGHT_MERGE_DATA_DIR;
if (!dataDir) throw new Error('MAILWRIGHT_MERGE_DATA_DIR is not set');
const [mode, a, b] = process.argv.slice(2);

const core = await createCore({ dataDir, leaseMs: Number(process.env.MAILWRIGHT_MERGE_LEASE_MS) || undefined });
let id = a!;
if (mode === 'start') {
  const data = await core.attachments.register(b!);
  const request = mergeInput.parse({ accountId: a, message: { subject: 'Заказ {{ order }}', text: 'Hola {{ name }}, pedido {{ order }}.' }, data: { handle: data.handle }, nameColumn: 'name' });
  id = (await core.handlers['merge:start'](request)).id;
  process.stdout.write(`${JSON.stringify({ started: id })}\n`);
} else {
  await core.handlers['merge:resume']({ id });
}
const done = await core.handlers['merge:wait']({ id });
process.stdout.write(`${JSON.stringify({ done })}\n`);
await core.close();
