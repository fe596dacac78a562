// `npm run bench` runs every benchmark; `npm run bench -- throughput doctor` runs those named.
// Each prints its Markdown table and writes bench/results/<name>.md and <name>.json.
import { attachment } from './attachment';
import { composer } from './composer';
import { doctor } from './doctor';
import { merge } from './merge';
import { writeResult, type BenchResult } from './lib';
import { outboxView } from './outbox-view';
import { scaling } from './scaling';
import { secrets } from './secrets';
import { throughput } from './throughput';

// composer and outbox-view drive the built renderer in Chromium (`npm run build` first).
const BENCHES: Record<string, () => Promise<BenchResult>> = { throughput, attachment, scaling, doctor, composer, 'outbox-view': outboxView, secrets, merge };

const asked = process.argv.slice(2).filter((a) => a !== '--');
const unknown = asked.filter((a) => !BENCHES[a]);
if (unknown.length) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${Object.keys(BENCHES).join(', ')}.`);
  process.exit(2);
}
let failedTargets = 0;
for (const name of asked.length ? asked : Object.keys(BENCHES)) {
  process.stderr.write(`\n== ${name}\n`);
  const started = performance.now();
  const result = await BENCHES[name]!();
  process.stdout.write(`\n${writeResult(result)}\n(${name}: ${((performance.now() - started) / 1000).toFixed(0)} s; results in bench/results/${name}.md and .json)\n`);
  failedTargets += result.targets.filter((t) => !t.met).length;
}
// A missed target is reported, not an error: the figures are the product of this command.
if (failedTargets) process.stderr.write(`\n${failedTargets} target(s) not met: see the tables above.\n`);
process.exit(0);
