// The one IPC contract: every channel is defined here once, with the schema main uses to
// parse what the (untrusted) renderer sends, and the type of what comes back.
// The preload bridge, the IPC registrar and the CLI are all driven by this object.
import { z } from 'zod';
import { LANGUAGES } from '../i18n/languages';
import { accountId, accountInput, oauthInput, SECURITY_MODES, type Account } from '../model/account';
import type { SecretsStatus } from '../model/secrets';
import type { OAuthClientStatus, SignInStarted } from '../model/sign-in';
import { draft, draftFields, savedDraftInput, type AttachmentInfo, type DraftBack, type SavedDraft } from '../model/draft';
import type { Settings } from '../model/settings';
import { settings } from '../model/settings-schema';
import type { AppCommand } from '../model/app-command';
import type { OutboxItem, SendProgress } from '../model/outbox';
import type { OutboxOverview } from '../model/outbox-groups';
import type { CaughtMessage, CaughtMessageSummary } from '../model/sandbox';
import type { DeliveredPreview } from '../model/message-view';
import type { DiscoveredSettings } from '../model/discovery';
import type { ConnectionTestReport, TestPhase } from '../model/connection-test';
import type { Mailbox } from '../model/mailbox';
import { fingerprintSha256, headerText, mailboxText, refusal } from '../model/text';
import { MAX_ADDED_BASE64 } from '../model/message-size';
import { templateInput, templateName, type Template, type TemplateSummary } from '../model/template';
import type { MergeCheck, MergeReportRow, MergeStatus } from '../model/merge';
import { mergeId, mergeInput } from '../model/merge-schema';
import type { DomainReport } from '../model/deliverability';
import { dkimGenerateFields, dkimImportFields } from '../model/deliverability-schema';

/** A type-only marker: carries T at compile time, nothing at run time. */
export interface Returns<T> {
  readonly __returns?: T;
}
const returns = <T>(): Returns<T> => ({});

const noPayload = z.undefined();
const byId = z.strictObject({ id: accountId });
const bySandboxId = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const byHandle = z.strictObject({ handle: z.string().max(80) });
const itemId = z.string().regex(/^[a-z0-9]{9}-[a-f0-9]{12}$/, refusal('err.input.itemId'));
const byItem = z.strictObject({ id: itemId });
/** A path on this machine: only the command line and browser mode's server name one. */
const hostPath = z.string().min(1).max(4096);
const runId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional();
const bySignIn = z.strictObject({ signInId: z.uuid() });
const passphrase = z.string().min(1).max(1024);
/**
 * The most a request may weigh on the wire (browser mode reads no more before answering 413): a
 * message's bodies for the channels that carry one, a mebibyte for every other.
 */
export const LARGE_REQUEST_BYTES = 30 * 1024 * 1024;
export const REQUEST_BYTES = 1024 * 1024;
const large = { maxRequestBytes: LARGE_REQUEST_BYTES } as const;
const doctorOptions = { rcpt: mailboxText.optional(), sendTestTo: mailboxText.optional(), runId };
/** Settings typed into the form but maybe not saved: the doctor tests them as they are. */
const doctorRequest = z.strictObject({
  accountId: accountId.optional(),
  email: headerText(320).refine((s) => s.includes('@'), refusal('err.input.notEmail')),
  host: z.string().min(1).max(253).regex(/^[A-Za-z0-9.\-:[\]]+$/, refusal('err.input.host')),
  port: z.number().int().min(1).max(65535),
  security: z.enum(SECURITY_MODES),
  username: headerText(320).optional(),
  password: z.string().min(1).max(4096).optional(),
  pinnedCertSha256: fingerprintSha256.nullable().optional(),
  ...doctorOptions,
});

