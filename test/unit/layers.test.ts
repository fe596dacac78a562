import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules of ARCHITECTURE.md, enforced by eslint.config.js: prove each one bites.
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
  ])('%s: refuses %s', async (file, code) => {
    expect(await errorsFor(file, code)).toBeGreaterThan(0);
  });

  it.each([
    ['renderer/src/x.ts', "import { contract } from '../../shared/ipc/contract'; export const x = contract;"],
    ['electron/core/x.ts', "import { readFile } from 'node:fs'; export const x = readFile;"],
    ['electron/main/x.ts', "import { app } from 'electron'; export const x = app;"],
    ['shared/x.ts', "import addressparser from 'nodemailer/lib/addressparser'; export const x = addressparser;"],
  ])('%s: allows %s', async (file, code) => {
    expect(await errorsFor(file, code)).toBe(0);
  });
});
