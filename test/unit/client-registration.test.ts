import { describe, expect, it } from 'vitest';
import { clientRegistration } from '../../electron/core/accounts/auth/client-registration';
import { OAUTH_PRESETS } from '../../electron/core/accounts/auth/oauth-presets';

const google = OAUTH_PRESETS.google;
const microsoft = OAUTH_PRESETS.microsoft;
const sources = (env: NodeJS.ProcessEnv, settings: object = {}) => ({ env, settings: async () => settings });

describe('which app registration a sign-in uses', () => {
  it('the form’s, else the environment’s, else settings.json’s; a secret only from where its ID came', async () => {
    const env = { MAILWRIGHT_OAUTH_GOOGLE_CLIENT_ID: 'env-id', MAILWRIGHT_OAUTH_GOOGLE_CLIENT_SECRET: 'env-secret' };
    const settings = { google: { clientId: 'file-id', clientSecret: 'file-secret' }, microsoft: { clientId: 'ms-file-id' } };
    expect(await clientRegistration('google', google, {}, sources(env, settings))).toEqual({ clientId: 'env-id', clientSecret: 'env-secret' });
    expect(await clientRegistration('google', google, {}, sources({}, settings))).toEqual({ clientId: 'file-id', clientSecret: 'file-secret' });
    expect(await clientRegistration('google', google, { clientId: 'own', clientSecret: 'own-secret' }, sources(env, settings))).toEqual({ clientId: 'own', clientSecret: 'own-secret' });
    // Signing in again names the ID it used: its registration's secret comes with it.
    expect(await clientRegistration('google', google, { clientId: 'file-id' }, sources(env, settings))).toEqual({ clientId: 'file-id', clientSecret: 'file-secret' });
    expect(await clientRegistration('google', google, { clientId: 'env-id' }, sources(env, settings))).toEqual({ clientId: 'env-id', clientSecret: 'env-secret' });
    // Another ID never gets their secret: Google then asks for one.
    await expect(clientRegistration('google', google, { clientId: 'someone-else' }, sources(env, settings))).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', message: expect.stringContaining('client secret') } });
    expect(await clientRegistration('microsoft', microsoft, {}, sources({}, settings))).toEqual({ clientId: 'ms-file-id' });
  });

  it('a provider of one’s own needs its own client ID; a preset without one says where to set it', async () => {
    await expect(clientRegistration('issuer', undefined, {}, sources({ MAILWRIGHT_OAUTH_GOOGLE_CLIENT_ID: 'env-id' }))).rejects.toMatchObject({ info: { message: 'No client ID was given for this provider.' } });
    await expect(clientRegistration('microsoft', microsoft, {}, sources({}))).rejects.toMatchObject({ info: { hint: expect.stringContaining('MAILWRIGHT_OAUTH_MICROSOFT_CLIENT_ID') } });
  });
});
