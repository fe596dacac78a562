import { z } from 'zod';
import type { Phrase } from '../errors';
import { refusal } from './text';

// DKIM signing per account (RFC 6376) and the check of the From domain's DNS records that
// Gmail, Yahoo and Outlook.com demand of bulk senders: SPF, DKIM, DMARC, aligned.

export const DKIM_KEY_TYPES = ['rsa', 'ed25519'] as const;
export type DkimKeyType = (typeof DKIM_KEY_TYPES)[number];

/** A DNS name: dot-separated labels of letters, digits and inner hyphens (RFC 1035), at most 253 characters. */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
export const dkimDomain = z.string().min(1).max(253).regex(DNS_NAME, refusal('err.input.dkimDomain'));
/** A selector is one or more labels, put in front of `._domainkey.` (RFC 6376 3.1). */
export const dkimSelector = z.string().min(1).max(63).regex(DNS_NAME, refusal('err.input.dkimSelector'));

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

/** Generate a new key in main (the renderer never sees it); the domain defaults to the account address's. */
export const dkimGenerateFields = { selector: dkimSelector.optional(), domain: dkimDomain.optional(), keyType: z.enum(DKIM_KEY_TYPES).optional() };
/** Import a private key (PEM); like a password it goes one way, into the secret store. */
export const dkimImportFields = { privateKey: z.string().min(1).max(20_000), selector: dkimSelector, domain: dkimDomain.optional() };

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
