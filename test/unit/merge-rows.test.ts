import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sayText } from '../../shared/i18n/errors/say';
import { compileTemplate } from '../../electron/core/templates/message-template';
import { isRefused, RowPlanner, type RowPlan, type RowRefused } from '../../electron/core/templates/merge/row-plan';
import { dayAllows, DAY_MS, etaSeconds, intervalOf, slowerAfterBusy, throttleOf } from '../../electron/core/templates/merge/throttle';
import { tempDir } from '../helpers/temp-dir';

const template = compileTemplate({ subject: 'Hi {{ name }}', text: 'x' }, 'en');
const said = (r: RowPlan | RowRefused) => (isRefused(r) ? sayText('en', r.problem) : 'ok');

describe('a merge row', () => {
  it('takes its recipient, name and copies from the mapped columns', () => {
    const p = new RowPlanner(template, { toColumn: 'email', nameColumn: 'name', ccColumn: 'cc', bccColumn: 'bcc' }, undefined).plan({ email: ' a@x.test ', name: 'Ана Ли', cc: 'b@x.test; "C D" <c@x.test>', bcc: '' }, 1);
    expect(p).toMatchObject({ row: 1, address: 'a@x.test', to: { name: 'Ана Ли', address: 'a@x.test' }, cc: [{ address: 'b@x.test' }, { name: 'C D', address: 'c@x.test' }], bcc: [] });
  });

  it('refuses a bad address in the chip’s words, and a name with a line break', () => {
    const planner = new RowPlanner(template, { toColumn: 'email', nameColumn: 'name' }, undefined);
    expect(said(planner.plan({ email: 'a b@x.test', name: 'A' }, 1))).toBe('address: has a space — put a name in quotes before <b@x.test>');
    expect(said(planner.plan({ email: '', name: 'A' }, 2))).toBe('address: is empty');
    expect(said(planner.plan({ email: 'a@x.test', name: 'A\r\nBcc: e@evil.test' }, 3))).toMatch(/line break/);
  });

  it('finds a row’s own files inside the data file’s folder only, and says which cannot be read', async () => {
    const dir = tempDir();
    await fs.mkdir(join(dir, 'invoices'));
    await fs.writeFile(join(dir, 'invoices', 'A-1.pdf'), '%PDF');
    const planner = new RowPlanner(template, { toColumn: 'email', attachColumn: 'files' }, dir);
    const row = (files: string) => planner.plan({ email: 'a@x.test', name: 'A', files }, 1);
    const good = row('invoices/A-1.pdf') as RowPlan;
    expect(good.files).toEqual([join(dir, 'invoices', 'A-1.pdf')]);
    expect(await planner.checkFiles(good)).toEqual({ ...good, fileSizes: [4] });
    for (const escape of ['../secret.txt', 'invoices/../../secret.txt', '/etc/passwd']) expect(said(row(escape)), escape).toBe(`the file "${escape}" is not inside the data file’s folder`);
    expect(said(await planner.checkFiles(row('invoices/missing.pdf') as RowPlan))).toBe('the file "missing.pdf" cannot be read');
    expect(said(await planner.checkFiles(row('invoices') as RowPlan))).toBe('"invoices" is not a file');
    expect(said(new RowPlanner(template, { toColumn: 'email', attachColumn: 'files' }, undefined).plan({ email: 'a@x.test', name: 'A', files: 'a.pdf' }, 1))).toMatch(/not inside/);
  });

  it('refuses a hidden file, and a link inside the folder that leads out of it', async () => {
    const root = tempDir();
    const dir = join(root, 'list');
    await fs.mkdir(join(dir, '.ssh'), { recursive: true });
    await fs.writeFile(join(dir, '.ssh', 'id_rsa'), 'KEY');
    await fs.writeFile(join(root, 'secret.txt'), 'S');
    await fs.symlink(join(root, 'secret.txt'), join(dir, 'invoice.pdf'));
    const planner = new RowPlanner(template, { toColumn: 'email', attachColumn: 'files' }, dir);
    const row = (files: string) => planner.plan({ email: 'a@x.test', name: 'A', files }, 1);
    expect(said(row('.ssh/id_rsa'))).toBe('the file ".ssh/id_rsa" is hidden (a name starting with a dot), so it is not sent');
    expect(said(await planner.checkFiles(row('invoice.pdf') as RowPlan))).toBe('the file "invoice.pdf" is not inside the data file’s folder');
  });
});

describe('the throttle', () => {
  it('takes a provider’s limits, the numbers given beside it first', () => {
    expect(throttleOf({ preset: 'microsoft-365' })).toEqual({ perMinute: 30, perDay: 10_000 });
    expect(throttleOf({ preset: 'gmail', perMinute: 10 })).toEqual({ perMinute: 10, perDay: 500 });
    expect(throttleOf({})).toEqual({});
    expect(intervalOf({ perMinute: 30 })).toBe(2000);
    expect(intervalOf({})).toBe(0);
  });

  it('lets the next message go when the day’s limit has room, else when the oldest is a day old', () => {
    expect(dayAllows({ perDay: 2 }, { count: 1, oldest: 100 }, 500)).toBe(500);
    expect(dayAllows({ perDay: 2 }, { count: 2, oldest: 100 }, 500)).toBe(100 + DAY_MS);
    expect(dayAllows({}, { count: 99 }, 500)).toBe(500);
  });

  it('slows down after a server’s "not now", within bounds', () => {
    expect(slowerAfterBusy(0)).toBe(2000);
    expect(slowerAfterBusy(2000)).toBe(4000);
    expect(slowerAfterBusy(9 * 60_000)).toBe(10 * 60_000);
  });

  it('estimates the time a merge takes, days included', () => {
    expect(etaSeconds({ perMinute: 30 }, 60, 2000)).toBe(120);
    expect(etaSeconds({ perDay: 500 }, 1200, 0)).toBe(2 * 86_400);
    expect(etaSeconds({}, 0, 0)).toBe(0);
  });
});
