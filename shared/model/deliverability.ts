import type { Phrase } from '../errors';

// DKIM signing per account (RFC 6376) and the check of the From domain's DNS records that
// Gmail, Yahoo and Outlook.com demand of bulk senders: SPF, DKIM, DMARC, aligned.

export const DKIM_KEY_TYPES = ['rsa', 'ed25519'] as const;
export type DkimKeyType = (typeof DKIM_KEY_TYPES)[number];

/** The selector a generated key gets unless one is given: the year and month, so a later key can take another. */
export const defaultDkimSelector = (now: Date) => `mailwright${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;

/** What accounts.json keeps of an account's DKIM signing: all of it public; the private key is in the secret store. */
export interface DkimSettings {
  domain: string;
  selector: string;
  keyType: DkimKeyType;
  /** The TXT record to publish, ready to copy. */
  record: DnsRecord;
}

export interface DnsRecord {
  name: string;
  type: 'TXT';
  value: string;
}

export type CheckStatus = 'pass' | 'warn' | 'fail';
export const DOMAIN_CHECKS = ['spf', 'dkim', 'dmarc', 'alignment'] as const;
export type DomainCheckName = (typeof DOMAIN_CHECKS)[number];

/** One look at the From domain: what was found, in words, and what to change. */
export interface DomainCheck {
  name: DomainCheckName;
  status: CheckStatus;
  text: Phrase;
  hint?: Phrase;
  /** The record as published, when one was found. */
  found?: string;
}

export interface DomainReport {
  /** The From address's domain. */
  domain: string;
  checks: DomainCheck[];
  /** The worst of the checks. */
  status: CheckStatus;
  ms: number;
}
