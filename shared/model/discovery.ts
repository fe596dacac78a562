import type { Phrase } from '../errors';
import type { Security } from './account';

export type DiscoverySource = 'preset' | 'autoconfig' | 'srv' | 'mx' | 'probe';

/** One proposal for an address's SMTP settings, and where it came from. */
export interface DiscoveredSettings {
  host: string;
  port: number;
  security: Security;
  /** what to log in with: the whole address, its local part, or nothing */
  username: 'email' | 'localpart' | 'none';
  source: DiscoverySource;
  /** e.g. "Gmail", or the URL / record it came from */
  from: string;
  /** What to know about this provider, in English (the command line's)… */
  notes?: string[];
  /** …and as catalogue phrases, for the window's language. */
  noteTexts?: Phrase[];
  /** The provider offers OAuth2 sign-in with this preset ("Sign in with Microsoft/Google"). */
  signIn?: 'microsoft' | 'google';
}
