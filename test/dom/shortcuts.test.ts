// @vitest-environment jsdom
// Type-checked with the renderer's settings: it tests renderer code (a pure function; the DOM is not needed).
import { describe, expect, it } from 'vitest';
import { shortcutCommand } from '../../renderer/src/lib/shortcuts';

// Browser mode's keys, as KeyboardEvent reports them (code = the key's position, key = what it types).
const press = (code: string, mods: { ctrl?: boolean; meta?: boolean; alt?: boolean; shift?: boolean } = {}, key = code.replace(/^(Key|Digit)/, '')) => ({
  code,
  key,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  altKey: !!mods.alt,
  shiftKey: !!mods.shift,
});

describe('browser-mode shortcuts', () => {
  it('maps Ctrl+1…6 to the views in sidebar order, Ctrl+Enter to send and Ctrl+Shift+A to attach', () => {
    expect(['Digit1', 'Digit2', 'Digit3', 'Digit4', 'Digit5', 'Digit6'].map((c) => shortcutCommand(press(c, { ctrl: true }), false))).toEqual(
      ['compose', 'outbox', 'merge', 'sandbox', 'accounts', 'settings'].map((view) => ({ kind: 'show', view })),
    );
    expect(shortcutCommand(press('Digit7', { ctrl: true }), false)).toBeUndefined();
    expect(shortcutCommand(press('Enter', { ctrl: true }, 'Enter'), false)).toEqual({ kind: 'send' });
    expect(shortcutCommand(press('KeyA', { ctrl: true, shift: true }, 'A'), false)).toEqual({ kind: 'attach' });
  });

  it('uses Cmd instead of Ctrl on macOS', () => {
    expect(shortcutCommand(press('Digit2', { meta: true }), true)).toEqual({ kind: 'show', view: 'outbox' });
    expect(shortcutCommand(press('Digit2', { ctrl: true }), true)).toBeUndefined();
    expect(shortcutCommand(press('Digit2', { meta: true }), false)).toBeUndefined();
  });

  it('offers Alt+N for a new message (Ctrl+N belongs to the browser), Ctrl+Option+N on macOS where Option+N types a tilde', () => {
    expect(shortcutCommand(press('KeyN', { alt: true }, 'n'), false)).toEqual({ kind: 'new-message' });
    expect(shortcutCommand(press('KeyN', { alt: true }, '˜'), true)).toBeUndefined();
    expect(shortcutCommand(press('KeyN', { alt: true, ctrl: true }), true)).toEqual({ kind: 'new-message' });
    expect(shortcutCommand(press('KeyN', { ctrl: true }), false)).toBeUndefined();
  });

  it('leaves ordinary typing and other combinations alone', () => {
    for (const e of [press('KeyA'), press('KeyA', { ctrl: true }, 'a'), press('Digit1'), press('Digit7', { ctrl: true }), press('Enter', {}, 'Enter'), press('Enter', { ctrl: true, shift: true }, 'Enter'), press('Digit1', { ctrl: true, alt: true })]) {
      expect(shortcutCommand(e, false), JSON.stringify(e)).toBeUndefined();
    }
  });
});
