// The one IPC contract: every channel is defined here once, with the schema main uses to
// parse what the (untrusted) renderer sends, and the type of what comes back.
// The preload bridge, the IPC registrar and the CLI are all driven by this object.
import { z } from 'zod';
import { accountId, accountInput, type Account } from '../model/account';
import { draft, type AttachmentInfo } from '../model/draft';
import type { OutboxItem } from '../model/outbox';
import type { CaughtMessage, CaughtMessageSummary } from '../model/sandbox';
import type { ConnectionTestReport } from '../model/connection-test';

/** A type-only marker: carries T at compile time, nothing at run time. */
export interface Returns<T> {
  readonly __returns?: T;
}
const returns = <T>(): Returns<T> => ({});

const noPayload = z.undefined();
const byId = z.strictObject({ id: accountId });
const bySandboxId = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const byHandle = z.strictObject({ handle: z.string().max(80) });

export const contract = {
  'accounts:list': { request: noPayload, response: returns<Account[]>() },
  'accounts:save': { request: accountInput, response: returns<Account>() },
  'accounts:remove': { request: byId, response: returns<{ removed: string }>() },
  'accounts:set-default': { request: byId, response: returns<Account>() },
  'accounts:test': { request: byId, response: returns<ConnectionTestReport>() },
  /** Opens the native file picker in main; the renderer learns handles, never paths. */
  'attachments:pick': { request: noPayload, response: returns<AttachmentInfo[]>() },
  'attachments:describe': { request: byHandle, response: returns<AttachmentInfo>() },
  'outbox:enqueue': { request: draft, response: returns<OutboxItem>() },
  'outbox:list': { request: noPayload, response: returns<OutboxItem[]>() },
  'sandbox:list': { request: noPayload, response: returns<CaughtMessageSummary[]>() },
  'sandbox:get': { request: bySandboxId, response: returns<CaughtMessage>() },
} as const;

/** Events main pushes to every window. */
export const events = {
  'outbox:changed': returns<OutboxItem>(),
  'sandbox:caught': returns<CaughtMessageSummary>(),
} as const;

export type Channel = keyof typeof contract;
export type EventName = keyof typeof events;
export type RequestOf<C extends Channel> = z.input<(typeof contract)[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<(typeof contract)[C]['request']>;
export type ResponseOf<C extends Channel> = NonNullable<(typeof contract)[C]['response']['__returns']>;
export type EventPayloadOf<E extends EventName> = NonNullable<(typeof events)[E]['__returns']>;

export const CHANNELS = Object.keys(contract) as Channel[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** The IPC channel name used on the wire; a prefix keeps ours apart from anything else. */
export const wireName = (name: Channel | EventName) => `mailwright:${name}`;
