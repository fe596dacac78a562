import { randomUUID } from 'node:crypto';
import type { authenticate } from 'mailauth';
import type { Phrase } from '../../../shared/errors';
import { code, phrase } from '../../../shared/i18n/errors/phrase';
import type { CheckStatus, DomainCheck, DomainReport } from '../../../shared/model/deliverability';
import { SANDBOX_ACCOUNT_ID, type AccountStore, type StoredAccount } from '../accounts/account-store';
import { invalidInput } from '../errors';
import type { DkimKeys } from './dkim-keys';
import type { DkimSigner } from './dkim-sign';
import type { DnsLookup } from './dns-resolver';

export interface DomainCheckDeps {
  lookup: DnsLookup & { addressOf(host: string): Promise<string | undefined> };
  now: () => Date;
}

/** Past this the check reports what it has: the DNS is not answering. */
const BUDGET_MS = 15_000;
const WORST: Record<CheckStatus, number> = { pass: 0, warn: 1, fail: 2 };

/**
 * What receivers will find when this account's mail arrives: a message like the account's own,
 * signed with its DKIM key, checked by mailauth as a receiving server checks one from the
 * account's server (SPF for its address, DKIM against the published key, DMARC and alignment).
 * Nothing is sent: the DNS is all it asks.
 */
export async function checkDomain(account: StoredAccount, signer: DkimSigner | undefined, deps: DomainCheckDeps, budgetMs = BUDGET_MS): Promise<DomainReport> {
  const started = Date.now();
  const domain = (account.email.split('@')[1] ?? '').toLowerCase();
  let timeout: NodeJS.Timeout | undefined;
  const timer = new Promise<'late'>((resolve) => (timeout = setTimeout(resolve, budgetMs, 'late')));
  // Everything the DNS is asked, the server's address too, within the one budget.
  const asked = async () => {
    const ip = await deps.lookup.addressOf(account.host);
    const sample = await sampleMessage(account, domain, signer, deps.now());
    const { authenticate } = await import('mailauth'); // ~230 ms to load: only when a check runs
    return { ip, result: await authenticate(sample, { ip: ip ?? '0.0.0.0', sender: account.email, helo: 'mailwright.localhost', mta: 'mailwright.localhost', resolver: deps.lookup, disableArc: true, disableBimi: true }) };
  };
  const work = asked();
  work.catch(() => undefined); // still running when the budget ran out: its end is no one's concern
  const outcome = await Promise.race([work, timer]).finally(() => clearTimeout(timeout));
  const checks: DomainCheck[] =
    outcome === 'late'
      ? (['spf', 'dkim', 'dmarc', 'alignment'] as const).map((name) => ({ name, status: 'warn', text: phrase('dom.dns.slow'), hint: phrase('dom.dns.slow.hint', { env: code('MAILWRIGHT_DNS_SERVERS') }) }))
      : [spfCheck(outcome.result.spf, domain, outcome.ip), dkimCheck(outcome.result.dkim.results[0], account), dmarcCheck(outcome.result.dmarc, domain), alignmentCheck(outcome.result, domain, account)];
  const status = checks.reduce<CheckStatus>((worst, c) => (WORST[c.status] > WORST[worst] ? c.status : worst), 'pass');
  return { domain, checks, status, ms: Date.now() - started };
}

