// @vitest-environment jsdom
// The Sandbox view (SandboxView) with a fake bridge whose replies and events the test delivers.
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaughtMessage, CaughtMessageSummary } from '../../shared/model/sandbox';

const summary = (id: string, subject: string): CaughtMessageSummary => ({ id, subject, receivedAt: `2026-01-01T10:00:0${id.length}.000Z`, envelopeFrom: 'a@x', envelopeTo: ['b@x'], from: 'a@x', size: 10 });
const full = (s: CaughtMessageSummary, html?: string): CaughtMessage => ({ ...s, text: 'text part', ...(html ? { html } : {}), headers: [], attachments: [], raw: '' }) as unknown as CaughtMessage;

let listeners: Array<(m: CaughtMessageSummary) => void>;
let listReply: (value: CaughtMessageSummary[]) => Promise<void>;
let messages: Record<string, CaughtMessage>;
let root: HTMLElement;

beforeEach(async () => {
  vi.resetModules();
  listeners = [];
  messages = {};
  const api = {
    on: (_event: string, l: (m: CaughtMessageSummary) => void) => (listeners.push(l), () => undefined),
    'sandbox:list': () => new Promise((resolve) => (listReply = (value) => act(async () => void resolve({ ok: true, value })))),
    'sandbox:get': async ({ id }: { id: string }) => ({ ok: true, value: messages[id] }),
  };
  vi.doMock('../../renderer/src/lib/api', () => ({ api: () => api }));
  const { SandboxView } = await import('../../renderer/src/features/sandbox/SandboxView');
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  root = document.createElement('div');
  await act(async () => createRoot(root).render(createElement(SandboxView)));
});

const rows = () => [...root.querySelectorAll('.message-row .message-subject')].map((e) => e.textContent);
const click = (subject: string) =>
  act(async () => {
    [...root.querySelectorAll<HTMLButtonElement>('.message-row')].find((b) => b.textContent?.includes(subject))!.click();
  });

describe('the Sandbox view', () => {
  it('keeps a message caught while its list was on the way (the reply was read before it)', async () => {
    await act(async () => listeners.forEach((l) => l(summary('new', 'Just caught'))));
    await listReply([summary('o', 'Older')]);
    expect(rows()).toEqual(['Just caught', 'Older']);
  });

  it('opens each message on its own first view: HTML when it has one, after a text-only one', async () => {
    const plain = summary('p', 'Plain');
    const rich = summary('rr', 'Rich');
    messages = { p: full(plain), rr: full(rich, '<p>Hello</p>') };
    await listReply([rich, plain]);
    await click('Plain');
    expect(root.querySelector('iframe[title="HTML part"]')).toBeNull();
    expect(root.querySelector('[role="tab"][aria-selected="true"]')?.textContent).toMatch(/text/i);
    await click('Rich');
    expect(root.querySelector('iframe[title="HTML part"]')).not.toBeNull();
  });
});
