import { z } from 'zod';
import { LANGUAGE_CHOICES } from '../i18n/languages';
import { THEME_CHOICES } from './settings';

/** What a user sets once: kept in settings.json in the data directory. */
export const settings = z.strictObject({
  /** Seconds a sent message waits, so it can be taken back; 0 = off. */
  undoSeconds: z.union([z.literal(0), z.literal(5), z.literal(10), z.literal(20), z.literal(30)]),
  /** A desktop notification when a message fails or its outcome is unknown. */
  notifyFailures: z.boolean(),
  /** The window's colours: the system's choice, or always light or always dark. */
  theme: z.enum(THEME_CHOICES),
  /** Register the desktop app as the system's handler for mailto: links (opt-in: it changes the OS default). */
  mailtoHandler: z.boolean(),
  /** The window's language: 'system' takes the first of the OS's preferred languages we have, else English. */
  language: z.enum(LANGUAGE_CHOICES),
});

const registration = z.object({ clientId: z.string().min(1).max(300), clientSecret: z.string().min(1).max(300).optional() }).catch(undefined as never);

/**
 * settings.json's `oauthClients`, written by hand: the app registrations the sign-in presets use
 * when the account form gives none. Main reads it; it is not part of the Settings the window gets.
 */
export const oauthClients = z.object({ microsoft: registration.optional(), google: registration.optional() });
export type OAuthClients = z.infer<typeof oauthClients>;
