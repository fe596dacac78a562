import { useEffect, useState } from 'react';
import type { Account, OAuthInput, OAuthProvider } from '../../../../shared/model/account';
import type { OAuthClientStatus } from '../../../../shared/model/sign-in';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';

/** What the form knows of how to sign in: a provider of one's own, and one's own app registration. */
export function useSignInSettings(account?: Account) {
  const own = account?.oauth;
  const [issuer, setIssuer] = useState(own?.provider === 'issuer' ? own.issuer : '');
  const [scopes, setScopes] = useState(own?.provider === 'issuer' ? own.scopes.join(' ') : '');
  const [clientId, setClientId] = useState(own?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [clients, setClients] = useState<OAuthClientStatus>();
  useEffect(() => void api()['accounts:oauth-clients']().then((r) => r.ok && setClients(r.value)), []);
  /** The sign-in to ask main for: a preset (its own scopes), or the provider of one's own. */
  const oauthInput = (provider: OAuthProvider): OAuthInput => ({
    provider,
    ...(provider === 'issuer' ? { issuer: issuer.trim(), scopes: scopes.split(/\s+/).filter(Boolean) } : own?.provider === provider && own.issuer ? { issuer: own.issuer } : {}),
    ...(clientId.trim() ? { clientId: clientId.trim() } : {}),
    ...(clientSecret ? { clientSecret } : {}),
  });
  return { issuer, setIssuer, scopes, setScopes, clientId, setClientId, clientSecret, setClientSecret, clients, oauthInput };
}

type Settings = ReturnType<typeof useSignInSettings>;

/**
 * Under the password: another provider by its issuer URL, and the app registration to sign in
 * with (open by itself when a preset the address needs has none yet).
 */
export function SignInOptions({ settings: s, offer, busy, onSignIn }: { settings: Settings; offer?: 'microsoft' | 'google'; busy: boolean; onSignIn: (provider: OAuthProvider) => void }) {
  const { t } = useT();
  const missing = offer && s.clients && !s.clients[offer].configured && !s.clientId.trim();
  const from = offer && s.clients?.[offer].from;
  const label = offer === 'google' ? 'Google' : 'Microsoft';
  return (
    <div className="span-2 sign-in-options">
      <details open={!!s.issuer || undefined}>
        <summary>{t('signin.other')}</summary>
        <div className="form-grid">
          <label className="span-2">
            {t('signin.issuer')}
            <input value={s.issuer} onChange={(e) => s.setIssuer(e.target.value)} placeholder="https://login.example.com" spellCheck={false} autoCapitalize="off" aria-describedby="issuer-help" />
          </label>
          <span id="issuer-help" className="field-note span-2">
            {t('signin.issuerHelp')}
          </span>
          <label className="span-2">
            {t('signin.scopes')}
            <input value={s.scopes} onChange={(e) => s.setScopes(e.target.value)} placeholder="smtp offline_access" spellCheck={false} aria-describedby="scopes-help" />
          </label>
          <span id="scopes-help" className="field-note span-2">
            {t('signin.scopesHelp')}
          </span>
          <div className="span-2">
            <button type="button" className="btn" disabled={busy || !s.issuer.trim() || !s.scopes.trim()} onClick={() => onSignIn('issuer')}>
              {t('signin.signIn')}
            </button>
          </div>
        </div>
      </details>
      <details open={!!missing || !!s.clientId || undefined}>
        <summary>{t('signin.registration')}</summary>
        <p className="field-note">{t('signin.registrationHelp')}</p>
        {offer && (missing ? <p className="field-hint" role="note">{t('signin.clientMissing', { provider: label })}</p> : from && <p className="field-note">{t(`signin.clientFrom.${from}`, { provider: label })}</p>)}
        <div className="form-grid">
          <label>
            {t('signin.clientId')}
            <input value={s.clientId} onChange={(e) => s.setClientId(e.target.value)} spellCheck={false} autoCapitalize="off" className="mono" />
          </label>
          <label>
            {t('signin.clientSecret')}
            <input type="password" value={s.clientSecret} onChange={(e) => s.setClientSecret(e.target.value)} autoComplete="off" />
          </label>
        </div>
      </details>
    </div>
  );
}
