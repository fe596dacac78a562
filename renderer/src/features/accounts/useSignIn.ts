import { useCallback, useEffect, useRef, useState } from 'react';
import { useLatest } from '../../lib/useLatest';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account } from '../../../../shared/model/account';
import type { RequestOf } from '../../../../shared/ipc/contract';
import { api, isBrowserMode } from '../../lib/api';

export type SignInRequest = RequestOf<'accounts:sign-in-start'>;

export type SignInState =
  | { phase: 'idle' }
  | { phase: 'starting'; provider: string }
  | { phase: 'waiting'; provider: string; url: string; signInId: string; request: SignInRequest }
  | { phase: 'failed'; error: ErrorInfo };

/**
 * One OAuth2 sign-in from the window: main listens for the browser's redirect and, in the desktop
 * app, opens the system browser itself; in browser mode the page opens the provider in a new tab.
 * Either way the sign-in page is the provider's own, in a real browser, never inside Mailwright.
 */
export function useSignIn(onSignedIn: (account: Account) => void) {
  const [state, setState] = useState<SignInState>({ phase: 'idle' });
  const current = useRef<string | undefined>(undefined);
  const done = useLatest(onSignedIn);

  const start = useCallback(async (request: SignInRequest, provider: string) => {
    if (current.current) void api()['accounts:sign-in-cancel']({ signInId: current.current });
    setState({ phase: 'starting', provider });
    const started = await api()['accounts:sign-in-start'](request);
    if (!started.ok) return setState({ phase: 'failed', error: started.error });
    const { signInId, url, opened } = started.value;
    current.current = signInId;
    // Still within the click's user activation: browsers let a new tab open now.
    if (!opened && isBrowserMode()) window.open(url, '_blank', 'noopener,noreferrer');
    setState({ phase: 'waiting', provider, url, signInId, request });
    const finished = await api()['accounts:sign-in-finish']({ signInId });
    if (current.current !== signInId) return; // cancelled, or another sign-in took its place
    current.current = undefined;
    if (finished.ok) {
      setState({ phase: 'idle' });
      done.current(finished.value);
    } else setState({ phase: 'failed', error: finished.error });
  }, [done]);

  const cancel = useCallback(() => {
    if (current.current) void api()['accounts:sign-in-cancel']({ signInId: current.current });
    current.current = undefined;
    setState({ phase: 'idle' });
  }, []);

  // A form closed mid-sign-in stops listening for it.
  useEffect(() => () => void (current.current && api()['accounts:sign-in-cancel']({ signInId: current.current })), []);
  return { state, start, cancel };
}
