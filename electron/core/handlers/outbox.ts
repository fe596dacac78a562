import { basename } from 'node:path';
import { OVERVIEW_ROWS } from '../../../shared/model/outbox-groups';
import { fitFileName } from '../attachments/file-name';
import { MailwrightError, systemWords } from '../errors';
import { phrase } from '../../../shared/i18n/errors/phrase';
import type { CoreServices } from '../services';
import type { Handlers, HostCapabilities } from './index';

type OutboxChannels = Extract<keyof Handlers, `outbox:${string}`>;

/** A file name from a subject, safe on every system. */
const emlFileName = (subject: string) => fitFileName(`${subject.replace(/[^\p{L}\p{N} ._-]/gu, '_').trim() || 'message'}.eml`);

/** Queueing, the outbox's list and the user's actions on its messages. */
export function outboxHandlers({ outbox, recipients }: Pick<CoreServices, 'outbox' | 'recipients'>, host: HostCapabilities): Pick<Handlers, OutboxChannels> {
  return {
    'outbox:enqueue': async (draft) => {
      const item = await outbox.enqueue(draft);
      // Every queued message (composer, browser mode and CLI alike) teaches the suggestions its
      // recipients; the message is already safe in the outbox, so a failure here must not undo that.
      // Not waited for: the uses of messages queued together share a commit.
      void recipients.record([...draft.to, ...draft.cc, ...draft.bcc]).catch(() => undefined);
      return item;
    },
    'outbox:list': (page) => outbox.listPage(page),
    'outbox:overview': () => outbox.overview(OVERVIEW_ROWS),
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
    'outbox:export-file': async ({ id, path }) => {
      const item = await outbox.get(id);
      await outbox.copyMessage(item, path).catch((err: unknown) => {
        throw new MailwrightError('STORAGE_FAILED', { message: phrase('err.export.write', { path }), hint: phrase('err.export.write.hint'), quote: systemWords(err) }, { cause: err });
      });
      return { file: path };
    },
    'outbox:wait': ({ id }) => outbox.settled(id),
    'outbox:run-due': async () => {
      await outbox.runDue();
      return {};
    },
    'outbox:export': async ({ id }) => {
      const item = await outbox.get(id);
      const fileName = emlFileName(item.subject);
      if (!host.saveFile) return { fileName, saved: false, base64: (await outbox.readMessage(item)).toString('base64') };
      const target = await host.saveFile(fileName);
      if (!target) return { fileName, saved: false };
      await outbox.copyMessage(item, target);
      return { fileName: basename(target), saved: true };
    },
  };
}
