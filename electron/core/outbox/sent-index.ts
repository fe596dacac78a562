import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { OutboxItem } from '../../../shared/model/outbox';
import { readJsonFile } from '../fs/atomic-file';
import { FILES_AT_ONCE, inBatches } from '../fs/in-batches';

/**
 * What is in sent/, without opening a file per message: `sent/.index.jsonl` holds a copy of each
 * sent sidecar, one JSON line each. Listing 6,000 sent messages read 6,000 files (about a second,
 * bench/outbox-view.ts); now it reads the folder's names and the lines added since the last look.
 *
 * Only a cache: the sidecars stay the truth. A sent sidecar never changes once written (sent is
 * final), so a line never goes stale; a name with no line is read from its sidecar and its line
 * appended; a line with no name (a file removed by hand) is ignored; a torn line (a crash while
 * appending) does not parse and is read again from its sidecar. Several processes may append: each
 * line is one write to a file opened for appending.
 */
export class SentIndex {
  private readonly path: string;
  /** The index file as last read: which file (a replaced one is read again), how far, and what it said. */
  private seen = { ino: -1, offset: 0, items: new Map<string, OutboxItem>() };

  constructor(private readonly sentDir: string) {
    this.path = join(sentDir, '.index.jsonl');
  }

  /** Every item in sent/. */
  async items(): Promise<OutboxItem[]> {
    const names = (await fs.readdir(this.sentDir).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
    await this.catchUp();
    const known = this.seen.items;
    const missing = names.filter((n) => !known.has(n.slice(0, -'.json'.length)));
    if (missing.length) {
      const read = await inBatches(missing, FILES_AT_ONCE, (n) => readJsonFile<OutboxItem>(join(this.sentDir, n)).catch(() => undefined));
      const found = read.filter((i): i is OutboxItem => !!i && typeof i.id === 'string');
      for (const item of found) known.set(item.id, item);
      // Not fsynced, and a failure only means reading these again next time.
      if (found.length) await fs.appendFile(this.path, found.map((i) => `${JSON.stringify(i)}\n`).join(''), { mode: 0o600 }).catch(() => undefined);
    }
    return names.flatMap((n) => known.get(n.slice(0, -'.json'.length)) ?? []);
  }

  /** Read the lines added to the index since the last look (all of it, if the file is new or was replaced). */
  private async catchUp(): Promise<void> {
    const stat = await fs.stat(this.path).catch(() => undefined);
    if (!stat) return;
    if (stat.ino !== this.seen.ino || stat.size < this.seen.offset) this.seen = { ino: stat.ino, offset: 0, items: new Map() };
    if (stat.size === this.seen.offset) return;
    const handle = await fs.open(this.path, 'r');
    let text: Buffer;
    try {
      text = Buffer.alloc(stat.size - this.seen.offset);
      const { bytesRead } = await handle.read(text, 0, text.length, this.seen.offset);
      text = text.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
    // Up to the last whole line: a line being appended right now is read next time.
    const end = text.lastIndexOf(0x0a) + 1;
    this.seen.offset += end;
    for (const line of text.subarray(0, end).toString('utf8').split('\n')) {
      if (!line) continue;
      try {
        const item = JSON.parse(line) as OutboxItem;
        if (item && typeof item.id === 'string') this.seen.items.set(item.id, item);
      } catch {
        // a torn line: its message is read from its sidecar instead
      }
    }
  }
}