export const contract = {
  'accounts:list': { request: noPayload, response: returns<Account[]>() },
  'accounts:save': { request: accountInput, response: returns<Account>() },
  'accounts:remove': { request: byId, response: returns<{ removed: string }>() },
  'accounts:set-default': { request: byId, response: returns<Account>() },
  /** The account's signature as HTML (empty removes it); the Sandbox account may have one too. */
  'accounts:set-signature': { request: z.strictObject({ id: accountId, html: z.string().max(200_000) }), response: returns<Account>() },
  /**
   * Get this account's password from a command (msmtp's passwordeval), run without a shell. The
   * command line only: a page must never be able to make main run a program.
   */
  'accounts:set-password-command': { request: z.strictObject({ id: accountId, command: z.string().min(1).max(2000) }), response: returns<Account>(), commandLineOnly: true },
  /**
   * Begin an OAuth2 sign-in (a saved account again, or new or edited settings): main listens on
   * 127.0.0.1 for the redirect and, in the desktop app, opens the system browser itself. The
   * address carries no secret: the PKCE verifier stays in main.
   */
  'accounts:sign-in-start': {
    request: z.union([z.strictObject({ accountId }), z.strictObject({ account: accountInput.omit({ password: true, clearPassword: true, passwordCommand: true }), oauth: oauthInput })]),
    response: returns<SignInStarted>(),
  },
  /** Wait (up to 5 minutes) for a started sign-in to come back from the browser: the account, signed in and saved. */
  'accounts:sign-in-finish': { request: bySignIn, response: returns<Account>() },
  'accounts:sign-in-cancel': { request: bySignIn, response: returns<{ cancelled: boolean }>() },
  /** Whether Microsoft and Google sign-in have an app registration without the form's (environment, settings.json). */
  'accounts:oauth-clients': { request: noPayload, response: returns<OAuthClientStatus>() },
  /** Where secrets are kept (keychain or vault) and whether the vault is locked. */
  'secrets:status': { request: noPayload, response: returns<SecretsStatus>() },
  /** Unlock the vault for this run of the app; only the derived key stays in main. */
  'secrets:unlock': { request: z.strictObject({ passphrase }), response: returns<SecretsStatus>() },
  /** Keep this data directory's secrets in a new encrypted vault (those in the keychain move into it). */
  'secrets:use-vault': { request: z.strictObject({ passphrase }), response: returns<SecretsStatus & { moved: number }>() },
  /** Re-encrypt the vault under a new passphrase, atomically; a wrong current one changes nothing. */
  'secrets:change-passphrase': { request: z.strictObject({ current: passphrase, next: passphrase }), response: returns<SecretsStatus>() },
  /** The SMTP doctor on a saved account: connect, TLS, login, MAIL FROM/RCPT TO; nothing is sent unless asked. */
  'accounts:test': { request: z.strictObject({ id: accountId, ...doctorOptions }), response: returns<ConnectionTestReport>() },
  /** The SMTP doctor on settings as typed (the stored password is used when none is typed and accountId is given). */
  'doctor:run': { request: doctorRequest, response: returns<ConnectionTestReport>() },
  /** Proposed SMTP settings for an address, each with its source (presets, autoconfig, SRV, MX, probing). */
  'accounts:discover': { request: z.strictObject({ email: mailboxText }), response: returns<DiscoveredSettings[]>() },
  /** Sign the account's mail with a new DKIM key made in main; the account comes back with the TXT record to publish. */
  'accounts:dkim-generate': { request: z.strictObject({ id: accountId, ...dkimGenerateFields }), response: returns<Account>() },
  /** Sign with a private key the user has (PEM): it goes into the secret store and never comes back. */
  'accounts:dkim-import': { request: z.strictObject({ id: accountId, ...dkimImportFields }), response: returns<Account>() },
  /** Stop signing the account's mail; its key is deleted from the secret store. */
  'accounts:dkim-remove': { request: byId, response: returns<Account>() },
  /** What receivers will find in the DNS for the account's From domain: SPF, DKIM, DMARC, alignment. */
  'accounts:check-domain': { request: byId, response: returns<DomainReport>() },
  /** Opens the native file picker in main; the renderer learns handles, never paths. */
  'attachments:pick': { request: noPayload, response: returns<AttachmentInfo[]>() },
  'attachments:describe': { request: byHandle, response: returns<AttachmentInfo>() },
  /** A file by its path, as the command line names it or browser mode's server stored an upload (never a window's). */
  'attachments:register-path': { request: z.strictObject({ path: hostPath }), response: returns<AttachmentInfo>(), commandLineOnly: true },
  /** A file dropped or pasted into the composer, as bytes (the renderer never names a path); main keeps it under uploads/. */
  'attachments:add': { request: z.strictObject({ name: z.string().max(300), base64: z.string().max(MAX_ADDED_BASE64).regex(/^[A-Za-z0-9+/]*={0,2}$/, refusal('err.input.base64')) }), response: returns<AttachmentInfo>(), ...large },
  'outbox:enqueue': { request: draft, response: returns<OutboxItem>(), ...large },
  /** Every message, newest first; or one page of them (the view takes the whole list in pages of a few thousand). */
  'outbox:list': { request: z.strictObject({ after: z.strictObject({ createdAt: z.iso.datetime(), id: itemId }).optional(), limit: z.number().int().min(1).max(100_000) }).optional(), response: returns<OutboxItem[]>() },
  /** The first rows of each outbox section and their sizes: the view draws these while the whole list (outbox:list) is on its way. */
  'outbox:overview': { request: noPayload, response: returns<OutboxOverview>() },
  'outbox:get': { request: byItem, response: returns<OutboxItem>() },
  /** Take a message back during its undo window; returns the exact draft. */
  'outbox:undo': { request: byItem, response: returns<DraftBack>() },
  /** Stop a message that has not gone out (held, scheduled, retrying, failed) and return it to the composer. */
  'outbox:edit': { request: byItem, response: returns<DraftBack>() },
  /** Any message, sent ones too, as a new draft; the item is left as it is. */
  'outbox:reopen': { request: byItem, response: returns<DraftBack>() },
  /**
   * The exact bytes as an .eml file: main asks where to save it (native dialog) and writes it; a
   * host without dialogs (browser mode) gets the bytes to offer as a download.
   */
  'outbox:export': { request: byItem, response: returns<{ fileName: string; saved: boolean; base64?: string }>() },
  /** The exact bytes written to a path the command line names (`mailwright outbox export`). */
  'outbox:export-file': { request: z.strictObject({ id: itemId, path: hostPath }), response: returns<{ file: string }>(), commandLineOnly: true },
  /** Resolves once the message no longer waits for its first attempt (`mailwright send` waits on it). */
  'outbox:wait': { request: byItem, response: returns<OutboxItem>(), commandLineOnly: true },
  /** Send everything due now, then answer (`mailwright outbox run`). */
  'outbox:run-due': { request: noPayload, response: returns<Record<string, never>>(), commandLineOnly: true },
  'outbox:cancel': { request: byItem, response: returns<OutboxItem>() },
  'outbox:send-now': { request: byItem, response: returns<OutboxItem>() },
  'outbox:reschedule': { request: z.strictObject({ id: itemId, at: z.iso.datetime({ offset: true }) }), response: returns<OutboxItem>() },
  /** A failed message again; a partly delivered one only to those who did not get it. */
  'outbox:retry': { request: byItem, response: returns<OutboxItem>() },
  /** Outcome unknown: send the same bytes again, same Message-ID. */
  'outbox:resend': { request: byItem, response: returns<OutboxItem>() },
  'outbox:mark-sent': { request: byItem, response: returns<OutboxItem>() },
  /** Autosave of the composer; returns the draft's id for the next save. */
  'drafts:save': { request: savedDraftInput, response: returns<{ id: string; updatedAt: string }>(), ...large },
  'drafts:list': { request: noPayload, response: returns<SavedDraft[]>() },
  /** A mailto: link (from the OS or `mailwright compose`) saved as a draft; never sent. */
  'drafts:from-mailto': { request: z.strictObject({ url: z.string().max(200_000) }), response: returns<{ id: string }>(), commandLineOnly: true },
  'drafts:remove': { request: z.strictObject({ id: z.string().regex(/^d_[A-Za-z0-9_-]{8,64}$/) }), response: returns<{ removed: string }>() },
  /** The draft built exactly as it would be sent (recipients may still be missing), for "preview as delivered". */
  'message:preview': { request: draftFields, response: returns<DeliveredPreview>(), ...large },
  /** The plain text an HTML body (or a signature) becomes: the same conversion as the text part of a sent message. */
  'message:to-text': { request: z.strictObject({ html: z.string().max(20_000_000), signature: z.boolean().optional() }), response: returns<{ text: string }>(), ...large },
  'settings:get': { request: noPayload, response: returns<Settings>() },
  'settings:save': { request: settings.partial(), response: returns<Settings>() },
  'sandbox:list': { request: noPayload, response: returns<CaughtMessageSummary[]>() },
  'sandbox:get': { request: bySandboxId, response: returns<CaughtMessage>() },
  /** Save a message as a template (its fields Liquid: `{{ name }}`), under a name; the same name replaces it. */
  'templates:save': { request: templateInput, response: returns<TemplateSummary>(), ...large },
  'templates:list': { request: noPayload, response: returns<TemplateSummary[]>() },
  /** A template whole, its files with fresh handles (those gone are named in `missing`). */
  'templates:get': { request: z.strictObject({ name: templateName }), response: returns<Template>() },
  'templates:remove': { request: z.strictObject({ name: templateName }), response: returns<{ removed: string }>() },
  /** Render and check every row of a merge's data; nothing is sent. */
  'merge:check': { request: mergeInput, response: returns<MergeCheck>(), ...large },
  /** One row (1: the first row of data) built exactly as it will be delivered. */
  'merge:preview': { request: z.strictObject({ merge: mergeInput, row: z.number().int().min(1) }), response: returns<DeliveredPreview>(), ...large },
  /** Check every row, then commit the merge and its rows and begin sending; refused while a row is invalid (unless skipInvalid). */
  'merge:start': { request: mergeInput, response: returns<MergeStatus>(), ...large },
  'merge:list': { request: noPayload, response: returns<MergeStatus[]>() },
  'merge:status': { request: z.strictObject({ id: mergeId }), response: returns<MergeStatus>() },
  'merge:pause': { request: z.strictObject({ id: mergeId }), response: returns<MergeStatus>() },
  /** A paused merge goes on (or a running one whose process ended is taken up here). */
  'merge:resume': { request: z.strictObject({ id: mergeId }), response: returns<MergeStatus>() },
  /** Rows not yet sent are not sent; those sent stay sent. */
  'merge:cancel': { request: z.strictObject({ id: mergeId }), response: returns<MergeStatus>() },
  /** Per row: its number, address, state, Message-ID and the server's reply. */
  'merge:report': { request: z.strictObject({ id: mergeId }), response: returns<{ rows: MergeReportRow[]; csv: string }>() },
  /** The report as a CSV file: main asks where to save it (native dialog); a host without dialogs (browser mode) gets the bytes to offer as a download. */
  'merge:export-report': { request: z.strictObject({ id: mergeId, /** the window's: why rows failed or were skipped */ language: z.enum(LANGUAGES).optional() }), response: returns<{ fileName: string; saved: boolean; base64?: string }>() },
  /** Resolves once the merge is no longer running in this process (`mailwright merge` waits on it). */
  'merge:wait': { request: z.strictObject({ id: mergeId }), response: returns<MergeStatus>(), commandLineOnly: true },
  /** Recently used recipients whose name or address starts with what is typed (at most 8, best first). */
  'recipients:suggest': { request: z.strictObject({ query: z.string().max(200) }), response: returns<Mailbox[]>() },
} as const;

