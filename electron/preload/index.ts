// The bridge, and nothing else: one method per contract channel, built from the contract, plus
// event subscriptions. Runs sandboxed; it exposes no ipcRenderer, no Node, no generic invoke.
import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_NAMES, WINDOW_CHANNELS, wireName } from '../../shared/ipc/contract';
import type { MailwrightApi } from '../../shared/ipc/bridge';

const api = Object.fromEntries(
  WINDOW_CHANNELS.map((channel) => [channel, (payload?: unknown) => ipcRenderer.invoke(wireName(channel), payload)]),
) as Record<string, unknown>;

api.on = (event: string, listener: (payload: unknown) => void) => {
  if (!(EVENT_NAMES as string[]).includes(event)) throw new Error(`Unknown event ${event}`);
  const wrapped = (_e: unknown, payload: unknown) => listener(payload);
  ipcRenderer.on(wireName(event as never), wrapped);
  return () => ipcRenderer.off(wireName(event as never), wrapped);
};

contextBridge.exposeInMainWorld('mailwright', api as unknown as MailwrightApi);
