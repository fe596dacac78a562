import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import type { CoreServices } from '../services';
import { reportCsv } from '../templates/merge/report-csv';
import type { Handlers, HostCapabilities } from './index';

type MergeChannels = Extract<keyof Handlers, `templates:${string}` | `merge:${string}`>;

/** Templates, and mail merges from them. */
export function mergeHandlers({ templates, merges }: Pick<CoreServices, 'templates' | 'merges'>, host: HostCapabilities): Pick<Handlers, MergeChannels> {
  return {
    'templates:save': (input) => templates.save(input),
    'templates:list': async () => templates.list(),
    'templates:get': ({ name }) => templates.get(name),
    'templates:remove': ({ name }) => templates.remove(name),
    'merge:check': (req) => merges.check(req),
    'merge:preview': ({ merge, row }) => merges.preview(merge, row),
    'merge:start': (req) => merges.start(req),
    'merge:list': async () => merges.list(),
    'merge:status': async ({ id }) => merges.status(id),
    'merge:pause': ({ id }) => merges.pause(id),
    'merge:resume': ({ id }) => merges.resume(id),
    'merge:cancel': ({ id }) => merges.cancel(id),
    'merge:report': async ({ id }) => {
      const rows = merges.report(id);
      return { rows, csv: reportCsv(rows) };
    },
    'merge:wait': ({ id }) => merges.wait(id),
    'merge:export-report': async ({ id, language }) => {
      const csv = reportCsv(merges.report(id), language);
      const fileName = `${id}-report.csv`;
      if (!host.saveFile) return { fileName, saved: false, base64: Buffer.from(csv).toString('base64') };
      const target = await host.saveFile(fileName);
      if (!target) return { fileName, saved: false };
      await fs.writeFile(target, csv, { mode: 0o600 });
      return { fileName: basename(target), saved: true };
    },
  };
}