/** A message as the account sends one: its From, its signature; only the headers DMARC looks at matter. */
async function sampleMessage(account: StoredAccount, domain: string, signer: DkimSigner | undefined, now: Date): Promise<Buffer> {
  const bytes = Buffer.from(
    [`From: ${account.email}`, `To: ${account.email}`, 'Subject: Mailwright domain check', `Date: ${now.toUTCString()}`, `Message-ID: <${randomUUID()}@${domain}>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'A check of the sending domain; never sent.', ''].join('\r\n'),
  );
  return signer ? signer.sign(bytes, now) : bytes;
}

type Outcome = Awaited<ReturnType<typeof authenticate>>;
const dnsTrouble = (name: DomainCheck['name'], result: string, at: string): DomainCheck | undefined =>
  result === 'temperror' ? { name, status: 'warn', text: phrase('dom.dns.unreachable', { name: at }), hint: phrase('dom.dns.slow.hint', { env: code('MAILWRIGHT_DNS_SERVERS') }) } : undefined;

function spfCheck(spf: Outcome['spf'], domain: string, ip: string | undefined): DomainCheck {
  const result = spf ? spf.status.result : 'none';
  const found = spf && typeof spf.rr === 'string' ? { found: spf.rr } : {};
  const trouble = dnsTrouble('spf', result, domain);
  if (trouble) return trouble;
  if (result === 'pass') return { name: 'spf', status: 'pass', text: phrase('dom.spf.pass', { domain, ip: ip ?? '?' }), ...found };
  if (result === 'none') return { name: 'spf', status: 'fail', text: phrase('dom.spf.none', { domain }), hint: phrase('dom.spf.none.hint', { domain, example: code('v=spf1 include:… ~all') }) };
  if (result === 'permerror') return { name: 'spf', status: 'fail', text: phrase('dom.spf.invalid', { domain }), hint: phrase('dom.spf.invalid.hint'), ...found };
  // fail, softfail, neutral: the record exists but does not name the server's address, which may
  // not be the address the provider sends from (submission and outgoing relays often differ).
  return { name: 'spf', status: 'warn', text: phrase('dom.spf.other', { domain, result, ip: ip ?? '?' }), hint: phrase('dom.spf.other.hint'), ...found };
}

function dkimCheck(dkim: Outcome['dkim']['results'][number] | undefined, account: StoredAccount): DomainCheck {
  const settings = account.dkim;
  if (!settings) return { name: 'dkim', status: 'warn', text: phrase('dom.dkim.off'), hint: phrase('dom.dkim.off.hint', { command: code(`mailwright account dkim ${account.name} --generate`) }) };
  const at = settings.record.name;
  const result = dkim?.status.result ?? 'none';
  const trouble = dnsTrouble('dkim', result, at);
  if (trouble) return trouble;
  if (result === 'pass') return { name: 'dkim', status: 'pass', text: phrase('dom.dkim.pass', { name: at }) };
  if (result === 'neutral' || result === 'none') return { name: 'dkim', status: 'fail', text: phrase('dom.dkim.none', { name: at }), hint: phrase('dom.dkim.publish.hint', { name: at }) };
  return { name: 'dkim', status: 'fail', text: phrase('dom.dkim.mismatch', { name: at }), hint: phrase('dom.dkim.publish.hint', { name: at }) };
}

function dmarcCheck(dmarc: Outcome['dmarc'], domain: string): DomainCheck {
  const result = dmarc ? dmarc.status.result : 'none';
  const trouble = dnsTrouble('dmarc', result, `_dmarc.${domain}`);
  if (trouble) return trouble;
  if (!dmarc || result === 'none' || !dmarc.p) return { name: 'dmarc', status: 'fail', text: phrase('dom.dmarc.none', { domain }), hint: phrase('dom.dmarc.none.hint', { name: `_dmarc.${domain}`, example: code(`v=DMARC1; p=none; rua=mailto:dmarc@${domain}`) }) };
  return { name: 'dmarc', status: 'pass', text: phrase('dom.dmarc.policy', { domain, policy: dmarc.p }), ...(dmarc.rr ? { found: dmarc.rr } : {}) };
}

/**
 * DMARC's question (RFC 7489 3.1): does SPF or DKIM pass for a domain that matches the From
 * domain? Asked even without a DMARC record: Gmail and Yahoo want alignment of bulk senders.
 */
function alignmentCheck(result: Outcome, domain: string, account: StoredAccount): DomainCheck {
  const dkim = result.dkim.results[0];
  // What the DNS did not answer cannot be said to fail.
  const unanswered = [result.spf && result.spf.status.result, dkim?.status.result, result.dmarc && result.dmarc.status.result].includes('temperror');
  if (unanswered) return dnsTrouble('alignment', 'temperror', domain)!;
  const byDkim = dkim?.status.result === 'pass' && !!dkim.status.aligned;
  const bySpf = !!result.spf && result.spf.status.result === 'pass';
  const hint: Phrase = phrase('dom.align.hint', { domain });
  if (byDkim) return { name: 'alignment', status: 'pass', text: phrase('dom.align.dkim', { domain, signing: account.dkim?.domain ?? domain }) };
  // SPF alone: DMARC's own verdict when the domain has a record; without one, only likely — the
  // server's address is the one we connect to, and providers often send with their own envelope sender.
  const dmarcSays = result.dmarc ? result.dmarc.status.result : 'none';
  if (bySpf && dmarcSays === 'pass') return { name: 'alignment', status: 'pass', text: phrase('dom.align.spf', { domain }) };
  if (bySpf && dmarcSays !== 'fail') return { name: 'alignment', status: 'warn', text: phrase('dom.align.spf', { domain }), hint };
  if (account.dkim && !dkim?.status.aligned && dkim?.status.result === 'pass') return { name: 'alignment', status: 'fail', text: phrase('dom.align.otherDomain', { domain, signing: account.dkim.domain }), hint };
  return { name: 'alignment', status: 'fail', text: phrase('dom.align.none', { domain }), hint };
}

/** The check as a service: an account by id, signed with its own key, asked of the configured DNS. */
export class DomainChecker {
  constructor(private readonly deps: DomainCheckDeps & { accounts: Pick<AccountStore, 'getStored'>; dkim: Pick<DkimKeys, 'signerFor'> }) {}

  /** `budgetMs`: how long the DNS may take before the check reports it as not answering. */
  async check(accountId: string, budgetMs?: number): Promise<DomainReport> {
    const account = await this.deps.accounts.getStored(accountId);
    if (accountId === SANDBOX_ACCOUNT_ID) throw invalidInput(phrase('err.dkim.sandbox'), phrase('err.account.sandbox.hint'));
    return checkDomain(account, await this.deps.dkim.signerFor(account), this.deps, budgetMs);
  }
}
