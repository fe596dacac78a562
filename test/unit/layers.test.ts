import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules of docs/ARCHITECTURE.md, enforced by eslint.config.js: prove each one bites.
const eslint = new ESLint({ cwd: process.cwd() });
const errorsFor = async (file: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').length;
};

describe('layer rules', () => {
  it.each([
    ['shared/x.ts', "import { readFile } from 'node:fs'; export const x = readFile;"],
    ['shared/x.ts', "import { app } from 'electron'; export const x = app;"],
    ['shared/x.ts', "import { createCore } from '../electron/core/core'; export const x = createCore;"],
    ['shared/x.ts', 'export const x = () => window.location;'],
    ['renderer/src/x.ts', "import { promises } from 'fs'; export const x = promises;"],
    ['renderer/src/x.ts', "import { createCore } from '../../electron/core/core'; export const x = createCore;"],
    ['electron/core/x.ts', "import { app } from 'electron'; export const x = app;"],
    ['electron/cli/x.ts', "import { registerIpc } from '../main/ipc/register'; export const x = registerIpc;"],
    ['shared/x.ts', "import nodemailer from 'nodemailer'; export const x = nodemailer;"],
    ['shared/x.ts', "import MailComposer from 'nodemailer/lib/mail-composer'; export const x = MailComposer;"],
    ['electron/core/db/x.ts', "import { OutboxService } from '../outbox/outbox-service'; export const x = OutboxService;"],
    ['electron/core/fs/x.ts', "import { AccountStore } from '../accounts/account-store'; export const x = AccountStore;"],
    ['electron/core/db/x.ts', "import { app } from 'electron'; export const x = app;"],
  ])('%s: refuses %s', async (file, code) => {
    expect(await errorsFor(file, code)).toBeGreaterThan(0);
  });

  it.each([
    ['renderer/src/x.ts', "import { contract } from '../../shared/ipc/contract'; export const x = contract;"],
    ['electron/core/x.ts', "import { readFile } from 'node:fs'; export const x = readFile;"],
    ['electron/main/x.ts', "import { app } from 'electron'; export const x = app;"],
    ['shared/x.ts', "import addressparser from 'nodemailer/lib/addressparser'; export const x = addressparser;"],
    ['electron/core/db/x.ts', "import { storageFailed } from '../errors'; import { fsyncDir } from '../fs/atomic-file'; export const x = [storageFailed, fsyncDir];"],
  ])('%s: allows %s', async (file, code) => {
    expect(await errorsFor(file, code)).toBe(0);
  });

  it('refuses an import cycle', async () => {
    // core.ts imports the handlers; a handler importing core.ts back (for a value) closes a loop.
    const [result] = await eslint.lintText("import { createCore } from '../core'; export const x = createCore;", { filePath: 'electron/core/handlers/x.ts' });
    expect(result!.messages.filter((m) => m.ruleId === 'import-x/no-cycle')).toHaveLength(0); // x.ts is not imported by core.ts
    const [inCycle] = await eslint.lintText("import { createCore } from '../core'; export const x = createCore;", { filePath: 'electron/core/handlers/index.ts' });
    expect(inCycle!.messages.filter((m) => m.ruleId === 'import-x/no-cycle').length).toBeGreaterThan(0);
  });
});
