import { join } from 'node:path';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { storeUpload } from '../attachments/uploads';
import { invalidInput } from '../errors';
import { textFromHtml } from '../message/build-worker';
import { previewMessage } from '../message/preview-message';
import { draftFromMailto } from '../drafts/mailto-draft';
import type { CoreServices } from '../services';
import type { Handlers, HostCapabilities } from './index';

type ComposingChannels = Extract<keyof Handlers, `attachments:${string}` | `drafts:${string}` | `message:${string}` | 'recipients:suggest'>;

/** What the composer needs: attachments, drafts, the preview as delivered, and recipient suggestions. */
export function composingHandlers(
  { dataDir, accounts, attachments, drafts, recipients, dkim }: Pick<CoreServices, 'dataDir' | 'accounts' | 'attachments' | 'drafts' | 'recipients' | 'dkim'>,
  host: HostCapabilities,
): Pick<Handlers, ComposingChannels> {
  return {
    'attachments:pick': async () => {
      if (!host.pickFiles) throw invalidInput(phrase('err.noFilePicker'), phrase('err.noFilePicker.hint'));
      const paths = await host.pickFiles();
      return Promise.all(paths.map((p) => attachments.register(p)));
    },
    'attachments:describe': async ({ handle }) => attachments.describe(handle),
    'attachments:register-path': ({ path }) => attachments.register(path),
    'attachments:add': async ({ name, base64 }) => attachments.register(await storeUpload(dataDir, name, Buffer.from(base64, 'base64'))),
    'drafts:save': (input) => drafts.save(input),
    'drafts:list': () => drafts.list(),
    'drafts:from-mailto': async ({ url }) => drafts.save(draftFromMailto(url)),
    'drafts:remove': async ({ id }) => {
      await drafts.remove(id);
      return { removed: id };
    },
    'message:preview': (d) => previewMessage(d, { accounts, attachments, dir: join(dataDir, 'previews'), now: () => new Date(), signerFor: (a) => dkim.signerFor(a) }),
    'message:to-text': async ({ html, signature }) => ({ text: await textFromHtml(html, signature ? 'signature' : 'body') }),
    'recipients:suggest': ({ query }) => recipients.suggest(query),
  };
}
