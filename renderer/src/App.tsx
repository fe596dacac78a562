import { useEffect, useState } from 'react';
import type { Account } from '../../shared/model/account';
import { api } from './api';

/** First cut: the accounts the core knows. The composer, outbox and sandbox views arrive with part 2. */
export function App() {
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    api()['accounts:list']().then((r) => (r.ok ? setAccounts(r.value) : setError(r.error.message)), (e: Error) => setError(e.message));
  }, []);
  return (
    <main style={{ font: '15px system-ui, sans-serif', padding: 24 }}>
      <h1>Mailwright</h1>
      {error && <p role="alert">{error}</p>}
      <ul aria-label="Accounts">
        {accounts.map((a) => (
          <li key={a.id}>
            {a.name} — {a.email}
          </li>
        ))}
      </ul>
    </main>
  );
}
