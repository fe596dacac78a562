import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { MailwrightError } from '../errors';

/**
 * Run `work` while holding a lock that other Mailwright processes on the same data directory
 * respect (proper-lockfile: an atomic mkdir, refreshed while held, taken over when its holder
 * died and it went stale). For short read-modify-write steps on files that are not in a
 * database: the secrets vault, an OAuth refresh that must not race another process's.
 */
/** What a lock guards, named in the error when another process holds it too long. */
export type LockedThing = 'vault' | 'signIn' | 'secret' | 'secrets';

export async function withFileLock<T>(path: string, what: LockedThing, work: () => Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      lockfilePath: `${path}.lock`,
      stale: 15_000,
      update: 5_000,
      // Up to about a minute: an OAuth2 refresh holds it for as long as its requests take (discovery
      // and the token request, 15 s each at most).
      retries: { retries: 130, factor: 1.2, minTimeout: 20, maxTimeout: 500 },
      // Its default throws from a timer, which would take the whole process down. A lock found
      // compromised (its refresh failed) still ends with `work`; the atomic writes under it keep
      // every file whole either way.
      onCompromised: () => undefined,
    });
  } catch (err) {
    throw new MailwrightError('BUSY', { message: phrase('err.lock.busy', { what: phrase(`err.lock.${what}`) }), hint: phrase('err.lock.busy.hint') }, { cause: err });
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined); // compromised or already gone: nothing left to undo
  }
}

/** Several locks at once, always taken in the same order, so two holders can never wait on each other. */
export function withFileLocks<T>(paths: readonly string[], what: LockedThing, work: () => Promise<T>): Promise<T> {
  const [first, ...rest] = [...paths].sort();
  return first === undefined ? work() : withFileLock(first, what, () => withFileLocks(rest, what, work));
}

/** The lock around one account's secret: its OAuth2 refresh, a new sign-in, a move into the vault. */
export const accountSecretLock = (dataDir: string, accountId: string) => join(dataDir, `secret-${accountId}`);
