import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/** Every file below `dir`, at any depth (for scans of what a run left on disk). */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}
