import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import type { Channel, ParsedRequestOf, ResponseOf } from '../../../shared/ipc/contract';
import type { Core } from '../core';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { invalidInput } from '../errors';
import type { DiscoveryDeps } from '../accounts/discovery/discover';
import { accountHandlers } from './accounts';
import { secretsHandlers } from './secrets';
import { draftMailboxes, signatureText, textFromHtml } from '../message/build-message';
import { previewMessage } from '../message/preview-message';
import { storeUpload } from '../attachments/uploads';
import { fitFileName } from '../attachments/file-name';
import { OVERVIEW_ROWS, overviewOf } from '../../../shared/model/outbox-groups';

/** A file name from a subject, safe on every system. */
const emlFileName = (subject: string) => fitFileName(`${subject.replace(/[^\p{L}\p{N} ._-]/gu, '_').trim() || 'message'}.eml`);

/** What only the host can do (the desktop shell has native dialogs; browser mode and the CLI do not). */
export interface HostCapabilities {
  /** Ask the user for files; resolves with the chosen paths (empty when cancelled). */
  pickFiles?: () => Promise<string[]>;
  /** Ask where to save a file; resolves with the chosen path (undefined when cancelled). */
  saveFile?: (suggestedName: string) => Promise<string | undefined>;
  /** Open an address in the system browser (a sign-in): the desktop app; elsewhere the caller opens it. */
  openExternal?: (url: string) => Promise<void>;
  /** Tests point discovery at their own DNS answers and HTTP server. */
  discovery?: DiscoveryDeps;
}

export type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

/** The contract's implementation: the IPC registrar, browser mode and the CLI all call these. */
export function createHandlers(core: Core, host: HostCapabilities = {}): Handlers {
  const { accounts, outbox, sandbox, attachments, drafts, settings, recipients } = core;
  return {
    ...accountHandlers(core, host),
    ...secretsHandlers(core),
    'attachments:pick': async () => {
      if (!host.pickFiles) throw invalidInput(phrase('err.noFilePicker'), phrase('err.noFilePicker.hint'));
      const paths = await host.pickFiles();
      return Promise.all(paths.map((p) => attachments.register(p)));
    },
    'attachments:describe': async ({ handle }) => attachments.describe(handle),
    'attachments:add': async ({ name, base64 }) => attachments.register(await storeUpload(core.dataDir, name, Buffer.from(base64, 'base64'))),
    'outbox:enqueue': async (draft) => {
      const item = await outbox.enqueue(draft);
      // Every queued message (composer, browser mode and CLI alike) teaches the suggestions its
      // recipients; the message is already safe in the outbox, so a failure here must not undo that.
      // Not waited for: uses recorded while a write runs share the next one (suggest() counts them
      // all), instead of each message waiting for its own rewrite of the list (bench/throughput.ts).
      const { to, cc, bcc } = draftMailboxes(draft);
      void recipients.record([...to, ...cc, ...bcc]).catch(() => undefined);
      return item;
    },
    'outbox:list': (page) => outbox.listPage(page),
    'outbox:overview': async () => overviewOf(await outbox.list(), OVERVIEW_ROWS),
    'outbox:get': ({ id }) => outbox.get(id),
    'outbox:undo': ({ id }) => outbox.undo(id),
    'outbox:cancel': ({ id }) => outbox.cancel(id),
    'outbox:send-now': ({ id }) => outbox.sendNow(id),
    'outbox:reschedule': ({ id, at }) => outbox.reschedule(id, new Date(at)),
    'outbox:retry': ({ id }) => outbox.retry(id),
    'outbox:resend': ({ id }) => outbox.resend(id),
    'outbox:mark-sent': ({ id }) => outbox.markSent(id),
    'outbox:edit': ({ id }) => outbox.edit(id),
    'outbox:reopen': ({ id }) => outbox.reopen(id),
    'outbox:export': async ({ id }) => {
      const item = await outbox.get(id);
      const fileName = emlFileName(item.subject);
      if (!host.saveFile) return { fileName, saved: false, base64: (await fs.readFile(outbox.emlPath(item))).toString('base64') };
      const target = await host.saveFile(fileName);
      if (!target) return { fileName, saved: false };
      await fs.copyFile(outbox.emlPath(item), target);
      return { fileName: basename(target), saved: true };
    },
    'drafts:save': (input) => drafts.save(input),
    'drafts:list': () => drafts.list(),
    'drafts:remove': async ({ id }) => {
      await drafts.remove(id);
      return { removed: id };
    },
    'message:preview': (d) => previewMessage(d, { accounts, attachments, dir: join(core.dataDir, 'previews'), now: () => new Date() }),
    'message:to-text': async ({ html, signature }) => ({ text: signature ? signatureText(html) : textFromHtml(html) }),
    'settings:get': () => settings.get(),
    'settings:save': (change) => settings.save(change),
    'sandbox:list': () => sandbox.list(),
    'sandbox:get': ({ id }) => sandbox.get(id),
    'recipients:suggest': ({ query }) => recipients.suggest(query),
  };
}
