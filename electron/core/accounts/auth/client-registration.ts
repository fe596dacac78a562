import type { OAuthProvider } from '../../../../shared/model/account';
import { providerLabel, type OAuthClientStatus } from '../../../../shared/model/sign-in';
import { invalidInput } from '../../errors';
import type { OAuthClients } from '../../../../shared/model/settings-schema';
import { OAUTH_PRESETS, type OAuthPreset } from './oauth-presets';

export interface ClientRegistration {
  clientId: string;
  clientSecret?: string;
}

export interface RegistrationSources {
  env: NodeJS.ProcessEnv;
  settings: () => Promise<OAuthClients>;
}

const envName = (preset: OAuthPreset, what: 'CLIENT_ID' | 'CLIENT_SECRET') => `MAILWRIGHT_OAUTH_${preset.id.toUpperCase()}_${what}`;

/**
 * The app registration a sign-in uses: the one given for the account, else the environment's
 * MAILWRIGHT_OAUTH_<PROVIDER>_CLIENT_ID (and _CLIENT_SECRET), else settings.json. Mailwright
 * ships no client ID of its own: a provider's users register one (the README says how).
 */
export async function clientRegistration(
  provider: OAuthProvider,
  preset: OAuthPreset | undefined,
  given: { clientId?: string; clientSecret?: string },
  sources: RegistrationSources,
): Promise<ClientRegistration> {
  const fromEnv = preset ? { clientId: sources.env[envName(preset, 'CLIENT_ID')] || undefined, clientSecret: sources.env[envName(preset, 'CLIENT_SECRET')] || undefined } : undefined;
  const fromSettings = preset ? (await sources.settings())[preset.id] : undefined;
  // The registration the client ID comes from, so its secret comes from there too: an account
  // signing in again names the ID it signed in with, which may be the environment's or settings.json's.
  const registration = [fromEnv, fromSettings].find((r) => r?.clientId && (!given.clientId || given.clientId === r.clientId));
  const clientId = given.clientId ?? registration?.clientId;
  if (!clientId) {
    if (!preset || provider === 'issuer') {
      throw invalidInput('No client ID was given for this provider.', 'Register Mailwright as a public (native) client at the provider, with the redirect URI http://127.0.0.1/, and give its client ID (--client-id, or "Your own app registration" in the form).');
    }
    throw invalidInput(
      `No client ID is set for signing in with ${providerLabel({ provider: preset.id })}.`,
      `Mailwright ships none: register an app (${preset.registration}; the README's "App registrations" says how), then give its client ID under "Your own app registration", as --client-id, as ${envName(preset, 'CLIENT_ID')}, or in settings.json.`,
    );
  }
  const clientSecret = given.clientSecret ?? registration?.clientSecret;
  if (preset?.clientSecret === 'required' && !clientSecret) {
    throw invalidInput(
      `${providerLabel({ provider: preset.id })} wants the client secret of your desktop app registration as well.`,
      `Google shows it beside the client ID (it is not treated as a secret for desktop apps): give it under "Your own app registration", as --client-secret, or as ${envName(preset, 'CLIENT_SECRET')}.`,
    );
  }
  return { clientId, ...(clientSecret ? { clientSecret } : {}) };
}

/** Whether each preset has an app registration outside the account form, and where from. */
export async function presetClientStatus(sources: RegistrationSources): Promise<OAuthClientStatus> {
  const settings = await sources.settings();
  const status = {} as OAuthClientStatus;
  for (const preset of Object.values(OAUTH_PRESETS)) {
    const env = sources.env[envName(preset, 'CLIENT_ID')];
    status[preset.id] = env ? { configured: true, from: 'environment' } : settings[preset.id]?.clientId ? { configured: true, from: 'settings' } : { configured: false };
  }
  return status;
}
