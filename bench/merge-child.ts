// One contender of the merge benchmark, in its own process so that its memory is its own. Prints
// one JSON line with its timings and memory.
//   mailwright PORT ROWS DATA_CSV HTML_FILE — the real core: merge:check (every row rendered and
//            checked), merge:preview of a few rows, then merge:start → merge:wait (every row
//            queued with its state, sent, its outcome recorded), no throttle
//   nodemailer PORT ROWS DATA_CSV HTML_FILE — raw nodemailer, the pool the outbox uses: the same
//            messages rendered and built before the clock starts (prebuilt), then all sent
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parse } from 'csv-parse/sync';
import { createCore } from '../electron/core/core';
import { invokeChannel } from '../electron/core/invoke';
import { compileTemplate } from '../electron/core/templates/message-template';
import { TRANSPORT_POOL } from '../electron/core/smtp/transport-factory';
import { MemorySecretStore } from '../test/helpers/memory-secret-store';
import { cpuFromNow } from './lib';

const [mode, portText, rowsText, dataPath, htmlPath] = process.argv.slice(2);
const port = Number(portText);
const rows = Number(rowsText);
const html = readFileSync(htmlPath!, 'utf8');
const SUBJECT = 'Your order {{ order }}, {{ name }}';
const hwmKb = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
const rssKb = () => Math.round(process.memoryUsage().rss / 1024);

async function raw() {
  const records = parse(readFileSync(dataPath!), { columns: true, bom: true }) as Array<Record<string, string>>;
  const template = compileTemplate({ subject: SUBJECT, html }, 'en', { checked: true }); // as the outbox renders checked rows
  const built: Array<{ to: string; bytes: Buffer }> = [];
  for (const r of records) {
    const f = template.render(r) as { subject: string; html: string };
    built.push({ to: r.email!, bytes: await new MailComposer({ from: 'Shop <shop@example.test>', to: { name: r.name!, address: r.email! }, subject: f.subject, html: f.html, newline: 'windows' }).compile().build() });
  }
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...TRANSPORT_POOL });
  const startRss = rssKb();
  const started = performance.now();
  const cpu = cpuFromNow();
  await Promise.all(built.map((m) => transport.sendMail({ envelope: { from: 'shop@example.test', to: [m.to] }, raw: m.bytes })));
  const ms = performance.now() - started;
  const used = cpu();
  transport.close();
  return { ms, ...used, startRss, peakRss: hwmKb() };
}

async function mailwright() {
  const dataDir = mkdtempSync(join(tmpdir(), 'mw-bench-merge-'));
  const core = await createCore({ dataDir, keychain: new MemorySecretStore(), log: (m, e) => console.error(m, e) });
  try {
    const call = async <T>(channel: string, payload: unknown): Promise<T> => {
      const r = await invokeChannel(core.handlers, channel, payload, undefined, 'command-line');
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    };
    const account = await call<{ id: string }>('accounts:save', { name: 'Bench', email: 'shop@example.test', displayName: 'Shop', host: '127.0.0.1', port, security: 'none' });
    const data = await call<{ handle: string }>('attachments:register-path', { path: dataPath });
    const request = { accountId: account.id, message: { subject: SUBJECT, html }, data: { handle: data.handle }, nameColumn: 'name' };
    const startRss = rssKb();
    let t = performance.now();
    const check = await call<{ valid: number }>('merge:check', request);
    const checkMs = performance.now() - t;
    if (check.valid !== rows) throw new Error(`${check.valid} of ${rows} rows valid`);
    const previewMs: number[] = [];
    for (const row of [1, Math.ceil(rows / 2), rows, 7, Math.ceil(rows / 3)]) {
      t = performance.now();
      await call('merge:preview', { merge: request, row });
      previewMs.push(performance.now() - t);
    }
    // The process's peak as the merge goes: at half the rows and at the end, in the same process
    // (does each row add memory once the process has its working size?).
    let sent = 0;
    let peakAtHalf = 0;
    core.events.on('outbox:changed', (item: { state: string; merge?: unknown }) => {
      if (item.merge && item.state === 'sent' && ++sent === Math.ceil(rows / 2)) peakAtHalf = hwmKb();
    });
    t = performance.now();
    const cpu = cpuFromNow();
    const started = await call<{ id: string }>('merge:start', request);
    const done = await call<{ state: string; counts: { sent: number } }>('merge:wait', { id: started.id });
    const ms = performance.now() - t;
    const used = cpu();
    if (done.state !== 'done' || done.counts.sent !== rows) throw new Error(`merge ended ${JSON.stringify(done)}`);
    return { ms, ...used, checkMs, previewMs, startRss, peakRss: hwmKb(), peakAtHalfKb: peakAtHalf, peakAtEndKb: hwmKb() };
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const out = mode === 'nodemailer' ? await raw() : await mailwright();
process.stdout.write(`${JSON.stringify(out)}\n`);
