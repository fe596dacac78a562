import type { OAuthProvider } from '../../../../shared/model/account';
import { providerLabel, type OAuthClientStatus } from '../../../../shared/model/sign-in';
import { code, phrase } from '../../../../shared/i18n/errors/phrase';
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
      throw invalidInput(phrase('err.registration.noClientId'), phrase('err.registration.noClientId.hint', { flag: code('--client-id') }));
    }
    throw invalidInput(
      phrase('err.registration.none', { provider: providerLabel({ provider: preset.id }) }),
      phrase('err.registration.none.hint', { where: phrase(`err.registration.where.${preset.id}`), flag: code('--client-id'), env: code(envName(preset, 'CLIENT_ID')) }),
    );
  }
  const clientSecret = given.clientSecret ?? registration?.clientSecret;
  if (preset?.clientSecret === 'required' && !clientSecret) {
    throw invalidInput(
      phrase('err.registration.secret', { provider: providerLabel({ provider: preset.id }) }),
      phrase('err.registration.secret.hint', { flag: code('--client-secret'), env: code(envName(preset, 'CLIENT_SECRET')) }),
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