/** Events main pushes to every window. */
export const events = {
  'outbox:changed': returns<OutboxItem>(),
  'outbox:progress': returns<SendProgress>(),
  /** A merge's counts as they change (at most a few times a second). */
  'merge:progress': returns<MergeStatus>(),
  'sandbox:caught': returns<CaughtMessageSummary>(),
  /** Each doctor phase as it ends, so a progress list can fill in live. */
  'doctor:progress': returns<{ runId: string; phase: TestPhase }>(),
  /** The application menu, a shortcut or a mailto: link asks the page to do something. */
  'app:command': returns<AppCommand>(),
} as const;

export type Channel = keyof typeof contract;
/** The channels a window may call (see COMMAND_LINE_ONLY). */
export type WindowChannel = { [C in Channel]: (typeof contract)[C] extends { commandLineOnly: true } ? never : C }[Channel];
export type EventName = keyof typeof events;
export type RequestOf<C extends Channel> = z.input<(typeof contract)[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<(typeof contract)[C]['request']>;
export type ResponseOf<C extends Channel> = NonNullable<(typeof contract)[C]['response']['__returns']>;
export type EventPayloadOf<E extends EventName> = NonNullable<(typeof events)[E]['__returns']>;

export const CHANNELS = Object.keys(contract) as Channel[];
/** How many bytes a request on this channel may have. */
export const requestBytes = (channel: Channel) => (contract[channel] as { maxRequestBytes?: number }).maxRequestBytes ?? REQUEST_BYTES;
/** Channels only the command line may call: the window's IPC and browser mode refuse them. */
export const COMMAND_LINE_ONLY = CHANNELS.filter((c) => 'commandLineOnly' in contract[c]);
/** What a window may call: every channel but the command line's own. */
export const WINDOW_CHANNELS = CHANNELS.filter((c) => !COMMAND_LINE_ONLY.includes(c));
export const EVENT_NAMES = Object.keys(events) as EventName[];
export { wireName } from './wire';
