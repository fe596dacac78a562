import { z } from 'zod';
import { DKIM_KEY_TYPES } from './deliverability';
import { refusal } from './text';

// The DKIM channels' request schemas (main parses them); deliverability.ts stays free of zod for the page.

/** A DNS name: dot-separated labels of letters, digits and inner hyphens (RFC 1035), at most 253 characters. */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
export const dkimDomain = z.string().min(1).max(253).regex(DNS_NAME, refusal('err.input.dkimDomain'));
/** A selector is one or more labels, put in front of `._domainkey.` (RFC 6376 3.1). */
export const dkimSelector = z.string().min(1).max(63).regex(DNS_NAME, refusal('err.input.dkimSelector'));

/** Generate a new key in main (the renderer never sees it); the domain defaults to the account address's. */
export const dkimGenerateFields = { selector: dkimSelector.optional(), domain: dkimDomain.optional(), keyType: z.enum(DKIM_KEY_TYPES).optional() };
/** Import a private key (PEM); like a password it goes one way, into the secret store. */
export const dkimImportFields = { privateKey: z.string().min(1).max(20_000), selector: dkimSelector, domain: dkimDomain.optional() };
